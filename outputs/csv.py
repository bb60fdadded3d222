"""A CSV download Excel opens with the Chinese intact: UTF-8 with a byte-order mark.

Text that a spreadsheet would read as a formula (starting with = + - @, a tab
or a carriage return) is prefixed with a single quote, so a cell typed by a
user can never run as one (CSV injection). Numbers are left alone: -3 stays -3.
Dates are ISO (2026-11-29), which Excel reads as dates; an aware datetime is
written in local time (Asia/Shanghai).
"""

import csv
from datetime import date, datetime
from decimal import Decimal
from io import StringIO

from django.utils import timezone

from .downloads import attachment_response

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value):
    """The text of one CSV cell."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def csv_bytes(headers, rows):
    """The whole file: a header row, then one line per item of ``rows``, encoded ``utf-8-sig``."""
    buffer = StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_text(header) for header in headers])
    writer.writerows([csv_text(value) for value in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def csv_response(filename, headers, rows, fallback=None):
    """The rows as a CSV download named ``filename`` (Chinese is fine); ``fallback`` is the ASCII name."""
    return attachment_response(
        csv_bytes(headers, rows), content_type=CSV_CONTENT_TYPE, filename=filename, fallback=fallback
    )
