"""Every change to organisations, people and affiliations goes through these functions."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from members.actors import require_secretariat, require_superuser
from members.models import (
    AffiliationDelivery,
    AffiliationEmail,
    AffiliationInvitation,
    AffiliationRequest,
    AffiliationStatus,
    Organisation,
    Person,
)
from members.permissions import has_verified_email
from members.standing import forget_standing, standing_of
from untfsse.core.audit import audit_diff, audit_record, field_values
from untfsse.core.invalidation import content_changed
from untfsse.core.outbox.tasks import deliveries_queue_on_commit, failed_deliveries_retry


def _require_secretariat(by) -> None:
    require_secretariat(by, _("Only the secretariat can decide on affiliations."))


def affiliation_request_create(
    *,
    user,
    organisation: Organisation,
    name: str,
    position: str = "",
    person: Person | None = None,
    message: str = "",
) -> AffiliationRequest:
    """Record a user's request to become a focal point of `organisation`.

    Raises ValidationError when the user has no verified e-mail address, already has a request
    waiting, is already a focal point of that organisation, or names a person who belongs to
    another organisation or another account.
    """
    if not has_verified_email(user):
        raise ValidationError(_("Confirm your e-mail address before asking for an affiliation."))
    if not organisation.is_current:
        raise ValidationError(_("This organisation is no longer part of the Task Force."))
    standing = standing_of(user)
    if standing.organisation is not None and standing.organisation.pk == organisation.pk:
        raise ValidationError(_("You are already a focal point of this organisation."))
    if person is not None:
        if person.organisation_id != organisation.pk:
            raise ValidationError(_("This person is not listed under the chosen organisation."))
        if person.user_id is not None and person.user_id != user.pk:
            raise ValidationError(_("This person is already linked to another account."))
    with transaction.atomic():
        if AffiliationRequest.objects.pending().filter(user=user).exists():
            raise ValidationError(_("You already have a request waiting for the secretariat."))
        request = AffiliationRequest.objects.create(
            user=user,
            organisation=organisation,
            person=person,
            name=name.strip(),
            position=position.strip(),
            message=message.strip(),
        )
        audit_record(
            actor=user,
            action="affiliation_request.create",
            obj=request,
            changes={"organisation": [None, organisation], "status": [None, request.status]},
        )
        notice = AffiliationDelivery.objects.create(
            purpose=AffiliationEmail.SECRETARIAT_NOTICE,
            request=request,
            email=settings.SECRETARIAT_EMAIL,
        )
        deliveries_queue_on_commit([notice])
    return request


def _link_user_to_person(
    *, user, organisation: Organisation, person: Person | None, name: str, position: str
) -> Person:
    """Make `user` the account of a person of `organisation`, creating the person if needed."""
    existing = Person.objects.select_for_update().filter(user=user).first()
    if person is not None:
        person = Person.objects.select_for_update().get(pk=person.pk)
        if person.user_id not in (None, user.pk):
            raise ValidationError(_("This person is already linked to another account."))
        if existing is not None and existing.pk != person.pk:
            existing.user = None
            existing.save(update_fields=["user", "updated_at"])
        person.user = user
        person.organisation = organisation
        if not person.email:
            person.email = user.email
        person.save(update_fields=["user", "organisation", "email", "updated_at"])
        return person
    if existing is not None:
        # The same person, now working for another organisation.
        existing.organisation = organisation
        existing.position = position or existing.position
        existing.save(update_fields=["organisation", "position", "updated_at"])
        return existing
    return Person.objects.create(
        name=name or user.name or user.email,
        position=position,
        organisation=organisation,
        email=user.email,
        user=user,
    )


def affiliation_request_approve(
    *, request: AffiliationRequest, by, note: str = ""
) -> AffiliationRequest:
    """Approve a pending request: the user becomes a focal point of the organisation.

    Raises PermissionDenied unless `by` is secretariat staff, ValidationError unless the
    request is pending. The user is told by e-mail after the transaction commits.
    """
    _require_secretariat(by)
    with transaction.atomic():
        request = (
            AffiliationRequest.objects.select_for_update()
            .select_related("user", "organisation")
            .get(pk=request.pk)
        )
        if request.status != AffiliationStatus.PENDING:
            raise ValidationError(_("This request has already been decided."))
        _link_user_to_person(
            user=request.user,
            organisation=request.organisation,
            person=request.person,
            name=request.name,
            position=request.position,
        )
        _record_decision(request, status=AffiliationStatus.APPROVED, by=by, note=note)
    forget_standing(request.user)
    return request


def affiliation_request_reject(
    *, request: AffiliationRequest, by, note: str = ""
) -> AffiliationRequest:
    """Reject a pending request; the user is told by e-mail, with the note if one is given."""
    _require_secretariat(by)
    with transaction.atomic():
        request = AffiliationRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != AffiliationStatus.PENDING:
            raise ValidationError(_("This request has already been decided."))
        _record_decision(request, status=AffiliationStatus.REJECTED, by=by, note=note)
    return request


AUDIT_VERBS = {AffiliationStatus.APPROVED: "approve", AffiliationStatus.REJECTED: "reject"}


def _record_decision(request: AffiliationRequest, *, status: str, by, note: str) -> None:
    """Store the decision and queue the e-mail that tells the user (in the caller's transaction)."""
    request.status = status
    request.decided_by = by
    request.decided_at = timezone.now()
    request.decision_note = note
    request.save(
        update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"]
    )
    audit_record(
        actor=by,
        action=f"affiliation_request.{AUDIT_VERBS[status]}",
        obj=request,
        changes={"status": [AffiliationStatus.PENDING, status]},
    )
    decision = AffiliationDelivery.objects.create(
        purpose=AffiliationEmail.DECISION, request=request, email=request.user.email
    )
    deliveries_queue_on_commit([decision])


def email_addresses_verify(*, addresses, by) -> list[str]:
    """Mark the unverified addresses among `addresses` as verified, and return them.

    A verified address signs in and receives the account's mail, so this is the superuser's
    (like every other change to accounts, members.groups). Raises PermissionDenied for anyone
    else.
    """
    require_superuser(by, _("Only a superuser can verify e-mail addresses."))
    verified = []
    with transaction.atomic():
        for address in addresses.filter(verified=False).select_for_update():
            if address.set_verified():
                verified.append(address.email)
        if verified:
            audit_record(
                actor=by,
                action="email_address.verify",
                obj=addresses.model,
                changes={"verified": [None, verified]},
            )
    return verified


def affiliation_invitation_send(
    *, invitation: AffiliationInvitation, by, again: bool = False
) -> AffiliationInvitation:
    """Send the invitation's signed sign-up link by e-mail, once; `again` sends it once more
    (a new e-mail, with its own Message-ID). Raises PermissionDenied unless `by` is the
    secretariat, ValidationError once the invitation has been accepted."""
    _require_secretariat(by)
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been accepted."))
    with transaction.atomic():
        invitation = AffiliationInvitation.objects.select_for_update().get(pk=invitation.pk)
        sent = invitation.deliveries.aggregate(last=Max("sequence"))["last"] or 0
        if sent and not again:
            return invitation
        email = AffiliationDelivery.objects.create(
            purpose=AffiliationEmail.INVITATION,
            invitation=invitation,
            sequence=sent + 1,
            email=invitation.email,
        )
        deliveries_queue_on_commit([email])
        action = "send_again" if again else "send"
        audit_record(actor=by, action=f"affiliation_invitation.{action}", obj=invitation)
    return invitation


def affiliation_emails_retry_failed(*, deliveries, by) -> int:
    """Put the failed affiliation e-mails among `deliveries` back to pending with a fresh count
    of attempts, and queue them. Raises PermissionDenied unless `by` is the secretariat."""
    require_secretariat(by)
    return failed_deliveries_retry(
        deliveries=deliveries, by=by, action="affiliation_delivery.retry_failed"
    )


def affiliation_invitation_accept(*, invitation: AffiliationInvitation, user) -> Person:
    """Link `user` to the invitation's organisation (and person). The account's e-mail address
    must be the invited one; an invitation is used once."""
    if user.email.lower() != invitation.email.lower():
        raise ValidationError(_("This invitation was sent to another e-mail address."))
    with transaction.atomic():
        invitation = (
            AffiliationInvitation.objects.select_for_update()
            .select_related("organisation")
            .get(pk=invitation.pk)
        )
        if invitation.accepted_at is not None:
            raise ValidationError(_("This invitation has already been used."))
        person = _link_user_to_person(
            user=user,
            organisation=invitation.organisation,
            person=invitation.person,
            name=invitation.name,
            position="",
        )
        invitation.accepted_by = user
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_by", "accepted_at", "updated_at"])
        audit_record(
            actor=user,
            action="affiliation_invitation.accept",
            obj=invitation,
            changes={"accepted_by": [None, user], "person": [None, person]},
        )
    forget_standing(user)
    return person


def person_set_reminders(*, person: Person, receive: bool) -> Person:
    """Turn a person's meeting reminders on or off (the unsubscribe link and the person's page).

    The link is the person's own: the audit trail names their account (the system if they
    have none)."""
    with transaction.atomic():
        Person.objects.filter(pk=person.pk).update(
            receives_reminders=receive, updated_at=timezone.now()
        )
        content_changed(Person)  # update() sends no signal
        audit_record(
            actor=person.user,
            action="person.set_reminders",
            obj=person,
            changes=audit_diff(
                {"receives_reminders": person.receives_reminders}, {"receives_reminders": receive}
            ),
        )
    person.receives_reminders = receive
    return person


PREFERENCE_FIELDS = ("receives_reminders", "preferred_language", "time_zone")


def person_update_preferences(
    *, person: Person, receives_reminders: bool, preferred_language: str, time_zone: str
) -> Person:
    """The person's own e-mail preferences (recorded as their account's act). Raises
    ValidationError for an unknown language or time zone."""
    before = Person.objects.filter(pk=person.pk).values(*PREFERENCE_FIELDS).first()
    person.receives_reminders = receives_reminders
    person.preferred_language = preferred_language
    person.time_zone = time_zone
    person.full_clean(validate_unique=False, validate_constraints=False)
    with transaction.atomic():
        person.save(
            update_fields=["receives_reminders", "preferred_language", "time_zone", "updated_at"]
        )
        audit_record(
            actor=person.user,
            action="person.update_preferences",
            obj=person,
            changes=audit_diff(before, field_values(person, PREFERENCE_FIELDS)),
        )
    return person
