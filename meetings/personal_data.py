"""A person's part of the meetings (members/personal_data.py): the invitations and their
answers, attendance, and the reminders and minutes e-mails sent to them.

On deletion, invitations and attendance stay with the person record (the Task Force counts
who was invited and who took part from them); the reminders, notices and minutes e-mails
addressed to the person go. A person who presented an agenda item is named by the public record.
"""

from meetings.models import (
    AgendaItem,
    Attendance,
    Invitation,
    MinutesCirculationDelivery,
    ReminderDelivery,
)
from members.personal_data import PersonalDataSection, SectionData, iso


def _meeting(meeting) -> dict:
    return {"title": meeting.title, "slug": meeting.slug, "start": iso(meeting.start)}


def export(*, user, person) -> SectionData:
    if person is None:
        return SectionData(
            {"invitations": [], "attendance": [], "reminders": [], "minutes_emails": []}
        )
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
            "minutes_emails": [
                {
                    "meeting": _meeting(delivery.minutes.meeting),
                    "state": delivery.state,
                    "sent_at": iso(delivery.sent_at),
                }
                for delivery in MinutesCirculationDelivery.objects.filter(person=person)
                .select_related("minutes__meeting")
                .order_by("created_at", "pk")
            ],
        }
    )


def erase(*, user, person) -> dict[str, int]:
    if person is None:
        return {"reminders": 0, "minutes_emails": 0}
    reminders, _by_model = ReminderDelivery.objects.filter(person=person).delete()
    minutes_emails, _by_model = MinutesCirculationDelivery.objects.filter(person=person).delete()
    return {"reminders": reminders, "minutes_emails": minutes_emails}


def names_person(*, person) -> bool:
    return AgendaItem.objects.filter(presenter=person).exists()


SECTION = PersonalDataSection(key="meetings", export=export, erase=erase, names_person=names_person)
