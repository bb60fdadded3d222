"""Every period or year selector opens on the period in progress or the year just ended (README, "Default periods").

The clock is frozen at 4 December 2026 with the 2025, 2026 and 2027 periods opened: the period in progress is
2026 — not 2027, opened last — and the year just ended 2025. The indicator pages' years: tests/indicators/
test_default_years.py.
"""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse

from assessments.forms import StartRunForm, default_run_year
from tests.board.board_fixtures import make_item
from tests.conftest import year_period
from workflows.models import Period, Phase
from workflows.periods import current_period, default_year, last_complete_year

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 4)


@pytest.fixture
def frozen():
    with time_machine.travel(datetime(2026, 12, 4, 8, 0, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def periods(plan):
    return {year: year_period(plan, year) for year in (2025, 2026, 2027)}


def test_the_period_in_progress_not_the_one_opened_last(periods, plan):
    assert current_period(TODAY) == periods[2026]
    assert current_period(TODAY, plan=plan) == periods[2026]
    assert current_period(date(2028, 3, 1)) == periods[2027]  # none in progress: the one ended last
    assert current_period(date(2024, 3, 1)) == periods[2025]  # none begun: the first to come
    Period.objects.all().delete()
    assert current_period(TODAY) is None


def test_a_year_rather_than_the_phase_around_it(periods, plan):
    phase = Phase.objects.filter(plan=plan).order_by("starts_on").first() or Phase.objects.create(
        plan=plan, name="攻坚阶段", starts_on=date(2025, 1, 1), ends_on=date(2027, 12, 31)
    )
    Period.objects.create(
        plan=plan, kind=Period.Kind.PHASE, phase=phase, label=phase.name, starts_on=date(2021, 1, 1),
        ends_on=date(2028, 12, 31),
    )  # fmt: skip
    assert current_period(TODAY) == periods[2026]


def test_the_year_just_ended():
    assert last_complete_year(TODAY) == 2025
    assert default_year([2024, 2025, 2026], TODAY) == 2025  # not 2026, the year in progress
    assert default_year([2023, 2024], TODAY) == 2024
    assert default_year([2026], TODAY) == 2026
    assert default_year([], TODAY) is None


def test_the_supervision_matrix_opens_on_the_period_in_progress(client, personas, periods, frozen):
    client.force_login(personas["government_office"])
    response = client.get(reverse("board:matrix"))
    assert response.context["period"] == periods[2026]
    assert f'<option value="{periods[2026].pk}" selected>' in response.content.decode()
    assert client.get(reverse("board:matrix"), {"period": periods[2027].pk}).context["period"] == periods[2027]


def test_the_board_opens_on_the_period_in_progress_and_all_is_a_choice(client, personas, periods, frozen):
    client.force_login(personas["government_office"])
    form = client.get(reverse("board:mine")).context["filterset"].form
    assert form.cleaned_data["period"] == periods[2026]
    everything = client.get(reverse("board:mine"), {"period": ""}).context["filterset"].form
    assert everything.cleaned_data["period"] is None


def test_the_board_says_how_many_open_items_lie_outside_the_period_in_progress(
    client, units, personas, periods, frozen
):
    unit = units["own"]
    make_item(unit, period=periods[2026])
    make_item(unit, period=periods[2025], days=-30)  # an overdue item of last year
    make_item(unit)  # an ad-hoc task: no period
    make_item(unit, period=periods[2025], stage="closed")  # closed: nothing left to do
    client.force_login(personas["own_liaison"])
    response = client.get(reverse("board:mine"))
    assert response.context["open_elsewhere"] == 2
    assert "另有 <strong>2</strong> 项未办结的任务不在所选周期" in response.content.decode()
    assert "open-elsewhere" not in client.get(reverse("board:mine"), {"period": ""}).content.decode()


def test_the_assessment_form_offers_the_year_just_ended_until_it_is_published(frozen):
    assert default_run_year(TODAY) == 2025
    assert StartRunForm()["year"].value() == 2025


def test_a_circular_opens_on_the_period_in_progress(client, personas, periods, frozen):
    client.force_login(personas["government_office"])
    response = client.get(reverse("notices:circular_create"))
    assert response.context["period_form"]["period"].value() == periods[2026].pk
