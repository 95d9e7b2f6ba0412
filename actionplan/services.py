"""Every change to progress updates, and so to an item's status and progress, goes through here.

An action item's `status` and `progress` are a cache of its updates: the status of its latest
update (by date, then by id), and the progress of the latest update that gave one (an update
may record a status without estimating a percentage). `_refresh_item_state` is the one place
that writes them; the post, edit and delete services call it inside their transaction.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from actionplan.models import ActionItem, ActionItemStatus, ProgressUpdate
from actionplan.permissions import can_post_progress_update
from members.actors import SYSTEM, require_secretariat
from members.models import DatePrecision, Person
from members.standing import standing_of
from untfsse.core.audit import audit_diff, audit_record, field_values

# Fields of an update that `progress_update_edit` may change.
EDITABLE_FIELDS = frozenset(
    {
        "date",
        "date_precision",
        "text",
        "status",
        "progress",
        "reported_by",
        "source_meeting",
        "source_title",
        "source_url",
    }
)


def _require_secretariat(by) -> None:
    require_secretariat(by, _("Only the secretariat can change or remove progress updates."))


def _validate(update: ProgressUpdate) -> None:
    """The model's rules (no date in the future; a completed action is at 100%, which an
    empty progress becomes) plus field validation."""
    update.full_clean(exclude=["item", "created_by"])


def _refresh_item_state(item_id: int) -> ActionItem:
    """Bring the item's status and progress in line with its updates (caller holds a transaction)."""
    item = ActionItem.objects.select_for_update().get(pk=item_id)
    updates = ProgressUpdate.objects.filter(item_id=item_id).order_by("-date", "-pk")
    latest = updates.values("status").first()
    latest_estimate = updates.filter(progress__isnull=False).values("progress").first()
    status = latest["status"] if latest else ActionItemStatus.NOT_STARTED
    progress = latest_estimate["progress"] if latest_estimate else 0
    if (item.status, item.progress) != (status, progress):
        item.status, item.progress = status, progress
        item.save(update_fields=["status", "progress", "updated_at"])
    return item


def progress_update_post(
    *,
    item: ActionItem,
    by,
    date: datetime.date,
    text: str,
    status: str,
    progress: int | None = None,
    source_meeting=None,
    source_title: str = "",
    source_url: str = "",
    reported_by: Person | None = None,
    date_precision: str = DatePrecision.DAY,
) -> ProgressUpdate:
    """Record a progress update on `item` and make the item's status and progress follow.

    `by` is the user entering it: a focal point of one of the item's lead organisations (who is
    recorded as the reporter unless `reported_by` says otherwise) or secretariat staff.
    Raises PermissionDenied for anyone else, ValidationError for a date in the future, an
    empty text, or a completed status with a progress other than 100% (a completed status
    with no progress given is recorded at 100%).
    """
    if not can_post_progress_update(by, item) and not standing_of(by).is_secretariat:
        raise PermissionDenied(_("Only focal points of a lead organisation can post updates."))
    if reported_by is None and not standing_of(by).is_secretariat:
        reported_by = standing_of(by).person
    update = ProgressUpdate(
        item=item,
        date=date,
        date_precision=date_precision,
        text=text.strip(),
        status=status,
        progress=progress,
        source_meeting=source_meeting,
        source_title=source_title.strip(),
        source_url=source_url.strip(),
        reported_by=reported_by,
        created_by=by,
    )
    _validate(update)
    with transaction.atomic():
        update.save()
        fresh = _refresh_item_state(item.pk)
        audit_record(
            actor=by,
            action="progress_update.post",
            obj=update,
            changes={"status": [None, update.status], "progress": [None, update.progress]},
        )
    item.status, item.progress = fresh.status, fresh.progress
    return update


def progress_update_edit(*, update: ProgressUpdate, by, **changes) -> ProgressUpdate:
    """Change an update (secretariat only); the item follows if it was, or becomes, the latest.

    Accepts the fields in EDITABLE_FIELDS. Raises PermissionDenied for anyone but the
    secretariat, ValidationError as `progress_update_post` does.
    """
    _require_secretariat(by)
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"progress_update_edit() cannot change {sorted(unknown)}")
    before = field_values(update, changes)
    for name, value in changes.items():
        setattr(update, name, value.strip() if isinstance(value, str) else value)
    _validate(update)
    with transaction.atomic():
        update.save()
        _refresh_item_state(update.item_id)
        audit_record(
            actor=by,
            action="progress_update.edit",
            obj=update,
            changes=audit_diff(before, field_values(update, changes)),
        )
    return update


def progress_update_delete(*, update: ProgressUpdate, by) -> None:
    """Remove an update (secretariat only); the item falls back to its latest remaining update,
    or to "not started" at 0% when none is left."""
    _require_secretariat(by)
    item_id = update.item_id
    with transaction.atomic():
        # Recorded before the row goes, while it has its number.
        audit_record(
            actor=by,
            action="progress_update.delete",
            obj=update,
            changes={"status": [update.status, None], "progress": [update.progress, None]},
        )
        update.delete()
        _refresh_item_state(item_id)


def action_item_refresh_state(*, item: ActionItem) -> ActionItem:
    """Recompute an item's status and progress from its updates (for the seed loader, which
    writes updates idempotently, and for repairs). Returns the refreshed item; a change is
    recorded as the system's."""
    with transaction.atomic():
        before = (
            ActionItem.objects.select_for_update()
            .filter(pk=item.pk)
            .values("status", "progress")
            .get()
        )
        fresh = _refresh_item_state(item.pk)
        changes = audit_diff(before, field_values(fresh, before))
        if changes:
            audit_record(
                actor=SYSTEM, action="action_item.refresh_state", obj=fresh, changes=changes
            )
        return fresh


def agenda_item_set_action_items(*, agenda_item, action_items, by) -> list[int]:
    """Say which action items an agenda item discusses (the link is the action items'
    `agenda_items`), replacing the previous choice; returns the chosen ids. Raises
    PermissionDenied unless `by` is the secretariat."""
    require_secretariat(by)
    chosen = sorted({item.pk for item in action_items})
    with transaction.atomic():
        links = ActionItem.agenda_items.through.objects.filter(agendaitem_id=agenda_item.pk)
        before = sorted(links.values_list("actionitem_id", flat=True))
        if before != chosen:
            agenda_item.action_items.set(chosen)
            audit_record(
                actor=by,
                action="agenda_item.set_action_items",
                obj=agenda_item,
                changes={"action_items": [before, chosen]},
            )
    return chosen
