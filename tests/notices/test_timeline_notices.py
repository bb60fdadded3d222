"""The timeline's notices (notify_events): every step that changes someone's work is told once, to the right people,
hand-overs as one digest per unit and period, submissions as one digest for the inspectors."""

import logging
from datetime import date, timedelta
from unittest import mock

import pytest
import time_machine
from django.urls import reverse

from notices import tasks
from notices.models import Delivery, Notice, NoticeSource
from notices.services import events as event_services
from notices.services import notify_events, sweep_deadlines
from workflows import services as workflow_services
from workflows.models import DutyItem, ItemEvent

from .conftest import today

pytestmark = pytest.mark.django_db
Kind = Notice.Kind


def told(notice, channel="in_app"):
    return set(Delivery.objects.filter(notice=notice, channel=channel).values_list("recipient__username", flat=True))


def only(kind):
    notices = list(Notice.objects.filter(kind=kind))
    assert len(notices) == 1, notices
    return notices[0]


@pytest.fixture
def item(make_due_item):
    item = make_due_item(today() + timedelta(days=20))
    notify_events()  # its hand-over's notice, out of the way
    return item


def test_opening_a_cycle_tells_each_unit_once_a_digest_of_its_new_items(plan, office, personas, units):
    with time_machine.travel(date(2026, 6, 1), tick=False):
        result = workflow_services.open_cycle(office, plan, year=2026)
        assert notify_events() > 0
        assert notify_events() == 0  # a second pass writes nothing
    created_units = {item.unit_id for item in result.created}
    digests = Notice.objects.filter(kind=Kind.ASSIGNED)
    assert sorted(digests.values_list("unit_id", flat=True)) == sorted(created_units)  # one per unit
    own_items = [item for item in result.created if item.unit_id == units["own"].pk]
    digest = digests.get(unit=units["own"])
    assert "2026年度" in digest.title
    assert all(item.title[:20] in digest.body for item in own_items)
    assert digest.sources.count() == DutyItem.objects.get(pk=own_items[0].pk).events.filter(
        kind="assigned"
    ).count() * len(own_items)
    assert told(digest) == {"own"}
    if len(own_items) > 1:
        assert digest.item_id is None
        assert digest.get_absolute_url() == reverse("board:mine")
        assert f"新交办任务 {len(own_items)} 项" in digest.title


def test_an_ad_hoc_item_is_told_to_its_unit_naming_it_ad_hoc(office, personas, units):
    item = workflow_services.create_ad_hoc_item(
        office,
        unit=units["own"],
        title="汛期校舍安全排查",
        deadline=today() + timedelta(days=5),
        instructions="五日内报送",
    )
    notify_events()
    notice = only(Kind.ASSIGNED)
    assert notice.item == item
    assert notice.title == "新交办任务：汛期校舍安全排查（临时任务）"
    assert "五日内报送" in notice.body
    assert notice.get_absolute_url() == item.get_absolute_url()
    assert told(notice) == {"own"}


def test_submissions_are_one_digest_for_the_inspectors_and_a_return_tells_the_liaisons(make_due_item, personas, leader):
    first, second = make_due_item(today() + timedelta(days=9)), make_due_item(today() + timedelta(days=9), title="二")
    notify_events()
    for item in (first, second):
        workflow_services.submit_report(personas["own_liaison"], item, text="已完成")
    notify_events()
    digest = only(Kind.SUBMITTED)
    assert digest.title.startswith("待检查 2 项")
    assert digest.get_absolute_url() == reverse("board:inspection")
    assert told(digest) == {"role-inspector"}

    new_deadline = today() + timedelta(days=30)
    workflow_services.inspect_item(
        personas["inspector"], first, accepted=False, reasons="佐证不全", new_deadline=new_deadline
    )
    workflow_services.inspect_item(personas["inspector"], second, accepted=True)
    notify_events()
    returned = only(Kind.RETURNED)
    assert returned.item == first
    assert "临时任务" in returned.title
    assert "佐证不全" in returned.body
    assert f"{new_deadline:%Y年%m月%d日}" in returned.body
    assert told(returned) == {"own"}
    accepted = only(Kind.ACCEPTED)
    assert set(Delivery.objects.filter(notice=accepted).values_list("recipient__username", flat=True)) == {
        "own",
        "leader",
    }


def test_deadline_changes_and_reassignments_tell_the_liaisons(item, office, personas, make_user, units):
    colleague = make_user("colleague", unit=units["own"])
    workflow_services.extend_deadlines(office, [item], new_deadline=today() + timedelta(days=40), reason="汛期")
    workflow_services.reassign_items(office, [item], assignee=colleague)
    notify_events()
    deadline = only(Kind.DEADLINE)
    assert "汛期" in deadline.body
    assert deadline.title.startswith("截止日期调整：")
    assert told(deadline) == {"own", "colleague"}
    reassigned = only(Kind.REASSIGNED)
    assert told(reassigned) == {"own", "colleague"}  # the old and the new assignee


