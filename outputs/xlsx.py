"""One worksheet from headers and rows (openpyxl), and the response that downloads the workbook.

Cells keep their kind: numbers stay numbers, dates and times get Chinese number
formats, and an aware datetime is written in local time (Asia/Shanghai), since
Excel has no time zones. Text typed by users is written as text, never as a
formula (a title starting with "=" stays a title); characters XLSX cannot hold
are dropped. The header row is bold, shaded, filtered and frozen, and every
column is as wide as its content (Chinese characters count twice).
"""

import math
import unicodedata
from datetime import date, datetime, time
from decimal import Decimal
from io import BytesIO

from django.utils import timezone
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .downloads import attachment_response

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
DATETIME_FORMAT = 'yyyy"年"m"月"d"日" hh:mm'
TIME_FORMAT = "hh:mm"
DECIMAL_FORMAT = "0.00"  # e.g. a score
PERCENT_FORMAT = "0.0%"  # for a fraction: 0.873 shows as 87.3%
MIN_WIDTH, MAX_WIDTH = 6, 60
MAX_TEXT_LENGTH = 32767  # the most one cell holds
HEADER_FILL = "EEF2F7"


def display_width(value):
    """Roughly how many Latin characters wide a value shows: Chinese characters count twice."""
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 18
    if isinstance(value, date):
        return 12
    if isinstance(value, time):
        return 8
    if isinstance(value, float):
        value = format(value, ".6g")
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in str(value))


def excel_value(value):
    """What a cell can hold: a number, a naive date/time, None, or text (anything else becomes its text)."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float | Decimal):
        return value if math.isfinite(value) else None  # Excel cannot store NaN or infinity
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, time):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))[:MAX_TEXT_LENGTH]


def write_cell(cell, value, number_format=None):
    """Write one value; ``number_format`` (if given) applies to anything but text. Returns what was written."""
    value = excel_value(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula or an error code, whatever the text starts with
    elif value is not None:
        if number_format:
            cell.number_format = number_format
        elif isinstance(value, datetime):
            cell.number_format = DATETIME_FORMAT
        elif isinstance(value, date):
            cell.number_format = DATE_FORMAT
        elif isinstance(value, time):
            cell.number_format = TIME_FORMAT
    return value


def write_sheet(sheet, headers, rows, number_formats=None):
    """Fill an empty ``sheet``: a header row, then one row per item of ``rows`` (read once, so a queryset works).

    ``number_formats`` maps a header to the number format of its column, e.g. ``{"按时完成率": PERCENT_FORMAT}``.
    """
    headers = list(headers)
    number_formats = number_formats or {}
    unknown = set(number_formats) - set(headers)
    if unknown:
        raise ValueError(f"number_formats names columns that are not headers: {sorted(unknown)}")
    formats = [number_formats.get(header) for header in headers]
    widths = {}
    for column, header in enumerate(headers, start=1):
        widths[column] = display_width(write_cell(sheet.cell(row=1, column=column), header))
    for row_number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            number_format = formats[column - 1] if column <= len(formats) else None
            written = write_cell(sheet.cell(row=row_number, column=column), value, number_format)
            widths[column] = max(widths.get(column, 0), display_width(written))
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(vertical="center")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    return sheet


def workbook_response(workbook, filename, fallback=None):
    """The workbook as a download named ``filename`` (Chinese is fine); ``fallback`` is the ASCII name."""
    buffer = BytesIO()
    workbook.save(buffer)
    return attachment_response(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE, filename=filename, fallback=fallback)
