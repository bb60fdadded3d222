"""“N of M school parts reported” on every indicator page and in the self-evaluation report, and no pass or fail
claimed for an incomplete year: the county of conftest.py has 12 parts, all reported for 2025; a thirteenth
school with no figures makes the year incomplete (12/13), and its verdicts provisional (暂定)."""

import io
import re

import pytest
from django.urls import reverse
from docx import Document

from indicators.reads.reporting import reporting
from indicators.report.sections import write_report
from indicators.services.store import store_year

from .conftest import YEAR, make_school

pytestmark = pytest.mark.django_db


@pytest.fixture
def complete(county):
    store_year(YEAR)
    return county


@pytest.fixture
def incomplete(complete, township):
    make_school("新建小学", "primary", township)  # a part that exists for the year and has not reported
    store_year(YEAR)
    return complete


def text(page):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def test_the_count_is_of_the_years_parts(complete, township):
    assert (reporting(YEAR).reported, reporting(YEAR).expected, reporting(YEAR).complete) == (12, 12, True)
    make_school("新建九年制学校", "nine_year", township)
    counted = reporting(YEAR)
    assert (counted.reported, counted.expected, counted.complete) == (12, 14, False)
    assert counted.text.startswith(f"{YEAR}年已报送 12/14 个学校学段的数据，还有 2 个未报送")
    assert reporting(YEAR + 1).text.startswith(f"{YEAR + 1}年已报送 0/14 个")


def test_an_inactive_schools_reported_part_still_counts_and_an_unreported_one_does_not(complete, township):
    gone = make_school("已撤并小学", "primary", township)
    gone.unit.active = False
    gone.unit.save()
    assert (reporting(YEAR).reported, reporting(YEAR).expected) == (12, 12)


def dashboard(client, user):
    client.force_login(user)
    response = client.get(reverse("indicators:dashboard"), {"year": YEAR, "stage": "primary"})
    assert response.status_code == 200
    return response.content.decode()


def test_the_dashboard_of_an_incomplete_year_marks_every_verdict_provisional(client, personas, incomplete):
    page = dashboard(client, personas["government_office"])
    assert f"{YEAR}年已报送 12/13 个学校学段的数据" in page
    assert "数据不完整（暂定）" in page
    assert "4/7 所学校资源配置达标（暂定）" in text(page)
    cv_row = re.search(r'<tr id="cv-row">.*?</tr>', page, re.S).group(0)
    assert cv_row.count("达标（暂定）") == 7  # each coefficient's verdict
    assert "达标<" not in cv_row  # none left bare
    county = re.search(r'<section class="card" id="county">.*?</section>', page, re.S).group(0)
    assert re.search(r"达标（暂定）", county)


def test_the_dashboard_of_a_complete_year_claims_its_verdicts(client, personas, complete):
    page = dashboard(client, personas["government_office"])
    assert f"{YEAR}年已报送 12/12 个学校学段的数据（全部报送）" in page
    assert "暂定" not in page
    assert "4/7 所学校资源配置达标（" in text(page)


def test_the_county_page_and_the_school_page_show_the_count(client, personas, incomplete):
    client.force_login(personas["plan_office"])
    county = client.get(reverse("indicators:county_figures"), {"year": YEAR}).content.decode()
    assert "已报送 12/13 个学校学段的数据" in county
    assert "达标（暂定）" in county or "未达标（暂定）" in county
    school = client.get(reverse("indicators:school_detail", args=[incomplete["小学二"].pk])).content.decode()
    assert f"{YEAR}年已报送 12/13 个学校学段的数据" in school


def report_text(document):
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)


def test_the_report_of_an_incomplete_year_says_so_and_marks_its_verdicts(incomplete):
    document = Document(io.BytesIO(write_report(YEAR)))
    body = report_text(document)
    assert f"注意：{YEAR}年已报送 12/13 个学校学段的数据，还有 1 个未报送" in body
    assert "全县小学资源配置尚未达到优质均衡标准（暂定）。" in body
    summary = next(t for t in document.tables if t.rows[0].cells[-1].text == "优质均衡标准")
    assert all(row.cells[-1].text.endswith("（暂定）") for row in summary.rows[1:])


def test_the_report_of_a_complete_year_claims_its_verdicts(complete):
    body = report_text(Document(io.BytesIO(write_report(YEAR))))
    assert "暂定" not in body
    assert "全县小学资源配置尚未达到优质均衡标准。" in body
