"""Invitations and their answers, and attendance."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.invitation_links import check_answer_link, read_answer_token
from meetings.models import (
    Attendance,
    AttendanceCapacity,
    AttendanceStatus,
    Invitation,
    InvitationResponse,
    Meeting,
)
from meetings.reminders.invitations import invitation_emails_create
from members.actors import SYSTEM, require_secretariat, user_or_none
from members.models import Organisation, OrganisationKind, Person
from members.standing import standing_of
from untfsse.core.audit import audit_diff, audit_record, field_values


# --- Invitations --------------------------------------------------------------------------
def _require_open_for_invitations(meeting: Meeting) -> None:
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting is cancelled: no one can be invited."))
    if meeting.is_over():
        raise ValidationError(_("This meeting is over: no one can be invited."))


def focal_points_of(kinds: Iterable[str] = (), organisations: Iterable[Organisation] = ()):
    """People with an active account who are focal points of current organisations of these
    kinds, or of these organisations (when still current)."""
    chosen = Q(organisation__kind__in=list(kinds)) | Q(
        organisation__in=[organisation.pk for organisation in organisations]
    )
    return Person.objects.filter(
        chosen,
        user__isnull=False,
        user__is_active=True,
        organisation__in=Organisation.objects.current(),
    )


def invitations_create(
    *,
    meeting: Meeting,
    by,
    organisation_kinds: Iterable[str] = (),
    organisations: Iterable[Organisation] = (),
    persons: Iterable[Person] = (),
) -> list[Invitation]:
    """Invite every current focal point of organisations of the given kinds (member, observer,
    partner) and of the given organisations, and/or the given people (a person with an e-mail
    address is enough: no account needed). People already invited are left as they are.

    Each invitee who has never had the invitation e-mail gets one (an `invitation`
    ReminderDelivery, sent by the outbox after the commit, with Accept / Tentative / Decline
    links that need no sign-in): inviting again never writes a second invitation or e-mail.

    Returns the new invitations. Raises ValidationError when the meeting is cancelled or over,
    or when nobody is chosen.
    """
    require_secretariat(by)
    organisation_kinds = list(organisation_kinds)
    organisations = list(organisations)
    if set(organisation_kinds) - set(OrganisationKind.values):
        raise ValidationError(
            _("Invitations go to focal points of members, observers or partners.")
        )
    person_ids = {person.pk for person in persons}
    if organisation_kinds or organisations:
        person_ids |= set(
            focal_points_of(organisation_kinds, organisations).values_list("pk", flat=True)
        )
    if not organisation_kinds and not organisations and not person_ids:
        raise ValidationError(_("Choose the people or the kinds of organisation to invite."))
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        _require_open_for_invitations(meeting)
        already = set(
            Invitation.objects.filter(meeting=meeting, person_id__in=person_ids).values_list(
                "person_id", flat=True
            )
        )
        created = Invitation.objects.bulk_create(
            [
                Invitation(meeting=meeting, person_id=person_id, invited_by=user_or_none(by))
                for person_id in sorted(person_ids - already)
            ]
        )
        emails = invitation_emails_create(meeting=meeting, person_ids=person_ids)
        if created or emails:
            audit_record(
                actor=by,
                action="meeting.invite",
                obj=meeting,
                changes={
                    "invited": [None, len(created)],
                    "invitation_emails": [None, len(emails)],
                },
            )
    return created


ANSWERS = (InvitationResponse.ACCEPTED, InvitationResponse.DECLINED, InvitationResponse.TENTATIVE)


def invitation_respond(*, invitation: Invitation, response: str, by, now=None) -> Invitation:
    """The invited person's answer (accepted, declined or tentative); it can change until the
    meeting starts.

    Raises PermissionDenied when `by` is not the invited person's account; ValidationError for
    an unknown answer, a cancelled meeting, or once the meeting has started.
    """
    if response not in ANSWERS:
        raise ValidationError(_("Answer accept, decline or tentative."))
    if by is not SYSTEM:
        standing = standing_of(by)
        if standing.person is None or standing.person.pk != invitation.person_id:
            raise PermissionDenied(_("Only the invited person can answer this invitation."))
    now = now or timezone.now()
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update().select_related("meeting").get(pk=invitation.pk)
        )
        if invitation.meeting.is_cancelled:
            raise ValidationError(_("This meeting is cancelled."))
        if invitation.meeting.has_started(now):
            raise ValidationError(_("This meeting has started: answers can no longer be changed."))
        before = field_values(invitation, ["response"])
        invitation.response = response
        invitation.responded_at = now
        invitation.save(update_fields=["response", "responded_at", "updated_at"])
        audit_record(
            actor=by,
            action="invitation.respond",
            obj=invitation,
            changes=audit_diff(before, field_values(invitation, ["response"])),
        )
    return invitation


def invitation_answer_by_link(
    *, invitation_id: int, token: str, now=None
) -> tuple[Invitation, str]:
    """The answer given through one of the invitation e-mail's signed links, without signing in
    (meetings.invitation_links). Returns the invitation and the answer recorded.

    The link must be a genuine one of this invitation, not yet used (answering through a link
    makes every earlier link of the invitation used), and the meeting neither over, nor
    started, nor cancelled. Otherwise raises InvitationLinkRefused with the page's status and
    message, and nothing changes.
    """
    version, response = read_answer_token(token, invitation_id=invitation_id)
    now = now or timezone.now()
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("meeting", "person")
            .filter(pk=invitation_id)
            .first()
        )
        check_answer_link(invitation, version=version, now=now)
        before = field_values(invitation, ["response"])
        invitation.response = response
        invitation.responded_at = now
        invitation.answer_version += 1
        invitation.save(update_fields=["response", "responded_at", "answer_version", "updated_at"])
        audit_record(
            actor=SYSTEM,
            action="invitation.respond_by_link",
            obj=invitation,
            changes=audit_diff(before, field_values(invitation, ["response"])),
        )
    return invitation, response


# --- Attendance ---------------------------------------------------------------------------
_CAPACITY_OF_KIND = {
    OrganisationKind.MEMBER: AttendanceCapacity.MEMBER,
    OrganisationKind.OBSERVER: AttendanceCapacity.OBSERVER,
}


def default_capacity(organisation: Organisation | None) -> str:
    """The capacity the organisation's kind gives (member or observer; anyone else a guest)."""
    kind = organisation.kind if organisation is not None else None
    return _CAPACITY_OF_KIND.get(kind, AttendanceCapacity.GUEST)


