"""PostgreSQL's COPY through Django's connection: rows out as CSV, rows in as a bulk stream (psycopg 3).

Django's cursor has no ``copy``; these run it on the driver's cursor underneath and, when Django records queries
(DEBUG, ``CaptureQueriesContext`` in the constant-query tests), record the COPY as the one query it is.
"""

import io
from contextlib import nullcontext

from django.db import connection
from django.db.backends.utils import CursorDebugWrapper


def _recorded(cursor, sql, params=None):
    return cursor.debug_sql(sql, params) if isinstance(cursor, CursorDebugWrapper) else nullcontext()


def copy_out_csv(query, params=()):
    """The rows of ``query`` (SQL with ``%s`` placeholders) as CSV bytes, in one ``COPY … TO STDOUT``."""
    sql = f"COPY ({query}) TO STDOUT (FORMAT csv)"
    data = io.BytesIO()
    with connection.cursor() as cursor, _recorded(cursor, sql, params), cursor.cursor.copy(sql, params) as copy:
        for block in copy:
            data.write(block)
    return data.getvalue()


def copy_in(table, columns, rows):
    """Write ``rows`` (tuples in the order of ``columns``) into ``table`` with one ``COPY … FROM STDIN``.

    Values are adapted by the driver as for a query (Decimal, bool, int, str, None). Runs in the caller's
    transaction, like any write.
    """
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    sql = f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN"
    with connection.cursor() as cursor, _recorded(cursor, sql), cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
