"""Shared pieces of the apps' `bulk` modules (see `manage.py generate_bulk_data`).

Not itself a `bulk` module: the command runs every `<app>.bulk`, and this one generates nothing.

Rows go in BATCH_SIZE at a time from iterators, so only one batch is ever in memory. On
PostgreSQL they are sent with COPY (several times faster than a multi-row INSERT, whose SQL
Django must build and PostgreSQL parse); elsewhere with `bulk_create`.
"""

from collections.abc import Iterable
from itertools import islice

from django.db import connection, models

BATCH_SIZE = 5000


def _reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` fresh primary keys from the table's sequence, as INSERT would draw them."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _copy(model: type[models.Model], batch: list[models.Model]) -> None:
    fields = model._meta.concrete_fields
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for row in batch:
            # pre_save fills auto_now fields as save() and bulk_create() would.
            copy.write_row(
                [field.get_db_prep_save(field.pre_save(row, True), connection) for field in fields]
            )


def insert_batch(model: type[models.Model], batch: list[models.Model]) -> list[models.Model]:
    """Insert these rows and give each its primary key."""
    if connection.vendor != "postgresql":
        inserted = model.objects.bulk_create(batch)
        if any(row.pk is None for row in inserted):
            raise RuntimeError("This database does not return the ids of bulk-inserted rows.")
        return inserted
    for row, pk in zip(batch, _reserve_ids(model, len(batch)), strict=True):
        row.pk = pk
    _copy(model, batch)
    return batch


def insert_in_batches(model: type[models.Model], rows: Iterable[models.Model]) -> int:
    """Insert `rows` (an iterable, consumed lazily) BATCH_SIZE at a time; returns how many."""
    rows = iter(rows)
    inserted = 0
    while batch := list(islice(rows, BATCH_SIZE)):
        insert_batch(model, batch)
        inserted += len(batch)
    return inserted


def spread(total: int, weights: list[float], cap: int) -> list[int]:
    """`total` split into whole shares proportional to `weights`, none above `cap`: the shares
    add up to `total` exactly unless the caps leave no room (then every share is at `cap`)."""
    if not weights:
        return []
    weight_sum = sum(weights)
    shares = [min(cap, int(total * weight / weight_sum)) for weight in weights]
    missing = total - sum(shares)
    while missing > 0:
        open_slots = [index for index, share in enumerate(shares) if share < cap]
        if not open_slots:
            break
        for index in open_slots[:missing]:
            shares[index] += 1
        missing = total - sum(shares)
    return shares


def scaled(count: int, scale: float) -> int:
    """At least one of everything, however small the scale."""
    return max(1, round(count * scale))
