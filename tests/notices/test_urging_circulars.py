"""催办 and 通报 through the services: who may, what is told, what lands on the items."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from departments.models import Unit
from notices.models import Circular, Delivery, Notice
from notices.reads import circular_candidates
from notices.services import (
    draft_circular,
    publish_circular,
    sweep_deadlines,
    urge_items,
    urge_unit,
)
from workflows import services as workflow_services
from workflows.models import DutyItem, ItemEvent, Period

pytestmark = pytest.mark.django_db


def test_urging_an_item_tells_its_unit_and_goes_on_its_timeline(make_due_item, office, leader, personas):
    item = make_due_item(date(2030, 1, 1))
    urging = urge_items(office, [item], message="请本周内报送整治进展")
    notice = Notice.objects.get(urging=urging)
    assert notice.item == item
    assert notice.title.startswith("催办：")
    recipients = set(Delivery.objects.filter(notice=notice).values_list("recipient__username", flat=True))
    assert recipients == {"own", "leader"}
    assert item.events.filter(kind=ItemEvent.Kind.URGED, text="请本周内报送整治进展").exists()


def test_urging_a_unit_with_every_open_item_presses_each_of_them(make_due_item, office, units):
    open_items = [make_due_item(date(2030, 1, 1), title=f"任务{n}") for n in range(3)]
    closed = make_due_item(date(2030, 1, 1), title="已撤回")
    workflow_services.withdraw_item(office, closed, reason="合并")
    urging = urge_unit(office, units["own"], message="请加快进度", scope="open")
    assert urging.item_count == 3
    assert set(Notice.objects.filter(urging=urging).values_list("item", flat=True)) == {i.pk for i in open_items}


def test_only_the_office_urges_and_a_message_is_required(make_due_item, office, personas):
    item = make_due_item(date(2030, 1, 1))
    for persona in ("own_liaison", "inspector"):
        with pytest.raises(PermissionDenied):
            urge_items(personas[persona], [item], message="催")
    with pytest.raises(ValidationError, match="催办内容"):
        urge_items(office, [item], message="  ")
    assert not Notice.objects.exists()


@pytest.fixture
def overdue_period(plan, office, units, personas):
    """2026: the own unit is 7+ days late on its items; the cooperating unit finished on time."""
    with time_machine.travel(date(2026, 6, 1), tick=False):
        result = workflow_services.open_cycle(office, plan, year=2026)
    for item in DutyItem.objects.filter(unit=units["cooperating"]):
        workflow_services.submit_report(personas["cooperating_liaison"], item, text="完成")
        workflow_services.inspect_item(personas["inspector"], item, accepted=True)
    with time_machine.travel(date(2027, 1, 8), tick=False):
        sweep_deadlines()
    return result.period


def test_candidates_are_the_items_that_reached_the_escalation_rung(overdue_period, units):
    with time_machine.travel(date(2027, 1, 8), tick=False):
        candidates = circular_candidates(overdue_period)
    assert units["own"] in candidates
    assert units["cooperating"] not in candidates
    assert all(item.unit == units["own"] for item in candidates[units["own"]].items)
    assert candidates[units["own"]].count == len(candidates[units["own"]].items)


def test_publishing_a_circular(overdue_period, office, units):
    with time_machine.travel(date(2027, 1, 8), tick=False):
        candidates = circular_candidates(overdue_period)
        circular = draft_circular(
            office,
            title="2026年度优质均衡创建工作推进情况通报",
            period=overdue_period,
            summary="全县各单位总体推进有序。",
            praised_units=[units["cooperating"]],
            criticised=[units["own"]],  # named with every candidate of the unit
            rectification_deadline=date(2027, 2, 8),
        )
        assert circular.status == Circular.Status.DRAFT
        assert not Notice.objects.filter(circular=circular).exists()
        publish_circular(office, circular)
    circular.refresh_from_db()
    assert circular.status == Circular.Status.PUBLISHED
    assert circular.published_at
    criticism = circular.criticisms.get()
    named = set(criticism.items.values_list("pk", flat=True))
    assert named == {item.pk for item in candidates[units["own"]].items}
    rectification = criticism.rectification_item
    assert rectification.kind == DutyItem.Kind.RECTIFICATION
    assert rectification.unit == units["own"]
    assert rectification.deadline == date(2027, 2, 8)
    assert rectification.stage == DutyItem.Stage.SIGNING
    for item in criticism.items.all():
        assert item.events.filter(kind=ItemEvent.Kind.CIRCULATED).exists()
    notified = set(Notice.objects.filter(circular=circular).values_list("unit", flat=True))
    every_unit = Unit.objects.filter(active=True).exclude(kind__in=["collective", "school"])
    assert notified == set(every_unit.values_list("pk", flat=True))
    own_notice = Notice.objects.get(circular=circular, unit=units["own"])
    assert "本单位被点名" in own_notice.body
    assert "本单位受到表扬" in Notice.objects.get(circular=circular, unit=units["cooperating"]).body
    with pytest.raises(ValidationError, match="已经发布"):
        publish_circular(office, circular)


def test_a_circular_needs_a_future_deadline_and_no_unit_both_praised_and_named(overdue_period, office, units):
    with pytest.raises(ValidationError, match="整改期限"):
        draft_circular(
            office,
            title="通报",
            period=overdue_period,
            praised_units=[units["cooperating"]],
            criticised={},
            rectification_deadline=timezone.localdate() - timedelta(days=1),
        )
    with pytest.raises(ValidationError, match="既表扬又点名"):
        draft_circular(
            office,
            title="通报",
            period=overdue_period,
            praised_units=[units["own"]],
            criticised={units["own"]: []},
            rectification_deadline=timezone.localdate() + timedelta(days=30),
        )
    assert not Circular.objects.exists()


def test_only_the_office_issues_circulars(overdue_period, personas, units):
    with pytest.raises(PermissionDenied):
        draft_circular(
            personas["inspector"],
            title="通报",
            period=Period.objects.get(pk=overdue_period.pk),
            praised_units=[units["cooperating"]],
            criticised={},
            rectification_deadline=timezone.localdate() + timedelta(days=30),
        )


def test_a_unit_with_overdue_items_in_the_period_is_not_praised(overdue_period, office, units):
    with time_machine.travel(date(2027, 1, 8), tick=False), pytest.raises(ValidationError) as refused:
        draft_circular(
            office,
            title="通报",
            period=overdue_period,
            rectification_deadline=date(2027, 2, 1),
            criticised={},
            praised_units=[units["own"], units["cooperating"]],
        )
    assert "本周期有逾期任务的单位不能表扬：县生态环境局（逾期" in refused.value.messages[0]
    assert "县城管局" not in refused.value.messages[0]
    assert not Circular.objects.exists()


def test_the_draft_page_suggests_whom_to_praise_and_to_criticise(client, overdue_period, office, units):
    with time_machine.travel(date(2027, 1, 8), tick=False):
        client.force_login(office)
        response = client.get(reverse("notices:circular_create"), {"period": overdue_period.pk})
    page = response.content.decode()
    assert response.status_code == 200, page[-3000:]
    suggestions = page[page.index('id="suggestions"') :]
    suggestions = suggestions[: suggestions.index("</div>")]
    praise, criticise = suggestions.split("建议点名")
    assert "县城管局" in praise
    assert "县生态环境局" not in praise
    assert "县生态环境局" in criticise or units["own"].short_name in criticise
