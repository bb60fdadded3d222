"""The dashboard's school table is paged (5,000 school parts are not one page): each page in township and
school order, the pass count and the trend over every school of the stage, whatever the page."""

import pytest
from django.urls import reverse

from indicators.reads import dashboard as reads
from indicators.services.store import store_year

from .conftest import YEAR

pytestmark = pytest.mark.django_db
URL = reverse("indicators:dashboard")
PRIMARY = ["九年一贯制", "小学一", "小学三", "小学二", "小学四", "教学点", "特殊教育学校"]  # code-point order


@pytest.fixture
def three_per_page(county, monkeypatch):
    store_year(YEAR)
    monkeypatch.setattr(reads, "PER_PAGE", 3)


def names(response):
    return [row.name for row in response.context["schools"]]


def test_every_school_once_over_the_pages_in_order(client, personas, three_per_page):
    client.force_login(personas["plan_office"])
    seen = []
    for page in (1, 2, 3):
        response = client.get(URL, {"year": YEAR, "stage": "primary", "page": page})
        assert response.context["passing"] == 4  # of the whole stage, not of the page
        assert response.context["school_count"] == 7
        seen += names(response)
    assert seen == sorted(PRIMARY) == PRIMARY
    html = response.content.decode()
    assert "第 3 / 3 页，共 7 所学校" in html
    assert "<strong>4/7</strong>" in html
    links = [link for link in html.split('href="') if link.startswith("?") and "page=2" in link]
    assert links
    assert all("stage=primary" in link for link in links)  # the links keep the filters


def test_a_page_out_of_range_is_the_nearest_page(client, personas, three_per_page):
    client.force_login(personas["plan_office"])
    assert names(client.get(URL, {"year": YEAR, "stage": "primary", "page": 99})) == PRIMARY[6:]
    assert names(client.get(URL, {"year": YEAR, "stage": "primary", "page": "x"})) == PRIMARY[:3]


def test_the_trend_counts_every_part_and_the_query_count_stays(client, personas, three_per_page, count_queries):
    client.force_login(personas["plan_office"])
    client.get(URL, {"year": YEAR, "stage": "primary"})
    first = count_queries(lambda: client.get(URL, {"year": YEAR, "stage": "primary", "page": 1}))
    last = count_queries(lambda: client.get(URL, {"year": YEAR, "stage": "primary", "page": 3}))
    assert first == last
    trend = client.get(URL, {"year": YEAR, "stage": "primary", "page": 2}).context["trend"]
    assert [(point["year"], point["passing"], point["total"]) for point in trend] == [(YEAR, 4, 7)]
