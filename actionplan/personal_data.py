"""A person's part of the action plan (members/personal_data.py): the progress updates they
reported. The updates are the plan's public record: they stay on deletion, and name the
person."""

from actionplan.models import ProgressUpdate
from members.personal_data import PersonalDataSection, SectionData, iso


def export(*, user, person) -> SectionData:
    if person is None:
        return SectionData({"progress_reported": []})
    return SectionData(
        {
            "progress_reported": [
                {
                    "plan": update.item.plan.slug,
                    "action": update.item.code,
                    "date": iso(update.date),
                    "text": update.text,
                    "status": update.status,
                    "progress": update.progress,
                }
                for update in ProgressUpdate.objects.filter(reported_by=person)
                .select_related("item__plan")
                .order_by("date", "pk")
            ]
        }
    )


def erase(*, user, person) -> dict[str, int]:
    return {}


def names_person(*, person) -> bool:
    return ProgressUpdate.objects.filter(reported_by=person).exists()


SECTION = PersonalDataSection(
    key="action_plan", export=export, erase=erase, names_person=names_person
)
