"""What the portal holds about a person: their own copy of it, and the deletion of their account.

Several apps hold something about a person (meetings: invitations, attendance, reminders; the
Knowledge Hub: submissions, reviews, e-mails; the action plan: the progress they reported).
Members sits below them and cannot import them, so each app describes its part in a
`<app>/personal_data.py` module whose `SECTION` is a `PersonalDataSection`, found by name as
the apps' seed modules are (`untfsse.core.discovery.app_modules`). This module holds the
account's own section (the account, its e-mail addresses, the person record, offices,
affiliation requests, account invitations) and the two services every way in uses:
`personal_data_export` and `account_delete`.

The deletion policy (README, "A person's own data"):
- **Goes**: the account (sign-in, name, password, groups), its e-mail addresses, affiliation
  requests, account invitations sent to its addresses, the person record's private details
  (e-mail address, link to the account, e-mail preferences), reminders and other e-mails
  addressed to them, their Knowledge Hub submissions that were not published (with every
  version's file and the reviews of them).
- **Stays**, because the Task Force's history needs it: attendance and invitations (the counts
  of who was invited and who took part), papers published in the Knowledge Hub with their
  authors' names, offices held. The person record stays for them: with its name when the
  public record names the person (an office held, an agenda item presented, progress
  reported, a published paper linked to them), otherwise anonymised ("Former participant").
- **Refused**: staff accounts (secretariat, administrators: a superuser closes them in the
  admin) and reviewers with reviews assigned, whose reviews are part of the submissions'
  record (the secretariat first reassigns them).
"""

import datetime
import json
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from members.actors import SYSTEM
from members.models import (
    AffiliationDelivery,
    AffiliationInvitation,
    AffiliationRequest,
    Language,
    Person,
    Role,
    User,
)
from members.standing import forget_standing
from untfsse.core.audit import audit_record
from untfsse.core.discovery import app_modules

FORMAT = "untfsse-personal-data/1"
JSON_NAME = "personal-data.json"
# The name an anonymised person record keeps (its rows still count in attendance).
FORMER_PARTICIPANT = "Former participant"


# --- Sections ------------------------------------------------------------------------------
@dataclass(frozen=True)
class ExportFile:
    """A stored file that goes into the export's zip, under `name` (files/...)."""

    name: str
    file: FieldFile


@dataclass
class SectionData:
    data: dict
    files: list[ExportFile] = field(default_factory=list)


def _nothing(**kwargs) -> None:
    return None


@dataclass(frozen=True)
class PersonalDataSection:
    """One app's part of a person's data.

    `export(user=, person=)` returns the section's JSON and files; `erase(user=, person=)` runs
    inside the deletion's transaction, before the account is deleted, removes what the policy
    removes and returns what it removed ({"what": count}); `names_person(person=)` says whether
    the app's public record names the person (the person record then keeps its name);
    `refusal(user=)` is why the account cannot delete itself, or None.
    """

    key: str
    export: Callable[..., SectionData]
    erase: Callable[..., dict[str, int]]
    names_person: Callable[..., bool] = _nothing
    refusal: Callable[..., str | None] = _nothing


def personal_data_sections() -> list[PersonalDataSection]:
    """Every app's section, lowest layer first (INSTALLED_APPS order)."""
    return [module.SECTION for _app, module in app_modules("personal_data")]


def iso(value) -> str | None:
    """A date or time as ISO 8601 (times in UTC), None as None."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    return value.isoformat()


def _require_owner(by, user) -> None:
    """The account's owner (or a superuser acting on their request, or the portal itself)."""
    if by is SYSTEM:
        return
    if (
        by is not None
        and by.is_authenticated
        and by.is_active
        and (by.pk == user.pk or by.is_superuser)
    ):
        return
    raise PermissionDenied(_("Only the account's owner can do this."))


# --- Export --------------------------------------------------------------------------------
@dataclass
class PersonalDataExport:
    document: dict
    files: list[ExportFile]


def personal_data_export(*, user, by) -> PersonalDataExport:
    """Everything the portal holds about `user`, as one JSON document (a key per section) and
    the files that go with it. Raises PermissionDenied unless `by` is the account's owner (or a
    superuser, or SYSTEM)."""
    _require_owner(by, user)
    person = Person.objects.select_related("organisation").filter(user=user).first()
    document = {"format": FORMAT, "exported_at": iso(timezone.now())}
    files: list[ExportFile] = []
    for section in personal_data_sections():
        part = section.export(user=user, person=person)
        document[section.key] = part.data
        files.extend(part.files)
    return PersonalDataExport(document=document, files=files)


