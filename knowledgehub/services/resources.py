"""Every change to a Knowledge Hub resource goes through these functions.

They validate, write inside a transaction, keep the derived fields (slug, authors text, search
vector) in step, and queue the PDF's text extraction once the transaction has committed. The
admin, the seed data and the submissions workflow (which publishes a submission with
`resource_create`) all call them; none re-implements them.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from knowledgehub.indexing import resource_refresh_search_row, resource_refresh_search_vector
from knowledgehub.models import (
    SDG_NAMES,
    Licence,
    Resource,
    ResourceAuthor,
    ResourceStatus,
    Sdg,
    TextExtractionStatus,
    Theme,
    normalise_doi,
)
from knowledgehub.tasks import extract_resource_text
from members.actors import require_secretariat, user_or_none
from members.models import DatePrecision, Organisation, Person
from untfsse.core.audit import audit_diff, audit_record, field_values
from untfsse.core.invalidation import content_changed
from untfsse.core.queue import enqueue_on_commit
from untfsse.core.uploads import safe_file_name, validate_pdf_upload

SLUG_LENGTH = 120


@dataclass(frozen=True)
class AuthorEntry:
    """An author as printed on the resource, optionally linked to a person of the directory."""

    name: str
    person: Person | None = None
    affiliation: str = ""


AuthorInput = AuthorEntry | str

# The metadata fields a caller may set with resource_create / resource_update.
METADATA_FIELDS = (
    "kind",
    "title",
    "abstract",
    "published_on",
    "published_precision",
    "language",
    "external_url",
    "licence",
    "doi",
)


def _slug_for(title: str) -> str:
    return slugify(title)[:SLUG_LENGTH].strip("-") or "resource"


def _author_entries(authors: Iterable[AuthorInput]) -> list[AuthorEntry]:
    entries = []
    for author in authors:
        entry = AuthorEntry(name=author) if isinstance(author, str) else author
        name = " ".join(entry.name.split())
        if not name and entry.person is not None:
            name = entry.person.name
        if name:
            affiliation = " ".join(entry.affiliation.split())[:300]
            entries.append(
                AuthorEntry(name=name[:200], person=entry.person, affiliation=affiliation)
            )
    return entries


def _set_authors(resource: Resource, authors: Iterable[AuthorInput]) -> None:
    entries = _author_entries(authors)
    resource.authors.all().delete()
    ResourceAuthor.objects.bulk_create(
        ResourceAuthor(
            resource=resource,
            order=index,
            name=entry.name,
            affiliation=entry.affiliation,
            person=entry.person,
        )
        for index, entry in enumerate(entries, start=1)
    )
    content_changed(ResourceAuthor)  # bulk_create() sends no signal
    resource.authors_text = "; ".join(entry.name for entry in entries)


def _sdgs(values: Iterable[int | Sdg]) -> list[Sdg]:
    numbers = {value.number if isinstance(value, Sdg) else int(value) for value in values}
    unknown = sorted(number for number in numbers if number not in SDG_NAMES)
    if unknown:
        raise ValidationError(
            {"sdgs": _("There is no SDG %(numbers)s.") % {"numbers": ", ".join(map(str, unknown))}}
        )
    found = {sdg.number: sdg for sdg in Sdg.objects.filter(number__in=numbers)}
    # The migration creates all 17; a database emptied since (a test flush) gets them back.
    for number in numbers - set(found):
        with translation.override("en"):
            name = str(SDG_NAMES[number])
        found[number] = Sdg.objects.get_or_create(number=number, defaults={"name": name})[0]
    return list(found.values())


def theme_get_or_create(*, name: str) -> Theme:
    """The theme with this name (or address), created when it does not exist yet."""
    name = " ".join(name.split())[:100]
    slug = slugify(name)[:100]
    if not slug:
        raise ValidationError({"themes": _("A theme needs a name with letters or digits.")})
    theme = Theme.objects.filter(slug=slug).first()
    return theme or Theme.objects.create(name=name, slug=slug)


def _themes(values: Iterable[Theme | str]) -> list[Theme]:
    return [
        value if isinstance(value, Theme) else theme_get_or_create(name=value) for value in values
    ]


def _validate(resource: Resource) -> None:
    resource.full_clean(exclude=["pdf", "slug"])


def _queue_text_extraction(resource_id: int) -> None:
    enqueue_on_commit(extract_resource_text, resource_id=resource_id)


def _store_pdf(resource: Resource, pdf) -> str | None:
    """Validate and store the uploaded PDF on the resource (not saved); the replaced file's name."""
    validate_pdf_upload(pdf)
    previous = resource.pdf.name or None
    name = safe_file_name(getattr(pdf, "name", "") or "", extension="pdf", fallback=resource.slug)
    resource.pdf.save(name, pdf, save=False)
    resource.extracted_text = ""
    resource.text_extraction_status = TextExtractionStatus.PENDING
    return previous


