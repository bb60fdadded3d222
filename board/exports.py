"""The board's XLSX export: Chinese headers, one row per item, written by ``outputs.xlsx``.

``outputs.xlsx`` keeps text as text (a title starting with "=" stays a title),
dates as dates, and freezes the header row; this module says only which
columns the board exports.
"""

from openpyxl import Workbook

from departments.names import display_name
from outputs.xlsx import workbook_response, write_sheet
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
    ("状态", lambda item: str(item.get_stage_display())),
    ("退回次数", lambda item: item.reworks),
    ("经办人", lambda item: display_name(item.assignee, empty="")),
    ("提交时间", lambda item: item.submitted_at),  # written in Shanghai time
]


def items_workbook(items):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "任务清单"
    rows = ([value_of(item) for _header, value_of in COLUMNS] for item in items)
    write_sheet(sheet, [header for header, _value_of in COLUMNS], rows)
    return workbook


def xlsx_response(workbook, filename, fallback="tasks.xlsx"):
    return workbook_response(workbook, filename, fallback=fallback)
