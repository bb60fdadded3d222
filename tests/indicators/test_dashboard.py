"""The indicators dashboard on the hand-computed county of conftest.py: marks, coefficients, filters, trend,
charts, who sees it, and the stored values following every import and edit."""

import re

import pytest
from django.urls import reverse

from departments.models import Unit
from indicators.models import SchoolPart, SchoolYearFigures
from indicators.reads.dashboard import dashboard
from indicators.services.schools import edit_figure
from indicators.services.store import store_year

from .conftest import PARTS, YEAR, figures_for, make_school
from .test_pages import confirm, edited_template, upload

pytestmark = pytest.mark.django_db
URL = reverse("indicators:dashboard")


@pytest.fixture
def stored(county):
    store_year(YEAR)
    return county


def row_of(page, school):
    """The text of the school's row in the page (tags dropped)."""
    match = re.search(rf"<tr data-school=\"\d+\">\s*<td class=\"nowrap\"><a [^>]*>{school}</a>.*?</tr>", page, re.S)
    assert match, school
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0))).strip()


def get(client, user, **query):
    client.force_login(user)
    response = client.get(URL, query)
    assert response.status_code == 200
    return response, response.content.decode()


def test_the_marks_and_the_pass_rule_per_school(client, personas, stored):
    response, page = get(client, personas["government_office"], year=YEAR, stage="primary")
    rows = {row.name: row for row in response.context["schools"]}
    assert set(rows) == {"小学一", "小学二", "小学三", "小学四", "九年一贯制", "教学点", "特殊教育学校"}
    # conftest/test_compute: 小学二 multimedia 2.25 < 2.3 but above 85 % → 6 of 7, passes;
    # 小学三 multimedia 1.5 below 85 % → fails; 小学一 nothing reaches.
    assert [cell.mark for cell in rows["小学二"].cells] == ["reached"] * 6 + ["below"]
    assert rows["小学三"].cells[-1].mark == "below_floor"
    assert not rows["小学三"].passes
    assert {cell.mark for cell in rows["小学一"].cells} == {"below_floor"}
    assert {name for name, row in rows.items() if row.passes} == {"小学二", "小学四", "九年一贯制", "特殊教育学校"}
    assert "2.25 未达标" in row_of(page, "小学二")
    assert row_of(page, "小学二").endswith("6/7 达标")
    assert "1.50 低于标准85%" in row_of(page, "小学三")
    assert row_of(page, "小学三").endswith("未达标")
    assert "4/7" in page  # schools passing


def test_the_coefficient_row_against_the_stages_threshold(client, personas, stored):
    response, page = get(client, personas["inspector"], year=YEAR, stage="primary")
    cvs = response.context["coefficients"]
    assert [float(cv.coefficient) for cv in cvs] == pytest.approx([0.246183] * 6 + [0.352136], abs=1e-6)
    assert all(cv.reached for cv in cvs)
    assert float(response.context["coefficient_threshold"]) == 0.5
    assert float(response.context["coefficient_mean"]) == pytest.approx(0.261319, abs=1e-6)
    cv_row = re.search(r'<tr id="cv-row">.*?</tr>', page, re.S).group(0)
    assert "标准 ≤ 0.5" in cv_row
    assert "0.352 达标" in cv_row
    assert "平均 0.261" in cv_row
    assert "7/7" in cv_row
    response, page = get(client, personas["inspector"], year=YEAR, stage="junior")
    assert float(response.context["coefficient_threshold"]) == 0.45
    assert response.context["passing"] == 4
    assert len(response.context["schools"]) == 5
    assert "0.225 达标" in page


def test_a_coefficient_above_its_threshold_is_marked(client, personas, stored):
    figures = SchoolYearFigures.objects.get(year=YEAR, part__school__unit__name="小学四")
    edit_figure(personas["plan_office"], figures, "key_teachers", "200")  # 25 per 100 students: far above the rest
    response, page = get(client, personas["plan_office"], year=YEAR, stage="primary")
    key = response.context["coefficients"][1]
    assert key.code == "key_teachers_per_100"
    assert key.coefficient > 0.5
    assert not key.reached
    assert re.search(r"\d\.\d{3} 未达标", re.search(r'<tr id="cv-row">.*?</tr>', page, re.S).group(0))


def test_the_township_filter(client, personas, stored):
    other = Unit.objects.create(name="另一镇", kind=Unit.Kind.TOWNSHIP)
    school = make_school("另一镇小学", "primary", other)
    figures_for(school.parts.get(), YEAR, PARTS[("小学二", "primary", "primary")]).save()
    store_year(YEAR)
    response, page = get(client, personas["plan_office"], year=YEAR, stage="primary", township=other.pk)
    assert [row.name for row in response.context["schools"]] == ["另一镇小学"]
    assert response.context["passing"] == 1
    assert "另一镇" in page
    response, _page = get(client, personas["plan_office"], year=YEAR, stage="primary")
    assert len(response.context["schools"]) == 8


def test_bad_filters_are_answered_in_chinese(client, personas, stored):
    response, page = get(client, personas["plan_office"], year=1999, stage="high", township="x")
    assert "年度：没有这一年度的数据" in page
    assert "学段：学段应为小学或初中" in page
    assert "乡镇（街道）：没有这个乡镇（街道）" in page
    assert response.context["year"] == YEAR
    assert response.context["stage"] == "primary"


