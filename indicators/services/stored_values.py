"""Writing a year's indicator values (35,000 rows for 5,000 school parts) in a handful of queries, whatever changed.

On PostgreSQL the year's stored rows are read back (one ``COPY … TO STDOUT``) and compared with the new ones:
rows that no longer exist are deleted, rows whose value, threshold or marks changed are updated in one
``UPDATE … FROM unnest(…)``, new rows are written with one ``COPY … FROM STDIN``. An edit of one school's figure
changes its part's 7 rows, so 7 rows are written instead of deleting and inserting 35,000 (each insert also
checks the unique key against the dead versions a replaced year leaves behind, and the part's foreign key).
A first import of a year writes every row with COPY. Elsewhere (SQLite) the year's rows are replaced with
``bulk_create``. Either way the stored Decimals are those of ``decimal_of``: the stored values do not depend on
the path (tests/indicators/test_store_paths.py).

Always inside the year's transaction and lock (``services.store``).
"""

import csv
import io
from decimal import Decimal

from django.db import connection

from outputs.pgcopy import copy_in, copy_out_csv

from ..models import IndicatorValue

QUANTUM = {places: Decimal(1).scaleb(-places) for places in (4, 6)}
COLUMNS = ("part_id", "year", "code", "value", "threshold", "reached", "below_floor")
UPDATE = (  # the changed rows in one statement: one array per column
    "UPDATE {table} AS stored SET value = new.value, threshold = new.threshold,"
    " reached = new.reached, below_floor = new.below_floor"
    " FROM unnest(%s::bigint[], %s::numeric[], %s::numeric[], %s::boolean[], %s::boolean[])"
    " AS new (id, value, threshold, reached, below_floor) WHERE stored.id = new.id"
)


def decimal_of(value, places):
    """The float as its shortest decimal text, rounded half-even to ``places`` (as every stored value has been)."""
    return Decimal(repr(float(value))).quantize(QUANTUM[places])


def new_rows(values):
    """{(part_id, code): (value, threshold, reached, below_floor)} of a ``compute_year`` values frame."""
    columns = (values[name].tolist() for name in ("part_id", "code", "value", "threshold", "reached", "below_floor"))
    return {
        (int(part_id), code): (decimal_of(value, 4), decimal_of(threshold, 4), bool(reached), bool(below_floor))
        for part_id, code, value, threshold, reached, below_floor in zip(*columns, strict=True)
    }


def write_values(year, values):
    """Make the stored indicator values of ``year`` those of ``values``. Returns (deleted, updated, inserted)."""
    rows = new_rows(values)
    if connection.vendor != "postgresql":
        deleted, _ = IndicatorValue.objects.filter(year=year).delete()
        IndicatorValue.objects.bulk_create(
            [IndicatorValue(part_id=key[0], year=year, code=key[1], **_fields(row)) for key, row in rows.items()],
            batch_size=2000,
        )
        return deleted, 0, len(rows)
    stored = _stored(year)
    gone = [pk for key, (pk, _row) in stored.items() if key not in rows]
    changed = [(stored[key][0], *row) for key, row in rows.items() if key in stored and stored[key][1] != row]
    added = [(*key, row) for key, row in rows.items() if key not in stored]
    table = connection.ops.quote_name(IndicatorValue._meta.db_table)
    with connection.cursor() as cursor:
        if gone:
            cursor.execute(f"DELETE FROM {table} WHERE id = ANY(%s)", [gone])  # noqa: S608  (the model's table)
        if changed:
            cursor.execute(UPDATE.format(table=table), [list(column) for column in zip(*changed, strict=True)])
    if added:
        copy_in(IndicatorValue._meta.db_table, COLUMNS, ((part, year, code, *row) for part, code, row in added))
    return len(gone), len(changed), len(added)


def _fields(row):
    return dict(zip(("value", "threshold", "reached", "below_floor"), row, strict=True))


def _stored(year):
    """{(part_id, code): (pk, (value, threshold, reached, below_floor))} of the year's stored rows (one COPY)."""
    table = connection.ops.quote_name(IndicatorValue._meta.db_table)
    columns = "id, part_id, code, value, threshold, reached, below_floor"
    data = copy_out_csv(f"SELECT {columns} FROM {table} WHERE year = %s", [year])  # noqa: S608  (the model's table)
    return {
        (int(part_id), code): (int(pk), (Decimal(value), Decimal(threshold), reached == "t", below_floor == "t"))
        for pk, part_id, code, value, threshold, reached, below_floor in csv.reader(io.StringIO(data.decode()))
    }
