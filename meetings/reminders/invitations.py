"""The invitation e-mails' rows: one per invitee and meeting, written when people are invited.

Sent by the outbox like the reminders (kind `invitation` of ReminderDelivery, built by
meetings.reminders.email with the answer links of meetings.invitation_links).
"""

import datetime
from collections.abc import Iterable

from django.utils import timezone

from meetings.models import Invitation, Meeting, ReminderDelivery, ReminderKind
from meetings.reminders.schedule import BATCH_SIZE
from untfsse.core.outbox.tasks import deliveries_queue_on_commit


def invitation_emails_create(
    *, meeting: Meeting, person_ids: Iterable[int], now: datetime.datetime | None = None
) -> list[ReminderDelivery]:
    """Called inside invitations_create's transaction: one invitation e-mail for each of these
    invitees who has never had one for this meeting (whatever its start then), queued after
    the commit. Inviting again never writes a second e-mail. Returns the new rows."""
    now = now or timezone.now()
    already = ReminderDelivery.objects.filter(meeting=meeting, kind=ReminderKind.INVITATION).values(
        "person_id"
    )
    person_ids = list(
        Invitation.objects.filter(meeting=meeting, person_id__in=list(person_ids))
        .exclude(person_id__in=already)
        .order_by("person_id")
        .values_list("person_id", flat=True)
    )
    rows = ReminderDelivery.objects.bulk_create(
        [
            ReminderDelivery(
                meeting=meeting,
                person_id=person_id,
                kind=ReminderKind.INVITATION,
                offset_hours=0,
                scheduled_start=meeting.start,
                due_at=now,
                next_attempt_at=now,
            )
            for person_id in person_ids
        ],
        batch_size=BATCH_SIZE,
    )
    deliveries_queue_on_commit(rows)
    return rows
