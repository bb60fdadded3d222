"""The board's XLSX export (openpyxl): Chinese headers, one row per item, real dates, a frozen header row.

Text typed by users is written as text, never as a formula (a title starting
with "=" stays a title), and characters XLSX cannot hold are dropped.
"""

import unicodedata
from io import BytesIO
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from departments.people import display_name
from workflows.querysets import LIGHT_LABELS

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
DATETIME_FORMAT = 'yyyy"年"m"月"d"日" hh:mm'
MIN_WIDTH, MAX_WIDTH = 6, 60

# (header, value of an item); the items come with for_list() and the ``light`` annotation.
COLUMNS = [
    ("编号", lambda item: item.pk),
    ("信号灯", lambda item: LIGHT_LABELS[item.light]),
    ("任务", lambda item: item.title),
    ("职责条款", lambda item: item.template.position_label if item.template else ""),
    ("承办单位", lambda item: str(item.unit)),
    ("配合单位", lambda item: "、".join(str(unit) for unit in item.cooperating_units.all())),
    ("周期", lambda item: str(item.period) if item.period else ""),
    ("截止日期", lambda item: item.deadline),
    ("状态", lambda item: str(item.get_stage_display())),
    ("退回次数", lambda item: item.reworks),
    ("经办人", lambda item: display_name(item.assignee, empty="")),
    (
        "提交时间",
        lambda item: timezone.localtime(item.submitted_at).replace(tzinfo=None) if item.submitted_at else None,
    ),
]


def display_width(value):
    """Roughly how many Latin characters wide a value shows: Chinese characters count twice."""
    if value is None:
        return 0
    if hasattr(value, "hour"):
        return 18
    if hasattr(value, "year"):
        return 12
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in str(value))


def items_workbook(items):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "任务清单"
    sheet.append([header for header, _value in COLUMNS])
    widths = [display_width(header) for header, _value in COLUMNS]
    for row, item in enumerate(items, start=2):
        for column, (_header, value_of) in enumerate(COLUMNS, start=1):
            value = value_of(item)
            cell = sheet.cell(row=row, column=column)
            if isinstance(value, str):
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell.data_type = "s"  # never a formula, whatever the text starts with
            else:
                cell.value = value
                if hasattr(value, "hour"):
                    cell.number_format = DATETIME_FORMAT
                elif hasattr(value, "year"):
                    cell.number_format = DATE_FORMAT
            widths[column - 1] = max(widths[column - 1], display_width(value))
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEF2F7")
        cell.alignment = Alignment(vertical="center")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    return workbook


def content_disposition(filename, fallback):
    """An attachment header every browser reads: an ASCII name, and the real one per RFC 5987/6266."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def xlsx_response(workbook, filename, fallback="tasks.xlsx"):
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename, fallback)
    return response
