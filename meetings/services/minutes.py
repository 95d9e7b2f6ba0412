"""Minutes: their draft text and their lifecycle, a table of legal moves (`MINUTES_MOVES`)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meetings.models import (
    DeliveryState,
    Meeting,
    Minutes,
    MinutesCirculationDelivery,
    MinutesStatus,
    MinutesVersion,
)
from meetings.services.participation import focal_points_of
from members.actors import require_secretariat, user_or_none
from members.models import OrganisationKind
from untfsse.core.audit import audit_record
from untfsse.core.outbox.tasks import deliveries_queue_on_commit, failed_deliveries_retry


def _keep_version(minutes: Minutes, *, by) -> None:
    if minutes.body:
        MinutesVersion.objects.create(
            minutes=minutes, body=minutes.body, status=minutes.status, saved_by=user_or_none(by)
        )


def minutes_save_draft(
    *, meeting: Meeting, body: str, by, approved_at_meeting: Meeting | None = None
) -> Minutes:
    """Write the minutes of a meeting (creating them as a draft). The text they had before is
    kept as an earlier version. Refused once the minutes are approved: their text is frozen.
    """
    require_secretariat(by)
    with transaction.atomic():
        minutes, _created = Minutes.objects.select_for_update().get_or_create(meeting=meeting)
        if minutes.is_frozen:
            raise ValidationError(_("These minutes are approved: their text can no longer change."))
        if approved_at_meeting is not None:
            _check_approving_meeting(meeting=meeting, at_meeting=approved_at_meeting)
        changed = []
        changes = {}
        if body != minutes.body:
            # The text itself is kept as a version (MinutesVersion); the trail says how long.
            changes["body_length"] = [len(minutes.body), len(body)]
            _keep_version(minutes, by=by)
            minutes.body = body
            changed.append("body")
        if (
            approved_at_meeting is not None
            and minutes.approved_at_meeting_id != approved_at_meeting.pk
        ):
            changes["approved_at_meeting"] = [minutes.approved_at_meeting, approved_at_meeting]
            minutes.approved_at_meeting = approved_at_meeting
            changed.append("approved_at_meeting")
        if changed:
            minutes.save(update_fields=[*changed, "updated_at"])
        audit_record(actor=by, action="minutes.save_draft", obj=minutes, changes=changes)
    return minutes


def _check_approving_meeting(*, meeting: Meeting, at_meeting: Meeting) -> None:
    if at_meeting.pk == meeting.pk or at_meeting.start <= meeting.start:
        raise ValidationError(_("Minutes are approved at a later meeting."))
    if at_meeting.is_cancelled:
        raise ValidationError(_("Minutes cannot be approved at a cancelled meeting."))


@dataclass(frozen=True)
class MinutesMove:
    """One legal move of the minutes' lifecycle: from which status, what is refused otherwise,
    which time it stamps, and what else must hold before it is made."""

    from_status: str
    refused: str
    stamped: str
    check: Callable[[Minutes, Meeting | None], Meeting | None]


def _ready_to_circulate(minutes: Minutes, at_meeting: Meeting | None) -> None:
    if not minutes.body.strip():
        raise ValidationError(_("Write the minutes before circulating them."))


def _ready_to_approve(minutes: Minutes, at_meeting: Meeting | None) -> Meeting:
    at_meeting = at_meeting or minutes.approved_at_meeting
    if at_meeting is None:
        raise ValidationError(_("Choose the meeting that approved these minutes."))
    _check_approving_meeting(meeting=minutes.meeting, at_meeting=at_meeting)
    if not at_meeting.has_started():
        raise ValidationError(_("Minutes are approved once the approving meeting has taken place."))
    return at_meeting


def _ready_to_publish(minutes: Minutes, at_meeting: Meeting | None) -> None:
    return None


# The lifecycle: draft -> circulated -> approved (text frozen) -> public. Nothing else moves.
MINUTES_MOVES: dict[str, MinutesMove] = {
    MinutesStatus.CIRCULATED: MinutesMove(
        MinutesStatus.DRAFT,
        gettext_lazy("Only draft minutes can be circulated."),
        "circulated_at",
        _ready_to_circulate,
    ),
    MinutesStatus.APPROVED: MinutesMove(
        MinutesStatus.CIRCULATED,
        gettext_lazy("Only circulated minutes can be approved."),
        "approved_at",
        _ready_to_approve,
    ),
    MinutesStatus.PUBLIC: MinutesMove(
        MinutesStatus.APPROVED,
        gettext_lazy("Only approved minutes can be made public."),
        "published_at",
        _ready_to_publish,
    ),
}


# The audit trail's name of each move.
MINUTES_ACTIONS = {
    MinutesStatus.CIRCULATED: "minutes.circulate",
    MinutesStatus.APPROVED: "minutes.approve",
    MinutesStatus.PUBLIC: "minutes.publish",
}


def minutes_transition(
    *,
    minutes: Minutes,
    to_status: str,
    by,
    at_meeting: Meeting | None = None,
    then: Callable[[Minutes], dict] | None = None,
) -> Minutes:
    """Move the minutes to `to_status` along `MINUTES_MOVES`, stamping when it happened.

    Circulated minutes are seen by members and observers on the meeting page; approved ones
    (at `at_meeting`, or the meeting chosen beforehand) have their text frozen and kept as a
    version; public ones are shown to everyone. Raises PermissionDenied unless `by` is the
    secretariat, ValidationError for a move the table does not allow from the current status
    or whose conditions do not hold. `then`, given, runs inside the move's transaction once the
    minutes are moved; what it returns is added to the audit entry's changes.
    """
    require_secretariat(by)
    move = MINUTES_MOVES.get(to_status)
    if move is None:
        raise ValidationError(_("Minutes cannot be moved to this status."))
    with transaction.atomic():
        minutes = Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)
        if minutes.status != move.from_status:
            raise ValidationError(str(move.refused))
        approving = move.check(minutes, at_meeting)
        changes = {"status": [minutes.status, to_status]}
        if approving is not None and approving.pk != minutes.approved_at_meeting_id:
            changes["approved_at_meeting"] = [minutes.approved_at_meeting, approving]
        minutes.status = to_status
        setattr(minutes, move.stamped, timezone.now())
        changed = ["status", move.stamped]
        if approving is not None:
            minutes.approved_at_meeting = approving
            changed.append("approved_at_meeting")
        minutes.save(update_fields=[*changed, "updated_at"])
        if to_status == MinutesStatus.APPROVED:
            _keep_version(minutes, by=by)
        if then is not None:
            changes.update(then(minutes))
        audit_record(actor=by, action=MINUTES_ACTIONS[to_status], obj=minutes, changes=changes)
    return minutes


def minutes_circulate(*, minutes: Minutes, by) -> Minutes:
    """Send draft minutes to the members and observers (`minutes_transition`): in the same
    transaction, one e-mail per focal point of a current member or observer organisation,
    through the outbox (MinutesCirculationDelivery, in each recipient's language), queued once
    it commits. The move's audit entry counts the e-mails."""
    return minutes_transition(
        minutes=minutes, to_status=MinutesStatus.CIRCULATED, by=by, then=_circulation_emails
    )


def _circulation_emails(minutes: Minutes) -> dict:
    recipients = focal_points_of([OrganisationKind.MEMBER, OrganisationKind.OBSERVER])
    MinutesCirculationDelivery.objects.bulk_create(
        [
            MinutesCirculationDelivery(
                minutes=minutes, person_id=person_id, email=email, language=language, time_zone=zone
            )
            for person_id, email, language, zone in recipients.exclude(email="")
            .order_by("pk")
            .values_list("pk", "email", "preferred_language", "time_zone")
        ],
        ignore_conflicts=True,
    )
    queued = deliveries_queue_on_commit(
        MinutesCirculationDelivery.objects.filter(minutes=minutes, state=DeliveryState.PENDING)
    )
    return {"emails": [None, queued]}


def minutes_approve(*, minutes: Minutes, by, at_meeting: Meeting | None = None) -> Minutes:
    """Approve circulated minutes at a later meeting (`minutes_transition`)."""
    return minutes_transition(
        minutes=minutes, to_status=MinutesStatus.APPROVED, by=by, at_meeting=at_meeting
    )


def minutes_publish(*, minutes: Minutes, by) -> Minutes:
    """Make approved minutes public (`minutes_transition`)."""
    return minutes_transition(minutes=minutes, to_status=MinutesStatus.PUBLIC, by=by)


def minutes_emails_retry_failed(*, deliveries, by) -> int:
    """Put failed circulation e-mails back to pending and queue them (they are checked again
    when sent). Raises PermissionDenied unless `by` is the secretariat (or SYSTEM)."""
    require_secretariat(by)
    return failed_deliveries_retry(
        deliveries=deliveries, by=by, action="minutes_delivery.retry_failed"
    )
