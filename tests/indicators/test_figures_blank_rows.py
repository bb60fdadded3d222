"""The figures template's untouched rows are parts that have not reported, not errors; the year is the template's.

The hand-computed county of conftest.py has 12 school parts with 2025 figures. Its 2025 template, renamed to
2026 (the sheet name is how a template states its year), is a 2026 file with every row filled: clearing rows
makes schools that have not reported.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from departments.imports.files import Upload
from indicators.imports import COLUMNS, apply_figures, build_template, check_figures
from indicators.models import SchoolYearFigures

from .conftest import YEAR

pytestmark = pytest.mark.django_db
NEXT = YEAR + 1
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def template(year=YEAR, as_year=None, keep=None, partial=None):
    """``year``'s template (stating ``as_year`` if given): rows of schools not in ``keep`` cleared of every figure;
    ``partial`` (a school): its first row cleared except 在校生数."""
    workbook = load_workbook(io.BytesIO(build_template(year)))
    sheet = workbook.worksheets[0]
    if as_year is not None:
        sheet.title = f"{as_year}年学校数据"
    headers = [cell.value for cell in sheet[1]]
    students = headers.index("在校生数（人）")
    for row in sheet.iter_rows(min_row=2):
        school = row[0].value
        if (keep is not None and school not in keep) or school == partial:
            for index, cell in enumerate(row[2:], start=2):
                if not (school == partial and index == students):
                    cell.value = None
            partial = None if school == partial else partial  # only its first row
    buffer = io.BytesIO()
    workbook.save(buffer)
    return Upload("学校数据.xlsx", "xlsx", buffer.getvalue())


def test_an_untouched_template_is_no_error_and_imports_nothing(county):
    check = check_figures(template(YEAR, as_year=NEXT, keep=()))
    assert check.ok, check.result.errors
    assert check.year == NEXT
    assert check.writes == []
    assert check.blank == 12
    assert "12 行没有填写数据，按未报送处理" in check.summary()


def test_blank_rows_are_not_reported_and_the_filled_ones_import(county, personas):
    check = check_figures(template(YEAR, as_year=NEXT, keep={"小学二", "九年一贯制"}))
    assert check.ok, check.result.errors
    assert check.blank == 9
    assert sorted(write.label for write in check.writes) == [
        "九年一贯制（初中）",
        "九年一贯制（小学）",
        "小学二（小学）",
    ]
    apply_figures(check, personas["plan_office"])
    stored = SchoolYearFigures.objects.filter(year=NEXT)
    assert sorted(stored.values_list("part__school__unit__name", "part__stage")) == [
        ("九年一贯制", "junior"),
        ("九年一贯制", "primary"),
        ("小学二", "primary"),
    ]
    assert SchoolYearFigures.objects.filter(year=YEAR).count() == 12  # the other year untouched


def test_a_partly_filled_row_is_still_checked_and_named(county):
    check = check_figures(template(YEAR, as_year=NEXT, keep=(), partial="小学二"))
    assert not check.ok
    sheet = load_workbook(io.BytesIO(build_template(YEAR))).worksheets[0]
    row = next(
        number for number, (school, *_rest) in enumerate(sheet.iter_rows(values_only=True), 1) if school == "小学二"
    )
    header = {column.key: column.header for column in COLUMNS}
    # that row only (the eleven blank rows are fine), each missing per-part figure named
    assert [str(error) for error in check.result.errors] == [
        f"第 {row} 行“{header['classes']}”：缺少",
        f"第 {row} 行“{header['largest_class']}”：缺少",
    ]
    assert not SchoolYearFigures.objects.filter(year=NEXT).exists()


def upload(client, data, year=""):
    file = SimpleUploadedFile("学校数据.xlsx", data.data, content_type=XLSX)
    return client.post(reverse("indicators:import_figures"), {"year": year, "file": file})


def test_the_upload_takes_the_year_from_the_template(client, personas, county):
    client.force_login(personas["plan_office"])
    response = upload(client, template(YEAR, as_year=NEXT, keep={"小学二"}))
    assert response.status_code == 302
    assert SchoolYearFigures.objects.filter(year=NEXT).count() == 1


def test_a_year_that_is_not_the_templates_is_refused(client, personas, county):
    client.force_login(personas["plan_office"])
    response = upload(client, template(YEAR, as_year=NEXT, keep={"小学二"}), year=YEAR)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"年度不一致：文件是{NEXT}年的模板（工作表“{NEXT}年学校数据”），所选年度却是{YEAR}年" in page
    assert not SchoolYearFigures.objects.filter(year=NEXT).exists()
    assert SchoolYearFigures.objects.filter(year=YEAR).count() == 12  # the chosen year is not replaced either


def test_the_same_year_given_confirms_it(county):
    check = check_figures(template(YEAR, as_year=NEXT, keep={"小学二"}), NEXT)
    assert check.ok
    assert check.year == NEXT


def test_a_file_that_states_no_year_needs_one(county):
    data = "\n".join([",".join(column.header for column in COLUMNS), "小学二,小学"]).encode()
    check = check_figures(Upload("数据.csv", "csv", data))
    assert not check.ok
    assert check.year is None
    assert str(check.result.errors[0]).startswith("文件没有注明年度：请填写年度")
    assert check_figures(Upload("数据.csv", "csv", data), NEXT).ok  # a blank row, with the year given


def test_the_template_states_its_year_and_the_download_defaults_to_the_year_just_ended(client, personas, county):
    client.force_login(personas["plan_office"])
    response = client.get(reverse("indicators:figures_template"))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet.title == f"{timezone.localdate().year - 1}年学校数据"
