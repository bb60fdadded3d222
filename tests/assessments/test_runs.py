"""Runs: drafts recompute idempotently; a published run is frozen and only ever superseded, with both kept."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments.models import AssessmentRun, ScoreLine, ScoringScheme, UnitScore
from assessments.services import RunFrozen, publish, recompute, start_run
from departments.models import Unit
from workflows.models import DutyItem

from .conftest import AS_OF, YEAR, local


def snapshot(run):
    """Everything a run shows, without primary keys."""
    scores = list(
        UnitScore.objects.filter(run=run)
        .order_by("unit_id")
        .values_list(*[field.name for field in UnitScore._meta.fields if field.name not in ("id", "run")])
    )
    lines = list(
        ScoreLine.objects.filter(score__run=run)
        .order_by("score__unit_id", "kind", "item_title", "circular_title")
        .values_list(
            "score__unit_id",
            "kind",
            "item_id",
            "item_title",
            "role",
            "circular_title",
            "quantity",
            "points",
            "explanation",
        )
    )
    run.refresh_from_db()
    return scores, lines, run.parameters, run.monthly_overdue, run.as_of


@pytest.fixture
def manager(personas):
    return personas["assessment_reader"]


def test_recomputing_a_draft_gives_the_same_rows(assessment_year, manager):
    run = start_run(manager, YEAR, AS_OF)
    before = snapshot(run)
    again = start_run(manager, YEAR, AS_OF)
    assert again.pk == run.pk
    assert snapshot(again) == before
    recompute(manager, run)
    assert snapshot(run) == before
    assert AssessmentRun.objects.filter(year=YEAR).count() == 1
    # lines have no database constraint to their scores: the service deletes them together, leaving no orphans
    assert not ScoreLine.objects.exclude(score_id__in=UnitScore.objects.values("pk")).exists()
    assert ScoreLine.objects.count() == 34


def test_a_draft_follows_the_items_and_the_scheme(assessment_year, manager):
    run = start_run(manager, YEAR, AS_OF)
    ScoringScheme.objects.filter(year=YEAR).update(per_criticism=Decimal("10"))
    recompute(manager, run)
    assert UnitScore.objects.get(run=run, unit_name="县财政局").score == Decimal("61.50")


def test_a_published_run_is_frozen_against_later_edits(assessment_year, manager):
    run = publish(manager, start_run(manager, YEAR, AS_OF))
    frozen = snapshot(run)

    # Later: an item renamed and closed late, a unit renamed, the scheme made harsher, an item deleted.
    item = assessment_year[5]
    item.title, item.stage, item.submitted_at = "改了名的事项", DutyItem.Stage.CLOSED, local("2026-01-20")
    item.save()
    Unit.objects.filter(name="县教委").update(name="县教育委员会")
    ScoringScheme.objects.filter(year=YEAR).update(base_score=Decimal("90"), per_rework=Decimal("5"))
    DutyItem.objects.filter(pk=assessment_year[11].pk).update(reworks=4)

    assert snapshot(run) == frozen
    with pytest.raises(RunFrozen):
        recompute(manager, run)
    with pytest.raises(RunFrozen):
        publish(manager, run)
    assert snapshot(run) == frozen


def test_a_new_run_supersedes_the_published_one_and_both_are_kept(assessment_year, manager):
    first = publish(manager, start_run(manager, YEAR, AS_OF))
    ScoringScheme.objects.filter(year=YEAR).update(per_praise=Decimal("5"))
    second = start_run(manager, YEAR, AS_OF)
    assert second.pk != first.pk
    assert second.is_draft
    first.refresh_from_db()
    assert first.status == AssessmentRun.Status.PUBLISHED  # until the new one is published
    publish(manager, second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (AssessmentRun.Status.SUPERSEDED, AssessmentRun.Status.PUBLISHED)
    assert second.supersedes == first
    assert UnitScore.objects.get(run=first, unit_name="县人力社保局").score == Decimal("99.97")
    assert UnitScore.objects.get(run=second, unit_name="县人力社保局").score == Decimal("102.97")


def test_only_the_organisation_department_runs_and_publishes(assessment_year, personas, manager):
    for name in ("government_office", "plan_office", "inspector", "own_liaison", "no_unit"):
        with pytest.raises(PermissionDenied):
            start_run(personas[name], YEAR, AS_OF)
    run = start_run(manager, YEAR, AS_OF)
    with pytest.raises(PermissionDenied):
        publish(personas["government_office"], run)
    with pytest.raises(PermissionDenied):
        recompute(personas["government_office"], run)


def test_the_as_of_date_must_lie_in_the_year(assessment_year, manager):
    with pytest.raises(ValidationError, match="截止日期必须在2025年内"):
        start_run(manager, YEAR, datetime.date(2024, 12, 31))
    assert not AssessmentRun.objects.exists()


def test_a_future_as_of_date_is_refused(assessment_year, manager):
    with pytest.raises(ValidationError, match="不能晚于今天"):
        start_run(manager, 2099, datetime.date(2099, 6, 30))


def test_the_first_run_of_a_year_creates_the_default_scheme(db, manager):
    run = start_run(manager, 2024, datetime.date(2024, 12, 31))
    scheme = ScoringScheme.objects.get(year=2024)
    assert (scheme.base_score, scheme.on_time_weight, scheme.cooperating_weight) == (
        Decimal("100"),
        Decimal("30"),
        Decimal("0.3"),
    )
    assert run.parameters["per_overdue_day"] == "0.2"
    assert not UnitScore.objects.filter(run=run).exists()
