"""Many rows written at once, without building a model instance for each.

Django's ``bulk_create`` spends most of its time building and preparing one instance per row (for the sweep's
5,000 notices and 30,000 deliveries, seconds of Python for a fraction of a second of SQL). On PostgreSQL the rows go
as one array per column in a single ``INSERT … SELECT FROM unnest(…)``; elsewhere (SQLite, the quick start)
through ``bulk_create``. Conflicts on a unique key are ignored, or the row updated (``update_on``).
"""

from django.db import connection

from outputs.pgcopy import copy_in

BATCH = 10_000  # rows per statement off PostgreSQL (SQLite caps the parameters of one statement)


def insert_rows(model, fields, rows, *, update_on=None, returning=None):
    """Insert ``rows`` (tuples in ``fields`` order, every NOT NULL column named: no Python-side defaults apply).
    A row whose unique key exists already is skipped, or, with ``update_on`` (the conflicting field), updated.

    ``returning`` (PostgreSQL only): the columns to read back from the rows written (not the skipped ones)."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        if returning:
            raise NotImplementedError("insert_rows(returning=…) needs PostgreSQL")
        others = [field for field in fields if field != update_on]
        model.objects.bulk_create(
            [model(**dict(zip(fields, row, strict=True))) for row in rows],
            batch_size=BATCH,
            ignore_conflicts=update_on is None,
            update_conflicts=update_on is not None,
            unique_fields=[model._meta.get_field(update_on).name] if update_on else None,
            update_fields=[model._meta.get_field(field).name for field in others] if update_on else None,
        )
        return []
    quote = connection.ops.quote_name
    columns = [model._meta.get_field(field) for field in fields]
    names = ", ".join(quote(column.column) for column in columns)
    arrays = ", ".join(
        f"%s::{column.rel_db_type(connection) if column.is_relation else column.db_type(connection)}[]"
        for column in columns
    )
    if update_on:
        key = model._meta.get_field(update_on).column
        updates = ", ".join(f"{quote(c.column)} = EXCLUDED.{quote(c.column)}" for c in columns if c.column != key)
        conflict = f"ON CONFLICT ({quote(key)}) DO UPDATE SET {updates}"
    else:
        conflict = "ON CONFLICT DO NOTHING"
    if returning:
        conflict += " RETURNING " + ", ".join(quote(model._meta.get_field(field).column) for field in returning)
    # Only the model's own table and column names are spelled into the SQL; every value is a parameter.
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) SELECT * FROM unnest({arrays}) {conflict}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(column) for column in zip(*rows, strict=True)])
        return cursor.fetchall() if returning else []


def append_rows(model, fields, rows):
    """Insert ``rows`` that cannot conflict with any row already there (the deliveries of notices that have none
    yet): on PostgreSQL with one ``COPY`` (a third of an ``INSERT … unnest``'s time for the sweep's 30,000
    deliveries: the driver adapts the values in C, not as quoted SQL text); elsewhere as ``insert_rows``.
    A conflict is an error here, and rolls the caller's transaction back."""
    if connection.vendor != "postgresql":
        insert_rows(model, fields, rows)
    elif rows:
        copy_in(model._meta.db_table, [model._meta.get_field(field).column for field in fields], rows)
