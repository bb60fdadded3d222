"""The XLSX template the plan office downloads: one row per known school part, and a sheet explaining each column.

The template states its year in its first sheet's name (“2026年学校数据”); ``stated_year(upload)`` reads it back,
so the upload takes its year from the file rather than from a field the user may forget to change.
"""

import io
import re
from decimal import Decimal
from itertools import groupby

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..models import FIGURE_FIELDS, SchoolPart, SchoolYearFigures
from .columns import COLUMNS, LABEL_OF_STAGE

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
NOTES = (
    "每行是一所学校的一个学段：小学、初中各一行；九年一贯制学校有小学、初中两行，完全中学只填初中部。",
    "第一个工作表是数据表，请不要改动表头；列的顺序不限，多余的列会被忽略。",
    "所有数值不能为负数；在校生数不能为 0；学校须是系统中已有的学校（全称或简称）。",
    "九年一贯制学校如果教师、校舍、设备等只有全校合计，可增加一行，学段填“全校”，在该行填写合计；"
    "对应的小学、初中两行留空这些列，系统按在校生数以 1 : 1.1（小学 : 初中）的权重折算到两个学段，"
    "并在页面上注明“折算”。",
    "有任何一处错误时整个文件都不会导入；重新导入已有数据的年度时，会先显示将要修改的内容，确认后才替换该年度的全部数据。",
)


SHEET_TITLE = "{year}年学校数据"
STATED_YEAR = re.compile(r"^\s*(\d{4})\s*年")


def sheet_title(year):
    return SHEET_TITLE.format(year=year)


def stated_year(upload):
    """The year the file's first sheet is named for (“2026年学校数据”), or None: a CSV file, a renamed sheet, or a
    workbook that cannot be read (``read_table`` then says what is wrong with it)."""
    if upload.format != "xlsx":
        return None
    from openpyxl import load_workbook

    from departments.imports.files import MAX_ROWS
    from departments.imports.xlsx_archive import archive_problem

    if archive_problem(upload.data, MAX_ROWS):
        return None
    try:
        workbook = load_workbook(io.BytesIO(upload.data), read_only=True)
    except Exception:  # openpyxl raises many kinds of error on a damaged workbook: read_table reports it
        return None
    try:
        names = workbook.sheetnames
    finally:
        workbook.close()
    match = STATED_YEAR.match(names[0]) if names else None
    return int(match.group(1)) if match else None


def build_template(year):
    """The template's bytes, pre-filled with ``year``'s figures where the system already has them."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(year)
    sheet.append([column.header for column in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    existing = {f.part_id: f for f in SchoolYearFigures.objects.filter(year=year)}
    parts = SchoolPart.objects.select_related("school__unit").order_by("school__unit__name", "school_id", "stage")
    for school, school_parts in groupby(parts, key=lambda part: part.school):
        school_parts = list(school_parts)
        # Figures that were apportioned from a whole-school total go back out as that total, on a 全校 row, with
        # the parts' cells blank: uploading the template unchanged keeps them apportioned (and says so).
        totals = {}
        for part in school_parts:
            if part.pk in existing:
                totals.update(existing[part.pk].apportioned)
        for part in school_parts:
            figures = existing.get(part.pk)
            values = []
            if figures is not None:
                values = [None if name in totals else _cell(getattr(figures, name)) for name in FIGURE_FIELDS]
            sheet.append([school.unit.name, LABEL_OF_STAGE[part.stage], *values])
        if totals:
            whole = [_cell(Decimal(totals[name])) if name in totals else None for name in FIGURE_FIELDS]
            sheet.append([school.unit.name, "全校", *whole])
    sheet.freeze_panes = "C2"
    sheet.row_dimensions[1].height = 60
    for index in range(1, len(COLUMNS) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 24 if index == 1 else 14
    _explain(workbook.create_sheet("填表说明"), year)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(value):
    if value is None:  # an optional figure not reported: a blank cell
        return None
    return int(value) if value == int(value) else float(value)


def _explain(sheet, year):
    sheet.append([f"{year}年义务教育学校办学条件数据填表说明"])
    sheet["A1"].font = Font(bold=True, size=13)
    for note in NOTES:
        sheet.append([note])
    sheet.append([])
    sheet.append(["列名（含单位）", "是否必填", "说明"])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for column in COLUMNS:
        sheet.append([column.header, "必填" if column.required else "可不填", column.help])
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 10
    sheet.column_dimensions["C"].width = 90
