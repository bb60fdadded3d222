"""The quick start's demo data: accounts per role and unit, the plan's years so far as a time-lapse; logins only with
DEBUG."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from demo.data import DEMO_SCHOOLS
from workflows.models import DutyItem, ExtensionRequest, HandBack, Period

from ..conftest import built_once

pytestmark = pytest.mark.django_db


def load_demo():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module (tests/conftest.py's built_once); what load_demo printed."""
    yield from built_once(django_db_blocker, load_demo)


@pytest.fixture
def demo(demo_loaded, db):
    return demo_loaded


def test_demo_prints_an_account_per_role_and_per_unit(demo):
    for username in ["office", "inspector", "planoffice", "assessor", "admin", "liaison01"]:
        assert f"  {username}" in demo
    assert "demo2028" in demo


def test_demo_plays_every_year_from_the_plans_start_with_items_in_every_state(demo):
    year = timezone.localdate().year
    years = set(Period.objects.filter(kind=Period.Kind.YEAR).values_list("year", flat=True))
    assert years == set(range(2022, year + 1))
    assert {DutyItem.Stage.REPORTING, DutyItem.Stage.INSPECTING, DutyItem.Stage.CLOSED} <= set(
        DutyItem.objects.values_list("stage", flat=True)
    )
    assert DutyItem.objects.filter(reworks__gte=1).exists()
    assert ExtensionRequest.objects.exists()
    assert HandBack.objects.exists()
    lights = DutyItem.objects.with_light().light_counts()
    assert lights["red"]
    assert lights["green"]


def test_running_the_demo_twice_changes_no_item(demo):
    before = list(DutyItem.objects.order_by("pk").values_list("pk", "stage", "deadline"))
    call_command("load_demo", stdout=StringIO())
    assert list(DutyItem.objects.order_by("pk").values_list("pk", "stage", "deadline")) == before


@pytest.mark.parametrize(("debug", "status"), [(True, 302), (False, 200)])
def test_demo_accounts_log_in_only_with_debug(client, demo, debug, status):
    with override_settings(DEBUG=debug):
        response = client.post(reverse("login"), {"username": "office", "password": "demo2028"})
    assert response.status_code == status  # 302: logged in; 200: the form again, refused


def test_demo_has_notices_delivered_to_the_inboxes_urgings_and_circulars(demo):
    from notifications.models import Notification

    from notices.models import Circular, Notice, Urging

    assert Notice.objects.filter(kind="rung").exists()
    assert Notification.objects.filter(recipient__username="liaison01").exists()
    assert Urging.objects.exists()
    assert Circular.objects.filter(status=Circular.Status.PUBLISHED).exists()


def test_demo_publishes_last_years_assessment_and_drafts_this_years(demo):
    from assessments.models import AssessmentRun, ScoreLine, UnitScore

    year = timezone.localdate().year
    published = AssessmentRun.objects.get(year=year - 1)
    assert published.status == AssessmentRun.Status.PUBLISHED
    assert UnitScore.objects.filter(run=published).count() >= 20
    assert UnitScore.objects.filter(run=published).values("score").distinct().count() > 5  # a ranking with spread
    assert ScoreLine.objects.filter(score__run=published, kind="not_on_time").exists()
    assert AssessmentRun.objects.get(year=year).status == AssessmentRun.Status.DRAFT
    call_command("load_demo", stdout=StringIO())
    assert AssessmentRun.objects.filter(year=year - 1).count() == 1  # published once, not superseded on re-runs


def test_demo_schools_have_a_figure_for_every_year_so_far_and_computed_values(demo):
    from indicators.models import CoefficientValue, IndicatorValue, SchoolProfile, SchoolYearFigures

    year = timezone.localdate().year
    assert SchoolProfile.objects.count() == DEMO_SCHOOLS
    assert set(SchoolYearFigures.objects.values_list("year", flat=True)) == set(range(2022, year + 1))
    values = IndicatorValue.objects.filter(year=year - 1)
    assert values.filter(reached=True).exists()
    assert values.filter(reached=False).exists()
    assert CoefficientValue.objects.filter(year=year - 1).count() == 14  # 7 indicators × 2 stages
    count = SchoolYearFigures.objects.count()
    call_command("load_demo", stdout=StringIO())
    assert SchoolYearFigures.objects.count() == count  # idempotent


def test_demo_turns_last_years_shortfalls_into_rectification_items_once(demo):
    from indicators.models import Shortfall

    year = timezone.localdate().year
    items = DutyItem.objects.filter(kind=DutyItem.Kind.RECTIFICATION, shortfalls__isnull=False).distinct()
    assert items.exists()
    assert Shortfall.objects.filter(year=year - 1).exists() or Shortfall.objects.filter(year=year).exists()
    count = items.count()
    call_command("load_demo", stdout=StringIO())
    assert items.count() == count
