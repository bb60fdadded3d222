"""PostgreSQL's COPY through Django's connection: rows out as CSV, rows in as a bulk stream (psycopg 3).

Django's cursor has no ``copy``; these run it on the driver's cursor underneath, as the one query it is: through
the connection's execute wrappers (``connection.execute_wrapper``: the benchmarks' query counters and timers see it)
and recorded where Django records queries (DEBUG, ``CaptureQueriesContext`` in the constant-query tests).
"""

import functools
import io
from contextlib import nullcontext

from django.db import connection
from django.db.backends.utils import CursorDebugWrapper


def _recorded(cursor, sql, params=None):
    return cursor.debug_sql(sql, params) if isinstance(cursor, CursorDebugWrapper) else nullcontext()


def _run(sql, params, work):
    """``work(copy)`` inside the driver's ``copy(sql, params)``, wrapped as Django wraps a query it executes (its
    errors become Django's: a unique violation is ``django.db.IntegrityError``)."""
    with connection.cursor() as cursor:

        def execute(sql, params, many, context):
            with (
                connection.wrap_database_errors,
                _recorded(cursor, sql, params),
                cursor.cursor.copy(sql, params) as copy,
            ):
                return work(copy)

        for wrapper in reversed(connection.execute_wrappers):
            execute = functools.partial(wrapper, execute)
        return execute(sql, params, False, {"connection": connection, "cursor": cursor})


def copy_out_csv(query, params=()):
    """The rows of ``query`` (SQL with ``%s`` placeholders) as CSV bytes, in one ``COPY … TO STDOUT``."""
    data = io.BytesIO()

    def read(copy):
        for block in copy:
            data.write(block)

    _run(f"COPY ({query}) TO STDOUT (FORMAT csv)", params, read)
    return data.getvalue()


def copy_in(table, columns, rows):
    """Write ``rows`` (tuples in the order of ``columns``) into ``table`` with one ``COPY … FROM STDIN``.

    Values are adapted by the driver as for a query (Decimal, bool, int, str, None). Runs in the caller's
    transaction, like any write.
    """
    names = ", ".join(connection.ops.quote_name(column) for column in columns)

    def write(copy):
        for row in rows:
            copy.write_row(row)

    _run(f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN", None, write)
