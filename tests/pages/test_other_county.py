"""Another county's plan: once it is the plan in force, no page names 奉节 — the county comes from the plan's issuer.

The plan is the shipped document with every 奉节 renamed 巫溪 (a new document number, so a new plan), imported into
a database without the shipped plan (the home page lists every imported plan, and 奉节's would rightly name 奉节).
Pages: the login heading, the home page and the site title, a
circular's series title, the self-evaluation reports page and a report's title, the county indicators page.
"""

from datetime import date

import pytest
from django.urls import reverse

from indicators.models import SelfEvaluationReport
from indicators.models.work import report_title
from notices.models import Circular
from tests.conftest import year_period
from workflows.models import Plan
from workflows.plan_import.loader import load_plan
from workflows.plan_import.parser import parse_plan

pytestmark = pytest.mark.django_db
YEAR = 2025


@pytest.fixture
def wuxi(plan):
    text = plan.source_text.replace("奉节", "巫溪")
    assert "奉节" not in text
    plan.delete()
    load_plan(parse_plan(text))
    renamed = Plan.objects.current()
    assert (renamed.county_name, renamed.doc_number) == ("巫溪县", "巫溪府办发〔2021〕100号")
    return renamed


def no_fengjie(page):
    assert "奉节" not in page
    assert "Fengjie" not in page


def test_the_login_and_home_pages_name_the_plans_county(client, personas, wuxi):
    page = client.get(reverse("login")).content.decode()
    assert "巫溪县义务教育优质均衡发展" in page
    no_fengjie(page)
    client.force_login(personas["plan_office"])
    no_fengjie(client.get(reverse("home")).content.decode())


def test_a_circular_is_titled_with_the_plans_county(client, personas, wuxi):
    office = personas["government_office"]
    circular = Circular.objects.create(
        title="关于一季度工作推进情况的通报", period=year_period(wuxi, YEAR), summary="总体推进有序。",
        rectification_deadline=date(YEAR, 6, 30), created_by=office,
    )  # fmt: skip
    client.force_login(office)
    page = client.get(circular.get_absolute_url()).content.decode()
    assert "巫溪县义务教育优质均衡发展工作通报" in page
    no_fengjie(page)


def test_the_reports_and_the_county_page_name_the_plans_county(client, personas, wuxi):
    assert report_title(YEAR) == f"巫溪县义务教育优质均衡发展{YEAR}年度自评报告"
    report = SelfEvaluationReport.objects.create(year=YEAR, requested_by=personas["plan_office"])
    assert report.filename == f"巫溪县义务教育优质均衡发展{YEAR}年度自评报告.docx"
    client.force_login(personas["plan_office"])
    page = client.get(reverse("indicators:report_list")).content.decode()
    assert "《巫溪县义务教育优质均衡发展年度自评报告》" in page
    no_fengjie(page)
    no_fengjie(client.get(reverse("indicators:county_figures"), {"year": YEAR}).content.decode())


def test_a_cut_copy_is_refused_with_its_own_issuer_as_the_example(plan):
    from workflows.plan_import.completeness import check_completeness

    lines = plan.source_text.replace("奉节", "巫溪").splitlines()
    cut = "\n".join(line for line in lines if not line.rstrip().endswith("印发"))
    (problem, *_) = check_completeness(parse_plan(cut)).problems()
    assert "形如“巫溪县人民政府办公室 2021年12月2日印发”的印发行" in problem
    no_fengjie(problem)
