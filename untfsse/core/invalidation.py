"""Cache invalidation, declared next to the data.

Every model of the portal's apps says which content areas its rows appear in, in a class
attribute this module reads off the model:

    class Meeting(TimeStampedModel):
        content_areas = (ContentArea.MEETINGS,)

`content_areas = ()` says that no cached page shows the model's rows (deliveries, requests,
reviews). A many-to-many field's own table belongs to the model that declares the field.

One receiver, connected by the kit's AppConfig.ready() to post_save, post_delete and
m2m_changed of every model that declares areas, makes those areas' cached pages stale once the
transaction commits (nothing happens if it rolls back; an unreachable cache is ignored). It is
the one piece of the portal that lives in signals: infrastructure that follows every change
alike (STYLE.md, rule 3), with no business rule in it.

Writes that send no signal say what they changed, right after the write:
`QuerySet.update()`, `bulk_create()` and COPY are followed by `content_changed(Model)`.
`QuerySet.delete()` needs nothing: a model with a receiver is deleted row by row, each row
sending post_delete.

Loading seed data or generating bulk data writes thousands of rows: inside
`content_changes_batched()` each change only notes its areas, which go stale once, at the end.
"""

import functools
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from untfsse.core.cache import ContentArea, advance_content_versions

DECLARATION = "content_areas"

# Per thread and database: the commit the hooks being registered now will run in.
_commits = threading.local()
# Inside content_changes_batched(): the areas noted so far.
_batch: ContextVar[set[ContentArea] | None] = ContextVar("content_changes_batch", default=None)


class _Commit:
    """What the hooks registered for one transaction share: the areas one of them has advanced
    already, which the others then leave alone. Once one of its hooks has run (the transaction
    committed), later changes belong to a new commit. A transaction rolled back leaves its
    _Commit unused (its hooks are dropped), and the next one carries on with it."""

    __slots__ = ("advanced", "started")

    def __init__(self) -> None:
        self.advanced: set[ContentArea] = set()
        self.started = False


def _commit_for(using: str) -> _Commit:
    by_database = _commits.__dict__.setdefault("by_database", {})
    commit = by_database.get(using)
    if commit is None or commit.started:
        commit = by_database[using] = _Commit()
    return commit


def _advance(areas: frozenset[ContentArea], commit: _Commit) -> None:
    commit.started = True
    fresh = areas - commit.advanced
    commit.advanced |= fresh
    if fresh:
        advance_content_versions(sorted(fresh))


def declared_areas(model: type[models.Model]) -> tuple[ContentArea, ...] | None:
    """The content areas `model` declares; None when it declares none at all."""
    # An automatic many-to-many table names the model whose field made it.
    owner = model._meta.auto_created or model
    return getattr(owner, DECLARATION, None)


def _areas_changed(areas: Iterable[ContentArea], using: str) -> None:
    areas = frozenset(areas)
    if not areas:
        return
    batch = _batch.get()
    if batch is not None:
        batch.update(areas)
        return
    # One hook per change, each carrying its own areas: a hook dropped with a rolled-back
    # savepoint takes only its own change's areas with it. After the commit the first hook
    # advances its areas and the others only what is left (one Redis command per area).
    transaction.on_commit(functools.partial(_advance, areas, _commit_for(using)), using=using)


def content_changed(*changed: type[models.Model], using: str = DEFAULT_DB_ALIAS) -> None:
    """After the current transaction commits (at once outside one), make the cached pages of
    the areas these models declare stale. For writes that send no signal: QuerySet.update(),
    bulk_create(), COPY. Raises ImproperlyConfigured for a model that declares no areas."""
    areas: set[ContentArea] = set()
    for model in changed:
        declared = declared_areas(model)
        if declared is None:
            raise ImproperlyConfigured(f"{model._meta.label} declares no {DECLARATION}.")
        areas.update(declared)
    _areas_changed(areas, using)


@contextmanager
def content_changes_batched(*, using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Inside, every change (by signal or content_changed) only notes its areas; on leaving,
    the noted areas go stale once (after the transaction commits, if one is open). For loading
    seed data and generating bulk data, which write thousands of rows."""
    if _batch.get() is not None:  # nested: the outermost batch makes them stale
        yield
        return
    noted: set[ContentArea] = set()
    token = _batch.set(noted)
    try:
        yield
    finally:
        _batch.reset(token)
        # Also after an error: what was written before it may have been committed.
        _areas_changed(noted, using)


def _row_changed(sender, using: str = DEFAULT_DB_ALIAS, action: str = "", **kwargs) -> None:
    """The receiver of post_save, post_delete and m2m_changed (post_add, post_remove,
    post_clear) for every model that declares content areas."""
    if action.startswith("pre_"):
        return
    _areas_changed(declared_areas(sender) or (), using)


def _check_declaration(model: type[models.Model], declared) -> None:
    if not isinstance(declared, tuple) or not all(
        isinstance(area, ContentArea) for area in declared
    ):
        raise ImproperlyConfigured(
            f"{model._meta.label}.{DECLARATION} must be a tuple of ContentArea members, "
            f"not {declared!r}."
        )


def connect_content_receivers(every_model: Iterable[type[models.Model]]) -> None:
    """Connect the receiver to the models that declare areas (once: AppConfig.ready()).

    Only those: a model with a post_delete receiver loses Django's fast deletes, which rows
    that no cached page shows have no reason to give up. Raises ImproperlyConfigured for a
    declaration that is not a tuple of ContentArea members.
    """
    for model in every_model:
        declared = declared_areas(model)
        if declared is None:
            continue
        _check_declaration(model, declared)
        if not declared:
            continue
        uid = f"content-areas:{model._meta.label}"
        post_save.connect(_row_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_row_changed, sender=model, dispatch_uid=uid)
        m2m_changed.connect(_row_changed, sender=model, dispatch_uid=uid)
