"""A person's part of the meetings (members/personal_data.py): the invitations and their
answers, attendance and the reminders e-mailed to them.

On deletion, invitations and attendance stay with the person record (the Task Force counts
who was invited and who took part from them); the reminders and notices addressed to the
person go. A person who presented an agenda item is named by the public record.
"""

from meetings.models import AgendaItem, Attendance, Invitation, ReminderDelivery
from members.personal_data import PersonalDataSection, SectionData, iso


def _meeting(meeting) -> dict:
    return {"title": meeting.title, "slug": meeting.slug, "start": iso(meeting.start)}


def export(*, user, person) -> SectionData:
    if person is None:
        return SectionData({"invitations": [], "attendance": [], "reminders": []})
    return SectionData(
        {
            "invitations": [
                {
                    "meeting": _meeting(invitation.meeting),
                    "response": invitation.response,
                    "responded_at": iso(invitation.responded_at),
                }
                for invitation in Invitation.objects.filter(person=person)
                .select_related("meeting")
                .order_by("meeting__start", "pk")
            ],
            "attendance": [
                {
                    "meeting": _meeting(attendance.meeting),
                    "organisation": attendance.organisation.acronym
                    if attendance.organisation
                    else None,
                    "capacity": attendance.capacity,
                    "status": attendance.status,
                }
                for attendance in Attendance.objects.filter(person=person)
                .select_related("meeting", "organisation")
                .order_by("meeting__start", "pk")
            ],
            "reminders": [
                {
                    "meeting": _meeting(delivery.meeting),
                    "kind": delivery.kind,
                    "hours_before": delivery.offset_hours,
                    "state": delivery.state,
                    "due_at": iso(delivery.due_at),
                    "sent_at": iso(delivery.sent_at),
                }
                for delivery in ReminderDelivery.objects.filter(person=person)
                .select_related("meeting")
                .order_by("due_at", "pk")
            ],
        }
    )


def erase(*, user, person) -> dict[str, int]:
    if person is None:
        return {"reminders": 0}
    reminders, _by_model = ReminderDelivery.objects.filter(person=person).delete()
    return {"reminders": reminders}


def names_person(*, person) -> bool:
    return AgendaItem.objects.filter(presenter=person).exists()


SECTION = PersonalDataSection(key="meetings", export=export, erase=erase, names_person=names_person)