def _audited(resource: Resource, relations: Iterable[str] = ()) -> dict:
    """What the audit trail compares before and after an edit: the metadata, the authors, the
    file's name and the named relations (by their names)."""
    values = field_values(resource, (*METADATA_FIELDS, "authors_text"))
    values["pdf"] = resource.pdf.name or None  # the name now: the file object changes in place
    for name in relations:
        values[name] = sorted(str(row) for row in getattr(resource, name).all())
    return values


def _delete_file_after_commit(name: str | None) -> None:
    if not name:
        return
    storage = Resource._meta.get_field("pdf").storage
    transaction.on_commit(lambda: storage.delete(name))


def resource_create(
    *,
    kind: str,
    title: str,
    abstract: str = "",
    authors: Sequence[AuthorInput] = (),
    organisations: Iterable[Organisation] = (),
    published_on: datetime.date | None = None,
    published_precision: str = DatePrecision.DAY,
    language: str = "en",
    sdgs: Iterable[int | Sdg] = (),
    themes: Iterable[Theme | str] = (),
    pdf=None,
    external_url: str = "",
    licence: str = Licence.CC_BY,
    doi: str = "",
    by=None,
) -> Resource:
    """Create and publish a resource with its authors (in order), organisations, SDGs, themes
    and optionally a PDF, whose text is extracted after commit.

    `authors` are names or `AuthorEntry(name, person)`; `sdgs` numbers 1-17 or Sdg rows;
    `themes` Theme rows or names (created when new). Raises ValidationError, naming the field,
    for invalid metadata, an unknown SDG or a file that is not a sound PDF; nothing is written
    then.
    """
    resource = Resource(
        kind=kind,
        title=" ".join(title.split()),
        abstract=abstract.strip(),
        published_on=published_on,
        published_precision=published_precision,
        language=language,
        external_url=external_url,
        licence=licence,
        doi=normalise_doi(doi),
        created_by=by,
        status=ResourceStatus.PUBLISHED,
    )
    resource.slug = _slug_for(resource.title)
    _validate(resource)
    sdg_rows = _sdgs(sdgs)
    with transaction.atomic():
        theme_rows = _themes(themes)
        if pdf is not None:
            _store_pdf(resource, pdf)
        resource.save()
        _set_authors(resource, authors)
        resource.save(update_fields=["authors_text"])
        resource.organisations.set(organisations)
        resource.sdgs.set(sdg_rows)
        resource.themes.set(theme_rows)
        resource_refresh_search_vector(resource_id=resource.pk)
        if pdf is not None:
            _queue_text_extraction(resource.pk)
        audit_record(
            actor=by,
            action="resource.create",
            obj=resource,
            changes=audit_diff({}, {"status": resource.status, "pdf": resource.pdf.name or None}),
        )
    return resource


def resource_update(
    *,
    resource: Resource,
    by,
    authors: Sequence[AuthorInput] | None = None,
    organisations: Iterable[Organisation] | None = None,
    sdgs: Iterable[int | Sdg] | None = None,
    themes: Iterable[Theme | str] | None = None,
    pdf=None,
    **fields,
) -> Resource:
    """Change a resource's metadata; relations are replaced only when passed.

    `fields` are any of METADATA_FIELDS. A new `pdf` replaces the old file (deleted after
    commit) and queues its text extraction. Raises ValidationError as resource_create does.
    """
    unknown = set(fields) - set(METADATA_FIELDS)
    if unknown:
        raise TypeError(f"resource_update() cannot set {', '.join(sorted(unknown))}")
    relations = [
        name
        for name, given in (("organisations", organisations), ("sdgs", sdgs), ("themes", themes))
        if given is not None
    ]
    before = _audited(resource, relations)
    for name, value in fields.items():
        if name == "title":
            value = " ".join(value.split())
        elif name == "doi":
            value = normalise_doi(value)
        setattr(resource, name, value)
    resource.slug = _slug_for(resource.title)
    _validate(resource)
    sdg_rows = _sdgs(sdgs) if sdgs is not None else None
    with transaction.atomic():
        replaced_file = _store_pdf(resource, pdf) if pdf is not None else None
        if authors is not None:
            _set_authors(resource, authors)
        resource.save()
        if organisations is not None:
            resource.organisations.set(organisations)
        if sdg_rows is not None:
            resource.sdgs.set(sdg_rows)
        if themes is not None:
            resource.themes.set(_themes(themes))
        resource_refresh_search_vector(resource_id=resource.pk)
        if pdf is not None:
            _queue_text_extraction(resource.pk)
            if replaced_file != resource.pdf.name:
                _delete_file_after_commit(replaced_file)
        audit_record(
            actor=by,
            action="resource.update",
            obj=resource,
            changes=audit_diff(before, _audited(resource, relations)),
        )
    return resource


