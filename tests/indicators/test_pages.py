"""The plan office's import pages and a school's page, through the client; who may do what."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from indicators.imports import build_template
from indicators.models import FigureEdit, SchoolYearFigures

from .conftest import YEAR

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(client, year, data, name="数据.xlsx"):
    file = SimpleUploadedFile(name, data, content_type=XLSX)
    return client.post(reverse("indicators:import_figures"), {"year": year, "file": file})


def confirmation(response):
    """What the page's confirmation form posts back: the pending upload's token and the digest of the changes."""
    page = response.content.decode()
    return {name: re.search(rf'name="{name}" value="([^"]*)"', page).group(1) for name in ("token", "changes")}


def confirm(client, page, **kwargs):
    return client.post(reverse("indicators:confirm_import"), confirmation(page), **kwargs)


def retitled(data, year):
    """A workbook's bytes with its first sheet renamed so that it states ``year``, as ``year``'s template does."""
    workbook = load_workbook(io.BytesIO(data))
    workbook.worksheets[0].title = f"{year}年学校数据"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def edited_template(year, school, column, value, as_year=None):
    """``year``'s template with one cell changed; ``as_year``: its sheet renamed, so it states that year."""
    workbook = load_workbook(io.BytesIO(build_template(year)))
    sheet = workbook.worksheets[0]
    if as_year is not None:
        sheet.title = f"{as_year}年学校数据"
    headers = [cell.value for cell in sheet[1]]
    row = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == school)
    row[headers.index(column)].value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_template_download(client, personas, county):
    client.force_login(personas["plan_office"])
    response = client.get(reverse("indicators:figures_template"), {"year": YEAR})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert load_workbook(io.BytesIO(response.content)).sheetnames == [f"{YEAR}年学校数据", "填表说明"]


def test_a_bad_file_shows_row_column_and_problem_and_saves_nothing(client, personas, county):
    client.force_login(personas["plan_office"])
    data = edited_template(YEAR + 1, "小学一", "在校生数（人）", 0)  # the next year: blank template … plus 0
    response = upload(client, YEAR + 1, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "没有导入任何数据" in page
    assert "“在校生数（人）”：在校生数不能为0" in page
    assert "：缺少" in page
    assert not SchoolYearFigures.objects.filter(year=YEAR + 1).exists()


def test_a_new_year_is_saved_at_once(client, personas, county):
    client.force_login(personas["plan_office"])
    response = upload(client, YEAR + 1, retitled(build_template(YEAR), YEAR + 1))  # last year's figures, as this year's
    assert response.status_code == 302
    assert SchoolYearFigures.objects.filter(year=YEAR + 1).count() == 12


def test_replacing_a_year_needs_a_confirmation_that_shows_the_changes(client, personas, county):
    client.force_login(personas["plan_office"])
    response = upload(client, YEAR, edited_template(YEAR, "初中一", "县级及以上骨干教师数（人）", 9))
    page = response.content.decode()
    assert response.status_code == 200
    assert "确认替换" in page
    assert "初中一（初中） 县级及以上骨干教师数（人）：8.00 → 9.00" in page
    figures = SchoolYearFigures.objects.get(year=YEAR, part__school__unit__name="初中一")
    assert figures.key_teachers == 8  # not yet
    assert confirm(client, response).status_code == 302
    figures.refresh_from_db()
    assert figures.key_teachers == 9
    assert FigureEdit.objects.get().edited_by == personas["plan_office"]
    # The pending file is used once.
    again = confirm(client, response, follow=True)
    assert "没有待确认的导入" in again.content.decode()
    assert FigureEdit.objects.count() == 1


def test_a_confirmation_applies_only_what_its_page_showed(client, personas, county):
    # Two uploads in two tabs: confirming the first page must not apply the second file.
    client.force_login(personas["plan_office"])
    first = upload(client, YEAR, edited_template(YEAR, "初中一", "县级及以上骨干教师数（人）", 9))
    upload(client, YEAR, edited_template(YEAR, "初中一", "县级及以上骨干教师数（人）", 20))
    response = confirm(client, first, follow=True)
    assert "已被另一次上传取代" in response.content.decode()
    figures = SchoolYearFigures.objects.get(year=YEAR, part__school__unit__name="初中一")
    assert figures.key_teachers == 8
    assert not FigureEdit.objects.exists()
    # The figures changed between the page and the confirmation: the replacement differs from what was shown.
    shown = upload(client, YEAR, edited_template(YEAR, "初中一", "县级及以上骨干教师数（人）", 9))
    SchoolYearFigures.objects.filter(pk=figures.pk).update(key_teachers=7)
    response = confirm(client, shown, follow=True)
    assert "系统中的数据在确认前已被修改" in response.content.decode()
    figures.refresh_from_db()
    assert figures.key_teachers == 7


@pytest.mark.parametrize("persona", ["own_liaison", "inspector", "government_office", "assessment_reader"])
def test_only_the_plan_office_and_administrators_import(client, personas, county, persona):
    client.force_login(personas[persona])
    assert upload(client, YEAR + 1, build_template(YEAR)).status_code == 403
    assert client.post(reverse("indicators:confirm_import"), {"year": YEAR}).status_code == 403
    assert not SchoolYearFigures.objects.filter(year=YEAR + 1).exists()


def test_the_school_page_shows_indicators_and_edits_keep_history(client, personas, county):
    school = county["小学二"]
    url = reverse("indicators:school_detail", args=[school.pk])
    client.force_login(personas["inspector"])
    page = client.get(url).content.decode()
    assert "每百名学生拥有网络多媒体教室数" in page
    assert "2.25" in page
    assert "（6/7 项达标）" in page
    figures = school.parts.get().figures.get()
    edit_url = reverse("indicators:edit_school_figure", args=[school.pk])
    form = {"figures": figures.pk, "field": "multimedia_rooms", "value": "10", "reason": "补录一间"}
    assert client.post(edit_url, form).status_code == 403  # inspectors read, they do not edit
    client.force_login(personas["plan_office"])
    assert client.post(edit_url, form).status_code == 302
    page = client.get(url).content.decode()
    assert "补录一间" in page
    assert "在学校页面修改" in page
    assert "（7/7 项达标）" in page
    response = client.post(edit_url, {**form, "value": "-1"}, follow=True)
    assert "不能为负数" in response.content.decode()


def test_apportioned_figures_are_said_so_on_the_school_page(client, personas, county):
    school = county["九年一贯制"]
    SchoolYearFigures.objects.filter(part__school=school).update(apportioned={"equipment_value": "5260000.00"})
    client.force_login(personas["plan_office"])
    page = client.get(reverse("indicators:school_detail", args=[school.pk])).content.decode()
    assert "按在校生数以 1 : 1.1（小学 : 初中）的权重折算" in page
    assert "含折算数据" in page


def test_a_liaison_sees_only_their_own_school(client, make_user, county):
    own = make_user("school-liaison", unit=county["初中一"].unit)
    client.force_login(own)
    assert client.get(reverse("indicators:school_detail", args=[county["初中一"].pk])).status_code == 200
    assert client.get(reverse("indicators:school_detail", args=[county["初中二"].pk])).status_code == 404