def attendance_record(
    *,
    meeting: Meeting,
    by,
    person: Person | None = None,
    organisation: Organisation | None = None,
    capacity: str = "",
    status: str = AttendanceStatus.PRESENT,
    now=None,
) -> Attendance:
    """Record (or correct) that a person, or an organisation whose people are not named, took
    part in a meeting.

    The organisation defaults to the person's current one; the capacity to the organisation's
    kind (member or observer; anyone else is a guest). Recording the same person again updates
    their row. Raises ValidationError when nobody is named, for a cancelled meeting or one not
    yet started, or for an unknown capacity or status.
    """
    require_secretariat(by)
    if person is None and organisation is None:
        raise ValidationError(_("Name the person or the organisation that took part."))
    if status not in AttendanceStatus.values:
        raise ValidationError(_("Unknown attendance status."))
    if capacity and capacity not in AttendanceCapacity.values:
        raise ValidationError(_("Unknown capacity."))
    if organisation is None and person is not None:
        organisation = person.organisation
    if not capacity:
        capacity = default_capacity(organisation)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.is_cancelled:
            raise ValidationError(_("This meeting was cancelled: no attendance can be recorded."))
        if not meeting.has_started(now):
            raise ValidationError(_("Attendance can be recorded once the meeting has started."))
        lookup = (
            {"meeting": meeting, "person": person}
            if person is not None
            else {"meeting": meeting, "person": None, "organisation": organisation}
        )
        values = {
            "organisation": organisation,
            "capacity": capacity,
            "status": status,
        }
        attendance = Attendance.objects.filter(**lookup).first()
        before = field_values(attendance, values) if attendance is not None else {}
        if attendance is None:
            attendance = Attendance.objects.create(
                **{**lookup, **values}, recorded_by=user_or_none(by)
            )
        else:
            changed = [name for name, value in values.items() if getattr(attendance, name) != value]
            if changed:
                for name in changed:
                    setattr(attendance, name, values[name])
                attendance.recorded_by = user_or_none(by)
                attendance.save(update_fields=[*changed, "recorded_by", "updated_at"])
        if person is not None and organisation is not None and status == AttendanceStatus.PRESENT:
            # A row for "someone from this organisation" stood for people not yet named; once
            # one of them is named it would count the same participant twice.
            Attendance.objects.filter(
                meeting=meeting, person=None, organisation=organisation
            ).delete()
        audit_record(
            actor=by,
            action="attendance.record",
            obj=attendance,
            changes=audit_diff(before, field_values(attendance, values)),
        )
    return attendance


def attendance_from_invitations(*, meeting: Meeting, by, now=None) -> list[Attendance]:
    """Record as present everyone who accepted the invitation (existing rows are updated)."""
    require_secretariat(by)
    invitations = (
        Invitation.objects.accepted().filter(meeting=meeting).select_related("person__organisation")
    )
    return [
        attendance_record(meeting=meeting, person=invitation.person, by=by, now=now)
        for invitation in invitations
    ]
