"""The unit list is paged (5,000 school units are not one page): by kind and name, filtered by kind and name, the
filters kept in the page links, the total over every unit listed, and a fixed number of queries."""

import pytest
from django.urls import reverse

from departments.models import Unit
from pages.views import units as unit_views
from workflows.models import DutyTemplate

pytestmark = pytest.mark.django_db
URL = reverse("unit_list")


@pytest.fixture
def schools(db):
    """Twelve schools, 学校00 … 学校11, and three per page."""
    return [Unit.objects.create(name=f"学校{n:02d}", kind=Unit.Kind.SCHOOL) for n in range(12)]


@pytest.fixture
def three_per_page(monkeypatch):
    monkeypatch.setattr(unit_views, "PAGE_SIZE", 3)


def listed(response):
    return [unit.name for unit in response.context["units"]]


def test_the_second_page_shows_the_next_units_in_kind_and_name_order(client, personas, schools, three_per_page):
    client.force_login(personas["government_office"])
    every = list(Unit.objects.filter(active=True).order_by("kind", "name", "pk").values_list("name", flat=True))
    first, second = client.get(URL), client.get(URL, {"page": 2})
    assert listed(first) == every[:3]
    assert listed(second) == every[3:6]
    assert second.context["page_obj"].paginator.count == len(every)  # the total of every unit, not of the page
    assert f"共 {len(every)} 项" in second.content.decode()


def test_the_filters_narrow_the_list_and_stay_in_the_page_links(client, personas, schools, three_per_page):
    client.force_login(personas["government_office"])
    response = client.get(URL, {"kind": "school", "q": "学校", "page": 2})
    assert listed(response) == ["学校03", "学校04", "学校05"]
    assert response.context["page_obj"].paginator.count == 12
    html = response.content.decode()
    assert "第 2 / 4 页，共 12 项" in html
    links = [link.split('"')[0] for link in html.split('href="') if link.startswith("?")]
    assert {
        "?kind=school&amp;q=%E5%AD%A6%E6%A0%A1&amp;page=3",
        "?kind=school&amp;q=%E5%AD%A6%E6%A0%A1&amp;page=1",
    } <= set(links)
    assert listed(client.get(URL, {"q": "学校1"})) == ["学校10", "学校11"]
    assert "没有符合筛选条件的单位。" in client.get(URL, {"q": "没有这个单位"}).content.decode()


def test_a_bad_filter_or_page_shows_the_whole_list_or_the_nearest_page(client, personas, schools, three_per_page):
    client.force_login(personas["government_office"])
    whole = client.get(URL, {"kind": "nonsense"})
    assert whole.status_code == 200
    assert whole.context["page_obj"].paginator.count == Unit.objects.filter(active=True).count()
    last = client.get(URL, {"kind": "school", "page": 99})
    assert listed(last) == ["学校09", "学校10", "学校11"]


def test_a_liaison_pages_through_their_own_units_only(client, personas, units, schools):
    client.force_login(personas["own_liaison"])
    response = client.get(URL, {"kind": "school"})
    assert listed(response) == []
    assert listed(client.get(URL)) == [units["own"].name]


def test_the_counts_are_those_of_each_units_row_on_any_page(client, personas, plan, three_per_page):
    collective = Unit.objects.get(kind=Unit.Kind.COLLECTIVE)
    education = Unit.objects.get(name="县教委")
    client.force_login(personas["government_office"])
    rows = {}
    pages = client.get(URL).context["page_obj"].paginator.num_pages
    for page in range(1, pages + 1):
        rows.update({unit.pk: unit for unit in client.get(URL, {"page": page}).context["units"]})
    led = DutyTemplate.objects.filter(lead_unit=education, active=True).count()
    assert led
    assert rows[education.pk].lead_duty_count == led
    assert rows[collective.pk].member_count == collective.member_units.count()
    assert len(rows) == Unit.objects.filter(active=True).count()  # every unit once over the pages


def test_the_query_count_does_not_grow_with_units_or_pages(client, personas, count_queries):
    client.force_login(personas["government_office"])
    for n in range(3):
        Unit.objects.create(name=f"学校{n:03d}", kind=Unit.Kind.SCHOOL)
    client.get(URL)
    few = count_queries(lambda: client.get(URL))
    Unit.objects.bulk_create([Unit(name=f"学校{n:03d}", kind=Unit.Kind.SCHOOL) for n in range(3, 240)])
    assert count_queries(lambda: client.get(URL)) == few
    assert count_queries(lambda: client.get(URL, {"kind": "school", "q": "学校", "page": 4})) == few
