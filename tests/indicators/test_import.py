"""The figures import: the template, an error message for each bad cell with nothing saved, 全校 rows, the diff."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from departments.imports.files import Upload
from indicators.imports import COLUMNS, apply_figures, build_template, check_figures
from indicators.models import FIGURE_FIELDS, OPTIONAL_FIGURES, FigureEdit, SchoolYearFigures

from .conftest import YEAR, make_school
from .test_pages import retitled

pytestmark = pytest.mark.django_db
HEADERS = [column.header for column in COLUMNS]
GOOD = [500, 12, 45, 30, 28, 6, 3, 2, 2, 3000, 6000, 1_500_000, 14, 1, 96, 1, 90, 28, 30, 10, 2, 1]


def xlsx(rows, headers=HEADERS):
    workbook = Workbook()
    workbook.active.append(headers)
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return Upload("学校数据.xlsx", "xlsx", buffer.getvalue())


@pytest.fixture
def schools(plan, township):
    return {
        "primary": make_school("城关小学", "primary", township),
        "nine": make_school("永安九年一贯制学校", "nine_year", township),
    }


def test_template_lists_every_part_and_explains_every_column(county):
    workbook = load_workbook(io.BytesIO(build_template(YEAR)))
    data, notes = workbook.worksheets
    rows = list(data.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert "在校生数（人）" in HEADERS
    assert "教学仪器设备值（元）" in HEADERS
    assert "体育运动场馆面积（平方米）" in HEADERS
    assert len(rows) - 1 == 12  # one row per school part; the nine-year school and the special school have two
    assert ("九年一贯制", "小学") in {row[:2] for row in rows}
    assert ("九年一贯制", "初中") in {row[:2] for row in rows}
    assert notes.title == "填表说明"
    explained = {row[0] for row in notes.iter_rows(values_only=True)}
    assert set(HEADERS) <= explained


def test_a_filled_template_imports_and_reimporting_it_changes_nothing(county):
    upload = Upload("t.xlsx", "xlsx", build_template(YEAR))
    check = check_figures(upload, YEAR)
    assert check.ok
    assert check.replaces
    assert check.diff_lines() == []
    next_year = check_figures(Upload("t.xlsx", "xlsx", retitled(upload.data, YEAR + 1)), YEAR + 1)
    assert next_year.ok
    assert not next_year.replaces
    assert len(next_year.added) == 12
    apply_figures(next_year, None)
    assert SchoolYearFigures.objects.filter(year=YEAR + 1).count() == 12


BAD_CELLS = [
    ("students", "", "第 2 行“在校生数（人）”：缺少"),
    ("key_teachers", "", "第 2 行“县级及以上骨干教师数（人）”：缺少"),
    ("sports_area", -5, "第 2 行“体育运动场馆面积（平方米）”：不能为负数"),
    ("equipment_value", "十万", "第 2 行“教学仪器设备值（元）”：不是数字：“十万”"),
    ("students", 0, "第 2 行“在校生数（人）”：在校生数不能为0"),
    ("classes", 2.5, "第 2 行“班级数（个）”：应为整数：“2.5”"),
]


@pytest.mark.parametrize(("field", "cell", "message"), BAD_CELLS, ids=[f"{f}-{c}" for f, c, _m in BAD_CELLS])
def test_each_bad_cell_is_named_and_nothing_is_saved(schools, field, cell, message):
    row = ["城关小学", "小学", *GOOD]
    row[2 + FIGURE_FIELDS.index(field)] = cell
    good_row = ["永安九年一贯制学校", "小学", *GOOD]
    check = check_figures(xlsx([row, good_row]), YEAR)
    assert [str(error) for error in check.result.errors] == [message]
    assert check.summary() == "发现 1 处错误，没有导入任何数据。"
    assert not SchoolYearFigures.objects.exists()


def test_an_unknown_school_is_named(schools):
    check = check_figures(xlsx([["城关小学", "小学", *GOOD], ["不存在的学校", "小学", *GOOD]]), YEAR)
    assert [str(error) for error in check.result.errors] == ["第 3 行“学校名称”：未知学校：“不存在的学校”"]
    assert not SchoolYearFigures.objects.exists()


def test_every_error_of_a_file_is_reported_at_once(schools):
    rows = [["城关小学", "初中", *GOOD], ["城关小学", "小学", *GOOD[:-1], -1], ["城关小学", "小学", *GOOD]]
    errors = [str(error) for error in check_figures(xlsx(rows), YEAR).result.errors]
    assert errors == [
        "第 2 行“学段”：“城关小学”（小学）没有初中学段",
        "第 3 行“交流轮岗教师中的骨干教师数（人）”：不能为负数",
        "第 4 行“学段”：“城关小学”的“小学”与第 3 行重复",
    ]


def nine_year_rows():
    shared = ["" for _ in FIGURE_FIELDS[3:]]
    primary = ["永安九年一贯制学校", "小学", 1000, 24, 45, *shared]
    junior = ["永安九年一贯制学校", "初中", 1200, 24, 50, *shared]
    whole = ["永安九年一贯制学校", "全校", "", "", "", *GOOD[3:]]
    whole[2 + FIGURE_FIELDS.index("equipment_value")] = 2_320_000
    return primary, junior, whole


def test_a_nine_year_schools_totals_are_apportioned_one_to_one_point_one(schools):
    primary, junior, whole = nine_year_rows()
    check = check_figures(xlsx([primary, junior, whole]), YEAR)
    assert check.ok, [str(error) for error in check.result.errors]
    apply_figures(check, None)
    p = SchoolYearFigures.objects.get(part__stage="primary", year=YEAR)
    j = SchoolYearFigures.objects.get(part__stage="junior", year=YEAR)
    # Weights 1000 × 1 and 1200 × 1.1 = 1320: 2,320,000 元 → 1,000,000 and 1,320,000; 3000 m² → 1293.10 + 1706.90;
    # 6 key teachers → 6 × 1000 / 2320 = 2.59 and 6 × 1320 / 2320 = 3.41.
    assert (p.equipment_value, j.equipment_value) == (Decimal("1000000.00"), Decimal("1320000.00"))
    assert (p.teaching_room_area, j.teaching_room_area) == (Decimal("1293.10"), Decimal("1706.90"))
    assert (p.key_teachers, j.key_teachers) == (Decimal("2.59"), Decimal("3.41"))
    assert p.music_room_min_area == j.music_room_min_area == Decimal("96.00")  # copied, not split
    assert p.apportioned["equipment_value"] == "2320000.00"
    assert j.apportioned["key_teachers"] == "6.00"


def test_a_total_is_split_between_both_parts_or_not_at_all(schools):
    # The junior part gives its own key teachers while the primary part leaves them to the 全校 row: splitting
    # the school's 6 would count the junior teachers twice. Refused, naming the blank cell; nothing saved.
    primary, junior, whole = nine_year_rows()
    junior[2 + FIGURE_FIELDS.index("key_teachers")] = 4
    check = check_figures(xlsx([primary, junior, whole]), YEAR)
    assert [str(error) for error in check.result.errors] == [
        "第 2 行“县级及以上骨干教师数（人）”：另一学段已填写该项：按“全校”行折算时两个学段都应留空"
    ]
    assert not SchoolYearFigures.objects.exists()


def test_a_blank_shared_cell_without_a_whole_school_row_is_missing(schools):
    row = ["永安九年一贯制学校", "小学", 1000, 24, 45, *["" for _ in FIGURE_FIELDS[3:]]]
    errors = [str(error) for error in check_figures(xlsx([row]), YEAR).result.errors]
    # the training-funds amounts may be left blank (not reported): the others are missing
    assert len(errors) == len(FIGURE_FIELDS) - 3 - len(OPTIONAL_FIGURES)
    assert errors[0] == "第 2 行“专任教师数（人）”：缺少"


def test_reimporting_a_year_shows_the_changes_and_replaces_only_when_applied(county, personas):
    workbook = load_workbook(io.BytesIO(build_template(YEAR)))
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(min_row=2))
    removed = next(row for row in rows if row[0].value == "教学点")
    sheet.delete_rows(removed[0].row)
    first = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "小学一")
    first[2 + FIGURE_FIELDS.index("key_teachers")].value = 3
    buffer = io.BytesIO()
    workbook.save(buffer)
    check = check_figures(Upload("t.xlsx", "xlsx", buffer.getvalue()), YEAR)
    assert check.ok
    assert check.replaces
    assert check.existing == 12
    assert check.diff_lines() == [
        "删除：教学点（小学）（文件中没有这一行，该年度数据将被删除）",
        "小学一（小学） 县级及以上骨干教师数（人）：1.00 → 3.00",
    ]
    assert SchoolYearFigures.objects.filter(year=YEAR).count() == 12  # nothing written before the confirmation
    apply_figures(check, personas["plan_office"])
    assert SchoolYearFigures.objects.filter(year=YEAR).count() == 11
    edit = FigureEdit.objects.get()
    assert (edit.field, edit.old_value, edit.new_value, edit.source) == ("key_teachers", "1.00", "3.00", "import")


def test_the_command_needs_replace_to_overwrite_a_year(county, tmp_path):
    path = tmp_path / "figures.xlsx"
    path.write_bytes(build_template(YEAR))
    with pytest.raises(CommandError, match="--replace"):
        call_command("import_school_figures", str(path), "--year", str(YEAR))
    out = io.StringIO()
    call_command("import_school_figures", str(path), "--year", str(YEAR), "--replace", stdout=out)
    assert "导入完成" in out.getvalue()


def test_the_command_reports_bad_cells(schools, tmp_path):
    path = tmp_path / "figures.xlsx"
    path.write_bytes(xlsx([["城关小学", "小学", *GOOD[:3], "abc", *GOOD[4:]]]).data)
    err = io.StringIO()
    with pytest.raises(CommandError, match="没有导入任何数据"):
        call_command("import_school_figures", str(path), "--year", "2025", stderr=err)
    assert "第 2 行“专任教师数（人）”：不是数字：“abc”" in err.getvalue()
    assert not SchoolYearFigures.objects.exists()


def test_a_number_too_large_for_its_column_is_named_not_a_crash(schools):
    row = ["城关小学", "小学", *GOOD]
    row[2 + FIGURE_FIELDS.index("equipment_value")] = "1e40"
    row[2 + FIGURE_FIELDS.index("students")] = 3_000_000_000
    errors = [str(error) for error in check_figures(xlsx([row]), YEAR).result.errors]
    assert errors == [
        "第 2 行“在校生数（人）”：数值过大：“3000000000”（最大 2,147,483,647）",
        "第 2 行“教学仪器设备值（元）”：数值过大：“1e40”（最大 99,999,999,999,999.99）",
    ]
    assert not SchoolYearFigures.objects.exists()


def test_the_template_gives_apportioned_figures_back_as_a_whole_school_row(schools):
    primary, junior, whole = nine_year_rows()
    apply_figures(check_figures(xlsx([primary, junior, whole]), YEAR), None)
    sheet = load_workbook(io.BytesIO(build_template(YEAR))).worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2) if row[0].value == "永安九年一贯制学校"]
    by_stage = {row[1]: row for row in rows}
    assert sorted(by_stage) == sorted(["小学", "初中", "全校"])
    assert rows[-1][1] == "全校"
    equipment = 2 + FIGURE_FIELDS.index("equipment_value")
    assert [by_stage[stage][equipment] for stage in ("小学", "初中", "全校")] == [None, None, 2_320_000]
    # Uploaded unchanged (the schools without figures yet taken out), it changes nothing and the figures stay
    # marked as apportioned.
    for number in range(sheet.max_row, 1, -1):
        if sheet.cell(row=number, column=1).value != "永安九年一贯制学校":
            sheet.delete_rows(number)
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    check = check_figures(Upload("template.xlsx", "xlsx", buffer.getvalue()), YEAR)
    assert check.ok
    assert list(check.diff_lines()) == []
    apply_figures(check, None)
    assert SchoolYearFigures.objects.get(part__stage="junior", year=YEAR).apportioned["equipment_value"] == "2320000.00"
