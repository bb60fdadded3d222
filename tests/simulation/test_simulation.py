"""The plan as a time-lapse: two simulated years through the real services, then every invariant of the soak test.

The simulation runs once for the module (``built_once``); each test reads it, and the tests that plant a fault
(to show each invariant can fail) do so inside their own savepoint.
"""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import override_settings

from assessments.models import AssessmentRun, UnitScore
from indicators.models import IndicatorValue, SchoolProfile, SchoolYearFigures
from notices.models import Circular, Delivery, Notice, Urging
from simulation import invariants
from simulation.engine import simulate
from workflows.models import DutyItem, ExtensionRequest, HandBack, Inspection

from ..conftest import built_once

pytestmark = pytest.mark.django_db
START, END = date(2022, 1, 1), date(2023, 12, 31)


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    folder = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=str(folder)):
        yield folder


@pytest.fixture(scope="module")
def soak(django_db_setup, django_db_blocker, media):
    yield from built_once(django_db_blocker, lambda: simulate(start=START, end=END, seed=7, schools=20))


def test_two_years_leave_a_history_of_every_kind(soak):
    assert soak.counts["items opened"] == DutyItem.objects.filter(kind=DutyItem.Kind.DUTY).count() > 100
    for step in ("signed", "hand-backs", "extension requests", "reports", "accepted", "returned", "urgings"):
        assert soak.counts[step] > 0, step
    assert HandBack.objects.exists()
    assert ExtensionRequest.objects.exists()
    assert Inspection.objects.filter(verdict=Inspection.Verdict.RETURNED).exists()
    assert Urging.objects.exists()
    assert Circular.objects.filter(status=Circular.Status.PUBLISHED).exists()
    stages = set(DutyItem.objects.values_list("stage", flat=True))
    assert {DutyItem.Stage.CLOSED, DutyItem.Stage.REPORTING} <= stages
    assert DutyItem.objects.filter(kind=DutyItem.Kind.RECTIFICATION).exists()


def test_schools_and_their_figures_move_year_by_year(soak):
    assert SchoolProfile.objects.count() == 20
    assert set(SchoolYearFigures.objects.values_list("year", flat=True)) == {2022, 2023}
    reached = {year: IndicatorValue.objects.filter(year=year, reached=True).count() for year in (2022, 2023)}
    assert reached[2023] > reached[2022]  # the schools move towards the thresholds


def test_each_year_is_assessed_and_the_last_is_a_draft(soak):
    published = AssessmentRun.objects.get(year=2022)
    assert published.status == AssessmentRun.Status.PUBLISHED
    scores = set(UnitScore.objects.filter(run=published).values_list("score", flat=True))
    assert len(scores) > 3  # a ranking with spread, not every unit on the same score
    assert AssessmentRun.objects.get(year=2023).status == AssessmentRun.Status.DRAFT


def test_every_invariant_holds_after_two_years(soak):
    assert soak.problems == []  # each published run recomputed to its stored lines when it was published
    assert invariants.check_all(END) == {name: [] for name in invariants.check_all(END)}


def test_queries_per_day_do_not_grow_with_the_years(soak):
    first, second = soak.years[2022], soak.years[2023]
    assert second.routine_queries_per_day() <= 1.3 * first.routine_queries_per_day()
    assert second.queries_per_action() <= 1.2 * first.queries_per_action()


def test_the_notices_invariant_catches_an_item_that_was_never_told(soak):
    item = DutyItem.objects.filter(stage=DutyItem.Stage.REPORTING, deadline__lt=END).order_by("pk").first()
    Notice.objects.filter(item=item).delete()
    assert invariants.notices_once(END)


def test_the_deliveries_invariant_catches_one_left_waiting(soak):
    Delivery.objects.filter(pk=Delivery.objects.order_by("pk").first().pk).update(status=Delivery.Status.PENDING)
    assert invariants.deliveries_settled(END)


def test_the_stages_invariant_catches_a_stage_its_flow_does_not_agree_with(soak):
    item = DutyItem.objects.filter(stage=DutyItem.Stage.REPORTING).order_by("pk").first()
    DutyItem.objects.filter(pk=item.pk).update(stage=DutyItem.Stage.INSPECTING)
    assert any(f"任务 {item.pk} " in problem for problem in invariants.stages_agree())


def test_the_files_invariant_catches_an_orphan_and_a_missing_file(soak, media):
    (Path(media) / "evidence" / "0").mkdir(parents=True)
    (Path(media) / "evidence" / "0" / "left-behind.pdf").write_bytes(b"%PDF-1.4")
    evidence = invariants.Evidence.objects.order_by("pk").first()
    Path(evidence.file.path).rename(Path(evidence.file.path).with_suffix(".moved"))
    try:
        problems = invariants.no_orphan_files()
    finally:
        Path(evidence.file.path).with_suffix(".moved").rename(evidence.file.path)
        (Path(media) / "evidence" / "0" / "left-behind.pdf").unlink()
    assert any("left-behind.pdf" in problem for problem in problems)
    assert any(evidence.file.name in problem and "不存在" in problem for problem in problems)


def test_the_assessment_invariant_catches_a_score_that_is_not_what_computing_gives(soak):
    run = AssessmentRun.objects.get(year=2022)
    score = UnitScore.objects.filter(run=run).order_by("pk").first()
    UnitScore.objects.filter(pk=score.pk).update(score=score.score + Decimal("0.5"))
    assert "2022年的考核重新计算后得分不同" in invariants.assessment_recomputes(run)


def test_the_indicators_invariant_catches_a_stored_value_that_is_not_what_computing_gives(soak):
    value = IndicatorValue.objects.filter(year=2023).order_by("pk").first()
    IndicatorValue.objects.filter(pk=value.pk).update(value=value.value + 1)
    assert invariants.indicators_recompute() == ["2023年的指标值重新计算后不同"]