def test_the_trend_since_the_first_year(client, personas, stored):
    earlier = [
        figures_for(SchoolPart.objects.get(school__unit__name=name, stage=stage), YEAR - 1, values)
        for (name, _type, stage), values in PARTS.items()
        if name in {"小学一", "小学二"}
    ]
    SchoolYearFigures.objects.bulk_create(earlier)
    store_year(YEAR - 1)
    response, page = get(client, personas["assessment_reader"], year=YEAR, stage="primary")
    trend = response.context["trend"]
    assert [(point["year"], point["passing"], point["total"]) for point in trend] == [(YEAR - 1, 1, 2), (YEAR, 4, 7)]
    assert all(cv is not None for cv in trend[0]["coefficients"])
    # 2 of the 12 parts reported in the earlier year: its line says so, the complete year's does not
    assert re.search(
        rf'<tr data-year="{YEAR - 1}"><td>{YEAR - 1}<span [^>]*>暂定（2/12）</span></td><td>1/2</td>', page
    )
    assert f'<tr data-year="{YEAR}"><td>{YEAR}</td><td>4/7</td>' in page


def test_the_charts_are_svg_on_the_page_and_png_to_download(client, personas, stored):
    _response, page = get(client, personas["plan_office"], year=YEAR, stage="junior")
    client.force_login(personas["plan_office"])
    for name in ("cv-trend", "equipment_value_per_student"):
        url = reverse("indicators:dashboard_chart", args=[name, "svg"])
        assert url in page
        svg = client.get(url, {"year": YEAR, "stage": "junior"})
        assert svg.status_code == 200
        assert svg["Content-Type"] == "image/svg+xml"
        assert b"<svg" in svg.content
        png = client.get(reverse("indicators:dashboard_chart", args=[name, "png"]), {"year": YEAR, "stage": "junior"})
        assert png.content.startswith(b"\x89PNG")
        assert "attachment" in png["Content-Disposition"]
    assert client.get(reverse("indicators:dashboard_chart", args=["nothing", "svg"])).status_code == 404


@pytest.mark.parametrize("persona", ["own_liaison", "stranger_liaison", "no_unit"])
def test_liaisons_get_403(client, personas, stored, persona):
    client.force_login(personas[persona])
    assert client.get(URL).status_code == 403
    assert client.get(reverse("indicators:dashboard_chart", args=["cv-trend", "svg"])).status_code == 403


def test_a_schools_own_liaison_gets_403_on_the_dashboard(client, make_user, stored):
    liaison = make_user("school-liaison", unit=stored["小学一"].unit)
    client.force_login(liaison)
    assert client.get(URL).status_code == 403
    assert client.get(reverse("indicators:school_detail", args=[stored["小学一"].pk])).status_code == 200


@pytest.mark.parametrize("persona", ["government_office", "inspector", "plan_office", "assessment_reader"])
def test_the_nav_and_home_link_the_dashboard(client, personas, persona):
    client.force_login(personas[persona])
    assert f'href="{URL}"' in client.get(reverse("home")).content.decode()


def test_a_liaisons_nav_has_no_dashboard_link(client, personas):
    client.force_login(personas["own_liaison"])
    assert f'href="{URL}"' not in client.get(reverse("home")).content.decode()


def test_an_edit_stores_the_year_again(client, personas, stored):
    figures = SchoolYearFigures.objects.get(year=YEAR, part__school__unit__name="小学三")
    assert dashboard(YEAR, "primary")["passing"] == 4
    client.force_login(personas["plan_office"])
    url = reverse("indicators:edit_school_figure", args=[stored["小学三"].pk])
    client.post(url, {"figures": figures.pk, "field": "multimedia_rooms", "value": "15", "reason": "核对"})
    assert dashboard(YEAR, "primary")["passing"] == 5  # 2.5 rooms per 100 ≥ 2.3: 小学三 now passes


def test_an_import_confirmation_stores_the_year_again(client, personas, stored):
    client.force_login(personas["plan_office"])
    shown = upload(client, YEAR, edited_template(YEAR, "小学三", "网络多媒体教室数（间）", 15))
    assert dashboard(YEAR, "primary")["passing"] == 4  # nothing before the confirmation
    assert confirm(client, shown).status_code == 302
    assert dashboard(YEAR, "primary")["passing"] == 5
    _response, page = get(client, personas["plan_office"], year=YEAR, stage="primary")
    assert "5/7" in page


def test_a_first_import_stores_its_year(client, personas, stored):
    client.force_login(personas["plan_office"])
    response = upload(client, YEAR + 1, edited_template(YEAR, "小学三", "网络多媒体教室数（间）", 15, as_year=YEAR + 1))
    assert response.status_code == 302
    assert dashboard(YEAR + 1, "primary")["passing"] == 5


def test_the_dashboards_queries_do_not_grow_with_schools(client, personas, stored, township, count_queries):
    client.force_login(personas["plan_office"])
    client.get(URL, {"year": YEAR, "stage": "primary"})  # warm the session and permission caches

    def page():
        assert client.get(URL, {"year": YEAR, "stage": "primary"}).status_code == 200

    small = count_queries(page)
    extra = []
    for index in range(15):
        school = make_school(f"新增小学{index}", "primary", township)
        extra.append(figures_for(school.parts.get(), YEAR, PARTS[("小学二", "primary", "primary")]))
    SchoolYearFigures.objects.bulk_create(extra)
    store_year(YEAR)
    assert count_queries(page) == small


def test_the_dashboard_leads_the_plan_office_to_the_problem_list(client, personas, stored):
    from django.urls import reverse

    client.force_login(personas["plan_office"])
    html = client.get(reverse("indicators:dashboard")).content.decode()
    assert reverse("indicators:shortfalls") + "?year=" in html
    assert reverse("indicators:ledger") in html
    client.force_login(personas["inspector"])
    html = client.get(reverse("indicators:dashboard")).content.decode()
    assert reverse("indicators:shortfalls") not in html
    assert reverse("indicators:ledger") in html