def resource_attach_pdf(*, resource: Resource, pdf, by) -> Resource:
    """Attach (or replace) the resource's PDF and queue its text extraction after commit.

    Raises ValidationError when the file is not a PDF pypdf can open, is encrypted, or is
    over 20 MB.
    """
    return resource_update(resource=resource, by=by, pdf=pdf)


# The fields resource_sync_after_edit derives from what the admin's form saved.
_DERIVED_FIELDS = ("slug", "authors_text", "text_extraction_status")


def resource_sync_after_edit(*, resource: Resource, pdf_changed: bool, by=None) -> None:
    """Bring the derived fields up to date after the admin's form saved the resource itself.

    Recomputes the slug and the authors text from the saved author rows, records who created
    it, resets the text extraction when the PDF changed (queuing it after commit) and refreshes
    the search vector.
    """
    with transaction.atomic():
        names = list(resource.authors.order_by("order", "pk").values_list("name", flat=True))
        before = field_values(resource, _DERIVED_FIELDS)
        resource.slug = _slug_for(resource.title)
        resource.authors_text = "; ".join(names)
        update_fields = ["slug", "authors_text"]
        if resource.created_by_id is None and by is not None:
            resource.created_by = by
            update_fields.append("created_by")
        if pdf_changed:
            resource.extracted_text = ""
            resource.text_extraction_status = (
                TextExtractionStatus.PENDING if resource.pdf else TextExtractionStatus.NO_FILE
            )
            update_fields += ["extracted_text", "text_extraction_status"]
        resource.save(update_fields=update_fields)
        resource_refresh_search_vector(resource_id=resource.pk)
        if pdf_changed and resource.pdf:
            _queue_text_extraction(resource.pk)
        # What the form itself changed is in the admin's own history of the resource.
        audit_record(
            actor=by,
            action="resource.edit",
            obj=resource,
            changes=audit_diff(before, field_values(resource, _DERIVED_FIELDS)),
        )


def resource_withdraw(*, resource: Resource, reason: str, by) -> Resource:
    """Withdraw a published resource: its page becomes a tombstone (title, citation, reason),
    its PDF is no longer served and OAI-PMH reports it as deleted.

    Raises PermissionDenied unless `by` is the secretariat (or SYSTEM), ValidationError without
    a reason or when it is already withdrawn.
    """
    require_secretariat(by)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"withdrawal_reason": _("Say why the resource is withdrawn.")})
    with transaction.atomic():
        resource = Resource.objects.select_for_update().get(pk=resource.pk)
        if resource.is_withdrawn:
            raise ValidationError(_("This resource is already withdrawn."))
        resource.status = ResourceStatus.WITHDRAWN
        resource.withdrawn_at = timezone.now()
        resource.withdrawal_reason = reason[:2000]
        resource.withdrawn_by = user_or_none(by)
        resource.save(
            update_fields=[
                "status",
                "withdrawn_at",
                "withdrawal_reason",
                "withdrawn_by",
                "updated_at",
            ]
        )
        audit_record(
            actor=by,
            action="resource.withdraw",
            obj=resource,
            changes={
                "status": [ResourceStatus.PUBLISHED, ResourceStatus.WITHDRAWN],
                "withdrawal_reason": [None, resource.withdrawal_reason],
            },
        )
        # Found by the search only while published.
        resource_refresh_search_row(resource_id=resource.pk)
    return resource


def resource_republish(*, resource: Resource, by) -> Resource:
    """Publish a withdrawn resource again. Raises PermissionDenied unless `by` is the
    secretariat (or SYSTEM), ValidationError when it is not withdrawn."""
    require_secretariat(by)
    with transaction.atomic():
        resource = Resource.objects.select_for_update().get(pk=resource.pk)
        if not resource.is_withdrawn:
            raise ValidationError(_("This resource is already published."))
        resource.status = ResourceStatus.PUBLISHED
        resource.withdrawn_at = None
        resource.withdrawal_reason = ""
        resource.withdrawn_by = None
        resource.save(
            update_fields=[
                "status",
                "withdrawn_at",
                "withdrawal_reason",
                "withdrawn_by",
                "updated_at",
            ]
        )
        audit_record(
            actor=by,
            action="resource.republish",
            obj=resource,
            changes={"status": [ResourceStatus.WITHDRAWN, ResourceStatus.PUBLISHED]},
        )
        # Found by the search only while published.
        resource_refresh_search_row(resource_id=resource.pk)
    return resource


def resource_record_download(*, resource_id: int) -> bool:
    """Count one download of a published resource, atomically in the database (no lost
    updates under concurrent downloads). False when there is no such published resource."""
    counted = bool(
        Resource.objects.published()
        .filter(pk=resource_id)
        .update(download_count=F("download_count") + 1)
    )
    if counted:
        content_changed(Resource)  # update() sends no signal; the resource's page shows the count
    return counted
