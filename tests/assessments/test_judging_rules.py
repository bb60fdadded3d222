"""The judging rules at their edges: items awaiting inspection, things that happened after the run's as-of date,
collectives named as cooperating units, and a scheme that cannot be scored."""

import datetime
from decimal import Decimal

import pytest

from assessments.forms import SchemeForm
from assessments.models import ScoreLine, ScoringScheme, UnitScore
from assessments.services import start_run
from departments.models import Unit
from notices.models import Circular
from workflows.models import DutyItem, ItemEvent

from .conftest import AS_OF, YEAR, local

D = Decimal


@pytest.fixture
def manager(personas):
    return personas["assessment_reader"]


def score_of(run, name):
    return UnitScore.objects.get(run=run, unit_name=name)


def test_an_item_submitted_by_its_deadline_and_awaiting_inspection_is_on_time(assessment_year, manager):
    # Item 5 (县教委, due 30 Nov, open): submitted on 28 Nov, not inspected yet. The inspector's days are not the
    # unit's: it counts as done on time (was −4.76 − 5.00).
    DutyItem.objects.filter(pk=assessment_year[5].pk).update(
        stage=DutyItem.Stage.INSPECTING, submitted_at=local("2025-11-28")
    )
    education = score_of(start_run(manager, YEAR, AS_OF), "县教委")
    assert (education.done_on_time, education.still_overdue, education.overdue_days) == (4, 1, 15)
    assert not ScoreLine.objects.filter(score=education, item_title="事项05").exists()


def test_the_run_judges_what_stood_at_the_end_of_its_as_of_date(assessment_year, manager):
    # As of 10 December: item 5 (due 30 Nov) was closed only on 20 January — still overdue on 10 Dec, 10 days.
    # Item 11 (due 15 Dec) is not due yet; item 6 (31 Dec) neither. An urging and a circular after 10 Dec count
    # for nothing.
    DutyItem.objects.filter(pk=assessment_year[5].pk).update(
        stage=DutyItem.Stage.CLOSED, submitted_at=local("2026-01-20"), closed_at=local("2026-01-21")
    )
    late_urging = ItemEvent.objects.create(item=assessment_year[10], kind=ItemEvent.Kind.URGED, text="再催")
    ItemEvent.objects.filter(pk=late_urging.pk).update(created_at=local("2025-12-20"))
    Circular.objects.filter(title="2025年第三季度督查通报").update(published_at=local("2025-12-20"))
    run = start_run(manager, YEAR, datetime.date(2025, 12, 10))
    education = score_of(run, "县教委")
    assert (education.still_overdue, education.done_late) == (1, 2)
    overdue = ScoreLine.objects.get(score=education, kind="overdue_days", item_title="事项05")
    assert overdue.quantity == 10
    assert overdue.points == D("-2.00")
    finance = score_of(run, "县财政局")
    assert (finance.items_due, finance.urgings, finance.criticisms) == (4, 3, 0)
    assert not UnitScore.objects.filter(run=run, unit_name="县城管局", praises__gt=0).exists()


def test_a_collective_named_as_cooperating_stands_for_each_of_its_townships(assessment_year, manager):
    collective = Unit.objects.filter(kind=Unit.Kind.COLLECTIVE).first()
    townships = [Unit.objects.create(name=name, kind=Unit.Kind.TOWNSHIP, is_sample=True) for name in ("甲镇", "乙镇")]
    collective.member_units.set(townships)
    assessment_year[5].cooperating_units.add(collective)  # 县教委's item 5, open and 31 days overdue
    run = start_run(manager, YEAR, AS_OF)
    assert not UnitScore.objects.filter(run=run, unit=collective).exists()
    for township in townships:
        score = score_of(run, township.name)
        # one cooperating item, weight 0.3, not on time: all 30 on-time points; 31 days capped at 5 × 0.3
        assert (score.items_due, score.score) == (1, D("100") - D("30") - D("1.50"))


def test_a_scheme_without_a_lead_weight_is_refused(db):
    data = {field: value for field, value in SchemeForm(instance=ScoringScheme(year=2026)).initial.items()}
    data.update(lead_weight="0", cooperating_weight="0", periods=[])
    form = SchemeForm(data=data, instance=ScoringScheme(year=2026))
    assert not form.is_valid()
    assert form.errors["lead_weight"] == ["牵头任务权重必须大于0：牵头单位是任务的主要责任单位。"]


def test_a_unit_named_only_in_a_circular_has_a_score_but_no_rank(assessment_year, manager, client):
    praised_only = Unit.objects.get(name="县税务局")
    Circular.objects.get(title="2025年第一季度督查通报").praised_units.add(praised_only)
    run = start_run(manager, YEAR, AS_OF)
    score = score_of(run, "县税务局")
    assert (score.items_due, score.score, score.rank) == (0, D("102.00"), None)
    client.force_login(manager)
    response = client.get(run.get_absolute_url())
    names = [s.unit_name for s in response.context["scores"]]
    assert names[0] == "县人力社保局"
    assert names[-1] == "县税务局"
    assert "不排名" in response.content.decode()


def test_publishing_refuses_a_draft_computed_again_since_the_page_was_read(assessment_year, manager, client):
    from django.urls import reverse

    run = start_run(manager, YEAR, AS_OF)
    reviewed = run.computed_at.isoformat()
    start_run(manager, YEAR, AS_OF)  # someone else computes again meanwhile
    client.force_login(manager)
    response = client.post(reverse("assessments:run_publish", args=[run.pk]), {"computed_at": reviewed}, follow=True)
    assert "草稿已被重新计算，请核对新的结果后再发布。" in response.content.decode()
    run.refresh_from_db()
    assert run.is_draft
    client.post(reverse("assessments:run_publish", args=[run.pk]), {"computed_at": run.computed_at.isoformat()})
    run.refresh_from_db()
    assert not run.is_draft