def personal_data_zip(export: PersonalDataExport):
    """The export as a zip (personal-data.json and the files), in a temporary file opened for
    reading from its start (kept in memory up to 10 MB). A file the storage has lost is named
    in the JSON's `missing_files` rather than failing the whole download."""
    present = [item for item in export.files if item.file.storage.exists(item.file.name)]
    missing = [item.name for item in export.files if item not in present]
    document = {**export.document, **({"missing_files": missing} if missing else {})}
    archive = tempfile.SpooledTemporaryFile(max_size=10 * 1024 * 1024)  # noqa: SIM115
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr(
            JSON_NAME, json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
        )
        for exported in present:
            with exported.file.open("rb") as stored, zipped.open(exported.name, "w") as target:
                while chunk := stored.read(1024 * 1024):
                    target.write(chunk)
    archive.seek(0)
    return archive


def _addresses(user) -> list[str]:
    addresses = {user.email.lower()}
    addresses.update(
        email.lower()
        for email in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    )
    return sorted(addresses)


def _invitations_of(user):
    addressed = Q()
    for address in _addresses(user):
        addressed |= Q(email__iexact=address)
    return AffiliationInvitation.objects.filter(addressed | Q(accepted_by=user))


def _affiliation_emails_to(user):
    """The affiliation e-mails (outbox rows) addressed to any of the user's addresses."""
    addressed = Q()
    for address in _addresses(user):
        addressed |= Q(email__iexact=address)
    return AffiliationDelivery.objects.filter(addressed)


def _account_export(*, user, person) -> SectionData:
    return SectionData(
        {
            "user": {
                "id": user.pk,
                "email": user.email,
                "name": user.name,
                "date_joined": iso(user.date_joined),
                "last_login": iso(user.last_login),
                "is_staff": user.is_staff,
                "groups": sorted(user.groups.values_list("name", flat=True)),
            },
            "email_addresses": [
                {"email": address.email, "verified": address.verified, "primary": address.primary}
                for address in EmailAddress.objects.filter(user=user).order_by("email")
            ],
            "person": None
            if person is None
            else {
                "id": person.pk,
                "name": person.name,
                "honorific": person.honorific,
                "organisation": person.organisation.acronym if person.organisation else None,
                "position": person.position,
                "email": person.email,
                "public_profile": person.public_profile,
                "preferred_language": person.preferred_language,
                "time_zone": person.time_zone,
                "receives_reminders": person.receives_reminders,
            },
            "offices": []
            if person is None
            else [
                {
                    "office": role.office,
                    "title": role.title,
                    "organisation": role.organisation.acronym if role.organisation else None,
                    "started_on": iso(role.started_on),
                    "ended_on": iso(role.ended_on),
                }
                for role in Role.objects.filter(person=person)
                .select_related("organisation")
                .order_by("started_on", "pk")
            ],
            "affiliation_requests": [
                {
                    "organisation": request.organisation.acronym,
                    "name": request.name,
                    "position": request.position,
                    "message": request.message,
                    "status": request.status,
                    "created_at": iso(request.created_at),
                    "decided_at": iso(request.decided_at),
                    "decision_note": request.decision_note,
                }
                for request in AffiliationRequest.objects.filter(user=user)
                .select_related("organisation")
                .order_by("created_at", "pk")
            ],
            "account_invitations": [
                {
                    "email": invitation.email,
                    "organisation": invitation.organisation.acronym,
                    "sent_at": iso(invitation.sent_at),
                    "accepted_at": iso(invitation.accepted_at),
                }
                for invitation in _invitations_of(user)
                .select_related("organisation")
                .order_by("created_at", "pk")
            ],
            "affiliation_emails": [
                {
                    "email": delivery.purpose,
                    "to": delivery.email,
                    "state": delivery.state,
                    "sent_at": iso(delivery.sent_at),
                }
                for delivery in _affiliation_emails_to(user).order_by("created_at", "pk")
            ],
        }
    )


