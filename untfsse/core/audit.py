"""The audit trail: who changed what, and when, recorded by the services that make the changes.

Every service that changes state calls `audit_record` once, at the end of its own transaction,
after the change is saved: the entry is written in that transaction, so a change rolled back
leaves no entry, and a change committed always has one. Nothing else writes entries (no
signals, no admin code): the services are the one way in to a change, so they are the one place
that knows who acted and why.

An action is named `<thing>.<verb>` ("meeting.cancel", "minutes.publish"). Each app may give its
actions readable names in its `<app>/audit.py` (`ACTION_LABELS`, found by `app_modules`); an
action without one is shown by its name.

The kit imports no app, so the actor is whatever the services pass: a user, or the portal
itself (members.actors.SYSTEM, or None), which is recorded as "the system". Anything that is
not an authenticated account with a primary key counts as the system.
"""

import datetime
import decimal
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from untfsse.core.discovery import app_modules
from untfsse.core.models import AuditEntry

SYSTEM_LABEL = "the system"
# Values in `changes` are kept short: the entry says what changed, the object holds the rest.
MAX_VALUE_LENGTH = 200
OBJECT_REPR_LENGTH = AuditEntry._meta.get_field("object_repr").max_length


# --- Recording ----------------------------------------------------------------------------
def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | type[models.Model],
    changes: Mapping | None = None,
    obj_repr: str | None = None,
) -> AuditEntry:
    """Record that `actor` did `action` to `obj`; call it inside the service's transaction,
    after the change is saved.

    `obj` is the model instance the service changed (for a deletion: recorded before the row
    goes, while it still has its primary key), or a model class when the service changed
    several objects at once (name them in `changes`). `changes` maps a name to `[old, new]`:
    a field that changed (`{"status": ["planned", "cancelled"]}`, see `audit_diff`), or what
    was added, with `None` as the old value (`{"invited": [None, [12, 14]]}`). Model instances
    become their text, times ISO 8601 in UTC, texts are cut to 200 characters. `obj_repr`
    replaces the object's own text where that is not for every reader of the trail (a draft's
    title). Raises ValueError for a change that is not a pair.
    """
    changes = dict(changes or {})
    for name, pair in changes.items():
        if isinstance(pair, str | bytes | Mapping) or len(pair) != 2:
            raise ValueError(f"audit_record(): the change of {name!r} is not [old, new]")
    model = obj if isinstance(obj, type) else type(obj)
    actor_id, actor_label = _actor(actor)
    # Stored texts are in the site's language, whatever the language of the request.
    with translation.override(settings.LANGUAGE_CODE):
        if isinstance(obj, type):
            object_id, object_repr = "", str(model._meta.verbose_name_plural)
        else:
            object_id, object_repr = str(obj.pk), obj_repr or str(obj)
        plain_changes = {name: [_plain(old), _plain(new)] for name, (old, new) in changes.items()}
    return AuditEntry.objects.create(
        at=timezone.now(),
        actor_id=actor_id,
        actor_label=actor_label,
        action=action,
        area=model._meta.app_label,
        content_type=ContentType.objects.get_for_model(model),
        object_id=object_id,
        object_repr=_cut(object_repr, OBJECT_REPR_LENGTH),
        changes=plain_changes,
    )


def audit_diff(before: Mapping, after: Mapping) -> dict:
    """`{name: [old, new]}` for every name whose value differs between the two mappings."""
    return {
        name: [before.get(name), after.get(name)]
        for name in [*before, *(name for name in after if name not in before)]
        if before.get(name) != after.get(name)
    }


def field_values(obj: models.Model, names: Iterable[str]) -> dict:
    """The named attributes of `obj`, to compare before and after a change with `audit_diff`."""
    return {name: getattr(obj, name) for name in names}


def actor_label(user) -> str:
    """How an account is named in the trail: "Full Name <login>", or the login alone."""
    username = user.get_username()
    full_name = (user.get_full_name() if hasattr(user, "get_full_name") else "") or ""
    return f"{full_name} <{username}>" if full_name and full_name != username else username


def _actor(actor) -> tuple[int | None, str]:
    if (
        actor is None
        or not getattr(actor, "is_authenticated", False)
        or getattr(actor, "pk", None) is None
    ):
        return None, SYSTEM_LABEL
    return actor.pk, _cut(actor_label(actor), AuditEntry._meta.get_field("actor_label").max_length)


def _cut(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _plain(value):
    """A JSON value for `value`, short enough to keep."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Promise):
        return _cut(str(value), MAX_VALUE_LENGTH)
    if isinstance(value, str):
        return _cut(str(value), MAX_VALUE_LENGTH)  # str(): a TextChoices member's value
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(datetime.UTC)
        return value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, models.Model):
        return _cut(str(value), MAX_VALUE_LENGTH)
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, set | frozenset):
        return [_plain(item) for item in sorted(value, key=str)]
    if isinstance(value, Iterable):
        return [_plain(item) for item in value]
    return _cut(str(value), MAX_VALUE_LENGTH)


# --- Reading ------------------------------------------------------------------------------
def audit_entries():
    """Every entry, newest first, with what the list pages show (no query per row)."""
    return AuditEntry.objects.select_related("content_type").order_by("-at", "-pk")


def audit_entries_for(obj: models.Model):
    """The entries about one object (its admin history page), newest first."""
    return audit_entries().filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)
    )


@functools.cache
def action_labels() -> dict[str, str | Promise]:
    """Every app's readable names of its actions (`<app>/audit.py`, `ACTION_LABELS`)."""
    labels: dict[str, str | Promise] = {}
    for _app_config, module in app_modules("audit"):
        labels.update(getattr(module, "ACTION_LABELS", {}))
    return labels


def action_label(action: str) -> str:
    """The action's readable name in the current language, or its name when it has none."""
    label = action_labels().get(action)
    return str(label) if label is not None else action


def actor_name(entry: AuditEntry) -> str:
    """Who acted, in the current language; an account deleted since keeps its stored name."""
    if entry.actor_id is not None:
        return entry.actor_label
    if entry.actor_label == SYSTEM_LABEL:
        return _("the system")
    return _("%(name)s (account deleted)") % {"name": entry.actor_label}


@dataclass(frozen=True)
class ChangeLine:
    """One line of "what changed": the name (a field's, as the model names it) and the values
    before and after ("—" for none)."""

    name: str
    old: str
    new: str

    @property
    def text(self) -> str:
        return _("%(name)s: %(old)s → %(new)s") % {
            "name": self.name,
            "old": self.old,
            "new": self.new,
        }


def change_lines(entry: AuditEntry) -> list[ChangeLine]:
    """The entry's changes in the current language, choices shown by their labels."""
    model = entry.content_type.model_class()
    lines = []
    for name, (old, new) in (entry.changes or {}).items():
        field = _field(model, name)
        label = str(field.verbose_name) if field is not None else name.replace("_", " ")
        lines.append(ChangeLine(name=label, old=_shown(field, old), new=_shown(field, new)))
    return lines


def change_text(entry: AuditEntry) -> str:
    """The changes on one line (CSV): "status: Planned → Cancelled; invited: — → 3, 4"."""
    return "; ".join(line.text for line in change_lines(entry))


def _field(model, name: str):
    try:
        field = model._meta.get_field(name) if model is not None else None
    except FieldDoesNotExist:
        return None
    # A reverse relation has no verbose name: the change's own name reads better.
    return field if field is not None and not field.auto_created else None


def _shown(field, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(_shown(field, item) for item in value)
    choices = dict(field.flatchoices) if field is not None and field.choices else {}
    return str(choices.get(value, value))
