"""The stored values follow a rule, a threshold or a school's type through an outbox: the change marks its years
stale in its own transaction, and a worker recomputes them after it commits — never the request.

The county of conftest.py has figures for 2025 only; ``stored`` stores them, as an import does.
"""

import logging
from decimal import Decimal
from unittest import mock

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from indicators.computation import compute_year
from indicators.models import EvaluationRule, Indicator, IndicatorValue, SchoolYearFigures, StaleYear
from indicators.services.schools import edit_figure
from indicators.services.stale_years import enqueue_refresh, refresh_stale_years
from indicators.services.store import store_year
from indicators.tasks import refresh_stale_years_task
from taskboard.celery import app

from .conftest import PARTS, YEAR, figures_for

pytestmark = pytest.mark.django_db
BELOW_FLOOR = IndicatorValue.objects.filter(year=YEAR, below_floor=True)


@pytest.fixture
def stored(county):
    store_year(YEAR)
    return county


@pytest.fixture
def computations():
    """Counts the years computed (``compute_year`` as ``services.store`` calls it)."""
    with mock.patch("indicators.services.store.compute_year", wraps=compute_year) as counted:
        yield counted


@pytest.fixture
def enqueued():
    """The worker's task is not sent anywhere: the calls to its ``apply_async`` are recorded."""
    with mock.patch.object(refresh_stale_years_task, "apply_async") as sent:
        yield sent


def stale():
    return list(StaleYear.objects.values_list("year", flat=True))


def loosen_the_floor():
    """Only the teaching point's two zeros are below 10 % of their thresholds: 2 values below the floor, not 11."""
    rule = EvaluationRule.objects.get(year__isnull=True)
    rule.floor_ratio = Decimal("0.10")
    rule.save()


def test_a_change_marks_its_years_in_its_transaction_and_computes_nothing(
    stored, computations, enqueued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            loosen_the_floor()
            assert stale() == [YEAR]  # written in the change's own transaction
    assert computations.call_count == 0
    assert BELOW_FLOOR.count() == 11
    assert callbacks == [enqueue_refresh]
    assert enqueued.call_count == 1
    assert refresh_stale_years() == [YEAR]
    assert computations.call_count == 1
    assert BELOW_FLOOR.count() == 2
    assert stale() == []


def test_a_change_that_rolls_back_marks_nothing(stored, enqueued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():  # noqa: PT012  (the change, then its failure)
            loosen_the_floor()
            raise RuntimeError("the admin's save failed after the rule")
    assert stale() == []
    assert callbacks == []
    assert enqueued.call_count == 0


def test_one_refresh_per_year_however_many_saves(stored, computations, enqueued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            for _ in range(3):
                loosen_the_floor()
            for threshold in Indicator.objects.filter(code="multimedia_rooms_per_100", scope=""):
                threshold.threshold = Decimal("99")
                threshold.save()
            school = stored["九年一贯制"]
            school.is_boarding = True
            school.save()
    assert stale() == [YEAR]
    assert len(callbacks) == 1
    assert enqueued.call_count == 1
    assert refresh_stale_years_task() == [YEAR]
    assert computations.call_count == 1
    assert refresh_stale_years_task() == []
    assert computations.call_count == 1
    primary = IndicatorValue.objects.filter(year=YEAR, code="multimedia_rooms_per_100", part__stage="primary")
    assert not primary.filter(reached=True).exists()
    assert primary.first().threshold == Decimal("99")
    assert EvaluationRule.objects.get(year__isnull=True).floor_ratio == Decimal("0.10")


def test_which_years_a_change_marks(stored, enqueued):
    other = stored["初中一"].parts.get()
    SchoolYearFigures.objects.bulk_create([figures_for(other, YEAR - 1, PARTS[("初中一", "junior", "junior")])])
    EvaluationRule.objects.create(year=YEAR + 3)  # a year's own rule: that year only
    assert stale() == [YEAR + 3]
    StaleYear.objects.all().delete()
    loosen_the_floor()  # the default rule: every year with figures or stored values
    assert stale() == [YEAR - 1, YEAR]
    StaleYear.objects.all().delete()
    school = stored["小学一"]  # figures in 2025 only
    school.school_type = "teaching_point"
    school.save()
    assert stale() == [YEAR]
    StaleYear.objects.all().delete()
    Indicator.objects.filter(code="class_size").first().save()  # a threshold: every year
    assert stale() == [YEAR - 1, YEAR]


def test_an_edit_of_a_figure_recomputes_its_year_and_takes_its_mark(stored, personas, computations, enqueued):
    loosen_the_floor()
    figures = SchoolYearFigures.objects.get(year=YEAR, part__school__unit__name="小学一")
    edit_figure(personas["plan_office"], figures, "key_teachers", "3")  # in its own transaction, as before
    assert computations.call_count == 1
    assert BELOW_FLOOR.count() == 2
    assert stale() == []
    assert refresh_stale_years() == []


def test_the_request_no_longer_recomputes(client, personas, stored, computations, enqueued,
                                          django_capture_on_commit_callbacks):  # fmt: skip
    admin = personas["administrator"]
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    rule = EvaluationRule.objects.get(year__isnull=True)
    url = reverse("admin:indicators_evaluationrule_change", args=[rule.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value not in (None, False)}
    data.update(floor_ratio="0.10", year="")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
    assert computations.call_count == 0
    assert BELOW_FLOOR.count() == 11
    assert enqueued.call_count == 1
    dashboard = reverse("indicators:dashboard")
    school = reverse("indicators:school_detail", args=[stored["小学一"].pk])
    notice = f"{YEAR}年的指标正在重新计算"
    assert notice in client.get(dashboard, {"year": YEAR}).content.decode()
    assert notice in client.get(school).content.decode()
    computations.reset_mock()
    refresh_stale_years_task()  # what the worker does
    assert computations.call_count == 1
    assert BELOW_FLOOR.count() == 2
    assert notice not in client.get(dashboard, {"year": YEAR}).content.decode()
    assert notice not in client.get(school).content.decode()


def test_the_worker_refreshes_after_the_commit(stored, django_capture_on_commit_callbacks):
    """Celery runs the task in the caller, as a worker would: the task is registered under its name."""
    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            loosen_the_floor()
    finally:
        app.conf.task_always_eager = False
    assert BELOW_FLOOR.count() == 2
    assert stale() == []


def test_a_broker_that_is_down_is_only_logged_and_beat_catches_up(stored, caplog, django_capture_on_commit_callbacks):
    with mock.patch.object(refresh_stale_years_task, "apply_async", side_effect=OSError("connection refused")):
        with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
            loosen_the_floor()  # the change is saved all the same
    assert "stale years left for the next beat" in caplog.text
    assert stale() == [YEAR]
    beat = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert refresh_stale_years_task.name == "indicators.refresh_stale_years"
    assert refresh_stale_years_task.name in beat
    assert refresh_stale_years_task() == [YEAR]
    assert BELOW_FLOOR.count() == 2


def test_a_year_without_a_complete_catalogue_loses_its_values_not_the_change(stored, enqueued):
    loosen_the_floor()
    Indicator.objects.filter(code="class_size", stage="primary", scope="").delete()
    assert refresh_stale_years() == [YEAR]
    assert not IndicatorValue.objects.filter(year=YEAR).exists()
    assert stale() == []
    assert EvaluationRule.objects.get(year__isnull=True).floor_ratio == Decimal("0.10")
