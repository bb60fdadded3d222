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
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
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


def new_workbook():
    """A write-only workbook (openpyxl streams its rows): add sheets with ``add_sheet``, then save it once."""
    return Workbook(write_only=True)


def add_sheet(workbook, title, headers, rows, number_formats=None):
    """A new sheet ``title`` of ``workbook`` filled by ``write_sheet``."""
    sheet = workbook.create_sheet(title)
    return write_sheet(sheet, headers, rows, number_formats)


def write_sheet(sheet, headers, rows, number_formats=None):
    """Fill an empty ``sheet``: a header row, then one row per item of ``rows`` (read once, so a queryset works).

    ``number_formats`` maps a header to the number format of its column, e.g. ``{"按时完成率": PERCENT_FORMAT}``.
    Works on a write-only sheet (``new_workbook``), which is about three times faster for large sheets: the
    values are converted and measured first (column widths must precede the rows), then streamed.
    """
    headers = list(headers)
    number_formats = number_formats or {}
    unknown = set(number_formats) - set(headers)
    if unknown:
        raise ValueError(f"number_formats names columns that are not headers: {sorted(unknown)}")
    formats = [number_formats.get(header) for header in headers]
    header_values = [excel_value(header) for header in headers]
    widths = [display_width(value) for value in header_values]
    table = []
    for row in rows:
        values = [excel_value(value) for value in row]
        for column, value in enumerate(values):
            width = display_width(value)
            if column >= len(widths):
                widths.append(width)
            elif width > widths[column]:
                widths[column] = width
        table.append(values)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)
    sheet.freeze_panes = "A2"
    last_column = get_column_letter(max(len(widths), 1))
    sheet.auto_filter.ref = f"A1:{last_column}{len(table) + 1}"
    font, fill, alignment = Font(bold=True), PatternFill("solid", fgColor=HEADER_FILL), Alignment(vertical="center")
    header_row = []
    for value in header_values:
        cell = _cell(sheet, value)
        cell.font, cell.fill, cell.alignment = font, fill, alignment
        header_row.append(cell)
    sheet.append(header_row)
    for values in table:
        sheet.append(
            [
                _cell(sheet, value, formats[index] if index < len(formats) else None)
                for index, value in enumerate(values)
            ]
        )
    return sheet


def _cell(sheet, value, number_format=None):
    """A cell for ``sheet.append`` holding an ``excel_value``; text is text, never a formula or an error code."""
    cell = WriteOnlyCell(sheet)
    if value is None:
        return cell
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    elif number_format:
        cell.number_format = number_format
    elif isinstance(value, datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    elif isinstance(value, time):
        cell.number_format = TIME_FORMAT
    return cell


def workbook_response(workbook, filename, fallback=None):
    """The workbook as a download named ``filename`` (Chinese is fine); ``fallback`` is the ASCII name."""
    buffer = BytesIO()
    workbook.save(buffer)
    return attachment_response(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE, filename=filename, fallback=fallback)
