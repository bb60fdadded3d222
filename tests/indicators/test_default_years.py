"""The indicator pages open on the year just ended (``workflows.periods.default_year``), not the latest stored:
with the clock at 4 December 2026, 2025 is complete and 2026 has one school's figures so far."""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from indicators.models import SchoolPart
from indicators.services.store import store_year

from .conftest import PARTS, YEAR, figures_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_years(county):
    part = SchoolPart.objects.get(school__unit__name="小学二", stage="primary")
    values = PARTS[("小学二", "primary", "primary")]
    figures_for(part, YEAR + 1, values, full_time_teachers=values[3] + 2).save()
    store_year(YEAR)
    store_year(YEAR + 1)
    with time_machine.travel(datetime(2026, 12, 4, 8, 0, tzinfo=UTC), tick=False):
        yield county


def test_the_dashboard_opens_on_the_year_just_ended(client, personas, two_years):
    client.force_login(personas["government_office"])
    assert client.get(reverse("indicators:dashboard")).context["year"] == YEAR
    assert client.get(reverse("indicators:dashboard"), {"year": YEAR + 1}).context["year"] == YEAR + 1


def test_the_county_page_the_school_page_and_the_shortfalls_open_on_the_year_just_ended(client, personas, two_years):
    client.force_login(personas["plan_office"])
    assert client.get(reverse("indicators:county_figures")).context["year"] == YEAR
    school = two_years["小学二"]
    assert client.get(reverse("indicators:school_detail", args=[school.pk])).context["year"] == YEAR
    assert client.get(reverse("indicators:shortfalls")).context["year"] == YEAR


def test_the_report_form_selects_the_year_just_ended(client, personas, two_years):
    client.force_login(personas["plan_office"])
    page = client.get(reverse("indicators:report_list")).content.decode()
    assert re.search(rf'<option value="{YEAR}" selected>', page)
    assert not re.search(rf'<option value="{YEAR + 1}" selected>', page)


def test_the_upload_page_offers_the_template_of_the_year_just_ended(client, personas, two_years):
    client.force_login(personas["plan_office"])
    page = client.get(reverse("indicators:import_figures")).content.decode()
    assert f'id="template-year" type="number" name="year" value="{YEAR}"' in page