def _account_erase(*, user, person) -> dict[str, int]:
    """The user's requests, invitations and the affiliation e-mails addressed to them (those
    about their requests and invitations go with them)."""
    _total, emails = _affiliation_emails_to(user).delete()
    _total, invitations = _invitations_of(user).delete()
    _total, requests = AffiliationRequest.objects.filter(user=user).delete()
    email_label = AffiliationDelivery._meta.label
    return {
        "account_invitations": invitations.get(AffiliationInvitation._meta.label, 0),
        "affiliation_requests": requests.get(AffiliationRequest._meta.label, 0),
        "affiliation_emails": sum(
            counts.get(email_label, 0) for counts in (emails, invitations, requests)
        ),
    }


def _account_names_person(*, person) -> bool:
    return Role.objects.filter(person=person).exists()


def _account_refusal(*, user) -> str | None:
    if user.is_staff or user.is_superuser:
        return _(
            "Secretariat and administrator accounts are closed by a superuser in the "
            "administration pages: ask another administrator."
        )
    return None


SECTION = PersonalDataSection(
    key="account",
    export=_account_export,
    erase=_account_erase,
    names_person=_account_names_person,
    refusal=_account_refusal,
)


# --- Deletion ------------------------------------------------------------------------------
def account_deletion_refusal(user) -> str | None:
    """Why `user` cannot delete their own account (the first reason any app gives), or None."""
    for section in personal_data_sections():
        reason = section.refusal(user=user)
        if reason:
            return reason
    return None


def person_keeps_name(person: Person | None) -> bool:
    """Whether the public record names this person (their record then keeps its name)."""
    return person is not None and any(
        section.names_person(person=person) for section in personal_data_sections()
    )


@dataclass(frozen=True)
class AccountDeletion:
    """What a deletion did: the account's number, what became of the person record
    ("anonymised", "kept", or "none") and how many rows of each kind were removed."""

    user_id: int
    person_id: int | None
    person_outcome: str
    removed: dict[str, int]


def _strip_person(person: Person, *, keep_name: bool) -> None:
    person.email = ""
    person.user = None
    person.receives_reminders = False
    person.preferred_language = Language.ENGLISH
    person.time_zone = "UTC"
    fields = ["email", "user", "receives_reminders", "preferred_language", "time_zone"]
    if not keep_name:
        person.name = FORMER_PARTICIPANT
        person.honorific = ""
        person.position = ""
        person.public_profile = False
        fields += ["name", "honorific", "position", "public_profile"]
    person.save(update_fields=[*fields, "updated_at"])


def account_delete(*, user, by) -> AccountDeletion:
    """Delete `user`'s account under the policy of this module's docstring, in one transaction,
    and record it in the audit trail ("account.delete": what became of the person record and
    how many rows of each kind went).

    Raises PermissionDenied unless `by` is the account's owner (or a superuser, or SYSTEM), and
    ValidationError with the reason when the account cannot delete itself (staff, reviewer with
    reviews assigned); the secretariat sees that request and its reason in the audit trail too
    ("account.delete_refused"). Files of deleted submissions are removed after the commit.
    """
    _require_owner(by, user)
    reason = account_deletion_refusal(user)
    if reason:
        with translation.override(settings.LANGUAGE_CODE):
            recorded = account_deletion_refusal(user)
        with transaction.atomic():
            audit_record(
                actor=by,
                action="account.delete_refused",
                # The model instance itself (the request's user is a lazy stand-in for it).
                obj=User.objects.get(pk=user.pk),
                changes={"reason": [None, recorded]},
            )
        raise ValidationError(reason)
    sections = personal_data_sections()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        person = Person.objects.select_for_update().filter(user=user).first()
        keep_name = person_keeps_name(person)
        removed: dict[str, int] = {}
        # Higher apps first: their rows may protect the account (a submission's submitter).
        for section in reversed(sections):
            removed.update(section.erase(user=user, person=person))
        if person is not None:
            _strip_person(person, keep_name=keep_name)
        removed["email_addresses"], _by_model = EmailAddress.objects.filter(user=user).delete()
        outcome = "none" if person is None else ("kept" if keep_name else "anonymised")
        # Recorded while the account still exists; the entry keeps the name it had (the
        # actor's label) once the account is gone.
        audit_record(
            actor=by,
            action="account.delete",
            obj=user,
            changes={
                "person": [f"#{person.pk}" if person else None, outcome],
                **{what: [count, 0] for what, count in removed.items() if count},
            },
        )
        user_id = user.pk
        user.delete()
    forget_standing(user)
    return AccountDeletion(
        user_id=user_id,
        person_id=person.pk if person is not None else None,
        person_outcome=outcome,
        removed=removed,
    )