@pytest.mark.parametrize(
    ("event_kind", "notice_kind", "audience", "heading"),
    [
        (ItemEvent.Kind.EXTENSION_REQUESTED, Kind.EXTENSION, {"role-government_office"}, "延期申请："),
        (ItemEvent.Kind.EXTENSION_APPROVED, Kind.EXTENSION, {"own"}, "延期申请已批准："),
        (ItemEvent.Kind.EXTENSION_REJECTED, Kind.EXTENSION, {"own"}, "延期申请未获批准："),
        (ItemEvent.Kind.HANDED_BACK, Kind.SIGNING, {"role-government_office"}, "退回交办："),
        (ItemEvent.Kind.HANDBACK_RESOLVED, Kind.SIGNING, {"own"}, "退回交办已处理："),
        (ItemEvent.Kind.INSTRUCTION, Kind.INSTRUCTION, {"own"}, "领导批示："),
    ],
)
def test_the_other_steps_are_told_to_whom_they_concern(item, personas, event_kind, notice_kind, audience, heading):
    ItemEvent.objects.create(
        item=item,
        kind=event_kind,
        actor=personas["own_liaison"],
        text="理由或批示",
        new_deadline=today() + timedelta(9),
    )
    notify_events()
    notice = only(notice_kind)
    assert notice.title.startswith(heading)
    assert "临时任务" in notice.title
    assert "理由或批示" in notice.body
    assert told(notice) == audience


def test_a_hand_back_resolved_to_another_unit_tells_the_new_unit(item, personas, units):
    DutyItem.objects.filter(pk=item.pk).update(unit=units["stranger"])
    ItemEvent.objects.create(item=item, kind=ItemEvent.Kind.HANDBACK_RESOLVED, text="改由县税务局办理")
    notify_events()
    assert told(only(Kind.SIGNING)) == {"stranger"}


@pytest.mark.parametrize(
    "kind", [ItemEvent.Kind.SIGNED, ItemEvent.Kind.PROGRESS, ItemEvent.Kind.URGED, ItemEvent.Kind.OPENED]
)
def test_other_lines_make_no_notice(item, kind):
    before = Notice.objects.count()
    ItemEvent.objects.create(item=item, kind=kind, text="x")
    assert notify_events() == 0
    assert Notice.objects.count() == before


def test_old_lines_are_not_told_late(item):
    event = ItemEvent.objects.create(item=item, kind=ItemEvent.Kind.INSTRUCTION, text="旧批示")
    ItemEvent.objects.filter(pk=event.pk).update(created_at=event.created_at - timedelta(days=4))
    assert notify_events() == 0


def test_a_pass_that_lost_the_race_leaves_no_notice_behind(item, personas):
    """Two passes read the same lines: the unique source keeps one notice; the loser's is removed."""
    event = ItemEvent.objects.create(item=item, kind=ItemEvent.Kind.INSTRUCTION, text="批示")
    read_before = list(event_services._untold())
    notify_events()  # the other pass commits first
    with mock.patch.object(event_services, "_untold", return_value=read_before):
        assert notify_events() == 0
    assert Notice.objects.filter(kind=Kind.INSTRUCTION).count() == 1
    assert NoticeSource.objects.filter(event=event).count() == 1
    assert Delivery.objects.filter(notice__kind=Kind.INSTRUCTION, channel="in_app").count() == 1


def test_a_retried_task_and_a_double_sweep_write_nothing_more(item, personas):
    workflow_services.submit_report(personas["own_liaison"], item, text="已完成")
    tasks.notify_task()
    tasks.notify_task()  # redelivered (acks_late)
    sweep_deadlines()
    sweep_deadlines()
    assert Notice.objects.filter(kind=Kind.SUBMITTED).count() == 1
    assert Delivery.objects.filter(notice__kind=Kind.SUBMITTED).count() == 1


def test_the_sweep_tells_the_timeline_too(item, personas):
    ItemEvent.objects.create(item=item, kind=ItemEvent.Kind.INSTRUCTION, text="批示")
    sweep_deadlines()
    assert Notice.objects.filter(kind=Kind.INSTRUCTION).count() == 1


def test_a_step_enqueues_one_notify_task_after_commit(item, personas, django_capture_on_commit_callbacks):
    with mock.patch.object(tasks.notify_task, "apply_async") as enqueue:
        with django_capture_on_commit_callbacks(execute=True):
            workflow_services.submit_report(personas["own_liaison"], item, text="已完成")
        assert enqueue.call_count == 1


def test_a_broker_that_is_down_does_not_break_the_step(item, personas, django_capture_on_commit_callbacks, caplog):
    with mock.patch.object(tasks.notify_task, "apply_async", side_effect=ConnectionError("down")):
        with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
            workflow_services.submit_report(personas["own_liaison"], item, text="已完成")
    assert "wait for the next beat" in caplog.text
    assert DutyItem.objects.get(pk=item.pk).stage == DutyItem.Stage.INSPECTING
    notify_events()  # beat's safety net
    assert Notice.objects.filter(kind=Kind.SUBMITTED).count() == 1


def test_notify_events_costs_the_same_queries_for_few_and_many_lines(item, make_due_item, count_queries):
    def lines(count):
        items = [make_due_item(today() + timedelta(days=9), title=f"任务{n}") for n in range(count)]
        ItemEvent.objects.bulk_create(ItemEvent(item=i, kind=ItemEvent.Kind.INSTRUCTION, text="批示") for i in items)
        ItemEvent.objects.filter(kind=ItemEvent.Kind.ASSIGNED).delete()
        return count_queries(notify_events)

    assert lines(2) == lines(30)
