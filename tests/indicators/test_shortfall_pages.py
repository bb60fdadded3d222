"""问题清单 is paged by school (5,000 schools' shortfalls are not one page): schools in name order, the year kept in
the page links, the totals and the confirmation of the whole year on every page, and a fixed number of queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from departments.roles import CrossUnitRole
from indicators.reads import shortfall_preview
from indicators.services.rectification import raise_rectifications

from .conftest import YEAR
from .test_rectification import EXPECTED, SHORTFALL_COUNT

pytestmark = pytest.mark.django_db
URL = reverse("indicators:shortfalls")
SCHOOLS = sorted(EXPECTED)  # code-point order of the names, as the page lists them


@pytest.fixture
def deadline():
    return timezone.localdate() + timedelta(days=60)


@pytest.fixture
def plan_office(county, make_user):
    return make_user("plan", cross_role=CrossUnitRole.PLAN_OFFICE)


@pytest.fixture
def three_per_page(county, monkeypatch):
    monkeypatch.setattr(shortfall_preview, "PER_PAGE", 3)


def shown(response):
    return [school.school.unit.name for school in response.context["preview"].schools]


def test_the_second_page_shows_the_next_schools_and_the_totals_of_the_year(client, plan_office, three_per_page):
    client.force_login(plan_office)
    pages = [client.get(URL, {"year": YEAR, "page": page}) for page in (1, 2, 3)]
    assert [shown(response) for response in pages] == [SCHOOLS[:3], SCHOOLS[3:6], SCHOOLS[6:]]
    second = pages[1]
    assert {
        name: [s.text() for s in school.new]
        for name, school in zip(shown(second), second.context["preview"].schools, strict=True)
    } == {name: EXPECTED[name] for name in SCHOOLS[3:6]}
    html = second.content.decode()
    assert f"将为 8 所学校生成整改任务，共 {SHORTFALL_COUNT} 个问题" in html  # the year's, not the page's
    assert "确认生成（8 项整改任务）" in html
    assert "第 2 / 3 页，共 8 项" in html
    links = [link.split('"')[0] for link in html.split('href="') if link.startswith("?")]
    assert f"?year={YEAR}&amp;page=3" in links  # the year stays in the page links
    assert f"?year={YEAR}&amp;page=1" in links


def test_a_page_out_of_range_is_the_nearest_page(client, plan_office, three_per_page):
    client.force_login(plan_office)
    assert shown(client.get(URL, {"year": YEAR, "page": 99})) == SCHOOLS[6:]
    assert shown(client.get(URL, {"year": YEAR, "page": "x"})) == SCHOOLS[:3]


def test_what_is_already_raised_is_counted_over_every_page(client, plan_office, three_per_page, deadline):
    raise_rectifications(plan_office, YEAR, deadline)
    client.force_login(plan_office)
    response = client.get(URL, {"year": YEAR, "page": 2})
    preview = response.context["preview"]
    assert (preview.counts.raising, preview.new_count, preview.already_count) == (0, 0, SHORTFALL_COUNT)
    assert all(school.already and not school.new for school in preview.schools)
    html = response.content.decode()
    assert f"另有 {SHORTFALL_COUNT} 个问题已生成或正在整改" in html
    assert "确认生成" not in html


def test_confirming_from_any_page_raises_every_school(client, plan_office, three_per_page, deadline):
    client.force_login(plan_office)
    client.get(URL, {"year": YEAR, "page": 3})
    client.post(URL, {"year": YEAR, "deadline": deadline.isoformat()})
    assert shortfall_preview.preview_shortfalls(YEAR).counts.raising == 0
    assert len(raise_rectifications(plan_office, YEAR, deadline)) == 0


def test_the_query_count_is_the_same_on_every_page_raised_or_not(
    client, plan_office, three_per_page, deadline, count_queries
):
    client.force_login(plan_office)
    client.get(URL, {"year": YEAR})
    first = count_queries(lambda: client.get(URL, {"year": YEAR, "page": 1}))
    assert count_queries(lambda: client.get(URL, {"year": YEAR, "page": 3})) == first
    raise_rectifications(plan_office, YEAR, deadline)
    assert count_queries(lambda: client.get(URL, {"year": YEAR, "page": 2})) == first
