"""The board's XLSX export: Chinese headers, one row per item, written by ``outputs.xlsx``.

The 倒计时 column is the countdown of ``workflows.countdown`` (剩余 N 天 / 剩余 N 个工作日 / 今天到期 / 逾期 N 天),
blank where the item has none; the working-day calendar is loaded once for the whole workbook.

``outputs.xlsx`` keeps text as text (a title starting with "=" stays a title),
dates as dates, and freezes the header row; this module says only which
columns the board exports.
"""

from django.utils import timezone
from openpyxl import Workbook

from departments.names import display_name
from outputs.xlsx import workbook_response, write_sheet
from workdays.calendar import WorkCalendar
from workflows.countdown import countdown
from workflows.querysets import LIGHT_LABELS

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
    ("倒计时", lambda item: item.countdown_value.label if item.countdown_value else ""),
    ("状态", lambda item: str(item.get_stage_display())),
    ("退回次数", lambda item: item.reworks),
    ("经办人", lambda item: display_name(item.assignee, empty="")),
    ("提交时间", lambda item: item.submitted_at),  # written in Shanghai time
]


def items_workbook(items, *, today=None, calendar=None):
    """``calendar``: a loaded WorkCalendar (loaded here, once, if not given)."""
    today = today or timezone.localdate()
    if calendar is None:
        calendar = WorkCalendar.load()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "任务清单"

    def row(item):
        item.countdown_value = countdown(item, today=today, calendar=calendar)
        return [value_of(item) for _header, value_of in COLUMNS]

    rows = (row(item) for item in items)
    write_sheet(sheet, [header for header, _value_of in COLUMNS], rows)
    return workbook


def xlsx_response(workbook, filename, fallback="tasks.xlsx"):
    return workbook_response(workbook, filename, fallback=fallback)
