"""The escalation ladder, with the clock moved day by day through a whole cycle: each rung fires once and only once."""

from collections import Counter
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from notices.models import Delivery, LadderMark, Notice, Rung
from notices.services import sweep_deadlines
from workflows import services as workflow_services
from workflows.models import DutyItem

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEADLINE = date(2026, 12, 31)


def at(day, hour=9):
    """A moment of that day in Shanghai (the sweep reads the local date)."""
    return datetime.combine(day, time(hour), tzinfo=SHANGHAI)


def sweep_on(day, times=1):
    with time_machine.travel(at(day), tick=False):
        for _ in range(times):
            sweep_deadlines()


def fired(item):
    return Counter(
        (notice.rung.name, notice.occurrence, notice.created_at.astimezone(SHANGHAI).date())
        for notice in Notice.objects.filter(item=item, kind=Notice.Kind.RUNG).select_related("rung")
    )


def test_a_whole_cycle_day_by_day_each_rung_once(make_due_item, leader):
    item = make_due_item(DEADLINE)
    for offset in range(-12, 17):
        sweep_on(DEADLINE + timedelta(days=offset), times=2)  # beat fires twice every day
    expected = {
        ("到期前7天提醒", 1, date(2026, 12, 24)),
        ("到期前1天提醒", 1, date(2026, 12, 30)),
        ("到期未完成", 1, date(2026, 12, 31)),
        ("逾期催报", 1, date(2027, 1, 3)),
        ("逾期催报", 2, date(2027, 1, 6)),
        ("逾期7天升级", 1, date(2027, 1, 7)),
        ("逾期催报", 3, date(2027, 1, 9)),
        ("逾期催报", 4, date(2027, 1, 12)),
        ("逾期催报", 5, date(2027, 1, 15)),
    }
    counts = fired(item)
    assert set(counts) == expected
    assert set(counts.values()) == {1}


def test_a_reported_item_stops_its_ladder(make_due_item, personas):
    item = make_due_item(DEADLINE)
    sweep_on(date(2026, 12, 24))
    with time_machine.travel(at(date(2026, 12, 26)), tick=False):
        workflow_services.submit_report(personas["own_liaison"], item, text="已完成")
    for day in range(27, 32):
        sweep_on(date(2026, 12, day))
    sweep_on(date(2027, 1, 10))
    assert [n.rung.name for n in Notice.objects.filter(item=item, kind=Notice.Kind.RUNG)] == ["到期前7天提醒"]


def test_a_returned_item_restarts_from_its_new_deadline(make_due_item, personas):
    item = make_due_item(DEADLINE)
    sweep_on(date(2026, 12, 24))
    with time_machine.travel(at(date(2026, 12, 28)), tick=False):
        workflow_services.submit_report(personas["own_liaison"], item, text="已完成")
        workflow_services.inspect_item(
            personas["inspector"], item, accepted=False, reasons="不全", new_deadline=date(2027, 1, 20)
        )
    sweep_on(date(2026, 12, 31))  # the old deadline: nothing, the item has a new one
    sweep_on(date(2027, 1, 13))
    rungs = list(
        Notice.objects.filter(item=item, kind=Notice.Kind.RUNG).order_by("pk").values_list("rung__name", "deadline")
    )
    assert rungs == [("到期前7天提醒", DEADLINE), ("到期前7天提醒", date(2027, 1, 20))]


def test_reminders_are_not_sent_after_the_deadline(make_due_item):
    """An item opened late (deadline already past) gets the highest rung it reached, not 'due in 7 days'."""
    item = make_due_item(date(2026, 12, 20))
    sweep_on(date(2026, 12, 28))
    assert list(Notice.objects.filter(item=item, kind=Notice.Kind.RUNG).values_list("rung__name", flat=True)) == [
        "逾期7天升级"
    ]


def test_who_is_told_at_each_rung(make_due_item, leader, personas):
    make_due_item(DEADLINE)
    recipients = {}
    for day in (date(2026, 12, 24), DEADLINE, date(2027, 1, 7)):
        sweep_on(day)
        notice = (
            Notice.objects.filter(kind=Notice.Kind.RUNG, created_at__date__gte=day - timedelta(days=1))
            .order_by("-pk")
            .first()
        )
        recipients[notice.rung.name] = set(
            Delivery.objects.filter(notice=notice, channel="in_app").values_list("recipient__username", flat=True)
        )
    assert recipients["到期前7天提醒"] == {"own"}
    assert recipients["到期未完成"] == {"own", "leader", "role-government_office"}
    assert recipients["逾期7天升级"] == {"own", "leader", "role-government_office", "role-plan_office"}


def test_email_only_to_people_with_an_address(make_due_item, liaison_with_email, leader):
    make_due_item(DEADLINE)
    sweep_on(DEADLINE)
    emails = set(Delivery.objects.filter(channel="email").values_list("recipient__username", flat=True))
    assert emails == {"own", "leader"}


def test_the_ladder_is_data(make_due_item):
    Rung.objects.filter(name="到期前7天提醒").update(offset_days=-10, active=True)
    Rung.objects.filter(name="到期前1天提醒").update(active=False)
    item = make_due_item(DEADLINE)
    for day in range(20, 32):
        sweep_on(date(2026, 12, day))
    names = list(
        Notice.objects.filter(item=item, kind=Notice.Kind.RUNG).order_by("pk").values_list("rung__name", "created_at")
    )
    assert [name for name, _ in names] == ["到期前7天提醒", "到期未完成"]
    assert names[0][1].astimezone(SHANGHAI).date() == date(2026, 12, 21)


def test_closed_and_withdrawn_items_are_left_alone(make_due_item, office):
    item = make_due_item(DEADLINE)
    workflow_services.withdraw_item(office, item, reason="合并")
    sweep_on(date(2027, 1, 7))
    assert not Notice.objects.filter(item=item, kind=Notice.Kind.RUNG).exists()


@pytest.mark.postgres  # SQLite caps a bulk INSERT at 999 parameters, so there the INSERTs are batched
def test_sweep_query_count_does_not_grow_with_due_items(units, leader, count_queries):
    from tests.board.board_fixtures import make_item

    def make(start, count):
        for n in range(start, start + count):
            make_item(units["own"] if n % 2 else units["stranger"], days=-8, title=f"任务{n}")

    def sweep_fresh():
        Notice.objects.all().delete()
        LadderMark.objects.all().delete()  # the marks would put off the items looked at already
        with time_machine.travel(at(timezone.localdate()), tick=False):
            return count_queries(sweep_deadlines)

    make(0, 10)
    small = sweep_fresh()
    assert Notice.objects.filter(kind=Notice.Kind.RUNG).count() == 10  # 逾期7天升级 only: the highest rung
    make(10, 990)
    large = sweep_fresh()
    assert Notice.objects.filter(kind=Notice.Kind.RUNG).count() == 1000
    assert Delivery.objects.count() >= 1000  # the leader of the own unit, on every rung
    assert large == small


def test_items_are_due_by_shanghai_date(make_due_item):
    """At 23:30 UTC on the 23rd it is already the 24th in Shanghai: the 7-day reminder fires."""
    item = make_due_item(DEADLINE)
    with time_machine.travel(datetime(2026, 12, 23, 23, 30, tzinfo=ZoneInfo("UTC")), tick=False):
        sweep_deadlines()
    assert Notice.objects.filter(item=item, rung__name="到期前7天提醒").exists()


def test_open_items_only(make_due_item, personas):
    item = make_due_item(DEADLINE)
    DutyItem.objects.filter(pk=item.pk).update(stage=DutyItem.Stage.INSPECTING)
    sweep_on(DEADLINE)
    assert not Notice.objects.filter(kind=Notice.Kind.RUNG).exists()


def test_an_item_opened_the_day_before_its_deadline_gets_only_the_latest_reminder(make_due_item):
    item = make_due_item(DEADLINE)
    sweep_on(date(2026, 12, 30))
    assert list(Notice.objects.filter(item=item, kind=Notice.Kind.RUNG).values_list("rung__name", flat=True)) == [
        "到期前1天提醒"
    ]


def test_a_sweep_with_nothing_new_writes_nothing_and_says_so(make_due_item):
    make_due_item(DEADLINE)
    with time_machine.travel(at(date(2027, 1, 8)), tick=False):
        first = sweep_deadlines()
        second = sweep_deadlines()
    assert first.notices == 1  # the highest rung only
    assert second.notices == 0
    assert second.deliveries == 0


# --- one notice per item per sweep; the unsigned rung -------------------------------------------------------------


def test_an_item_eight_days_overdue_on_its_first_sweep_gets_only_the_highest_rung(make_due_item):
    item = make_due_item(DEADLINE)
    sweep_on(DEADLINE + timedelta(days=8), times=2)
    rungs = list(Notice.objects.filter(item=item, kind=Notice.Kind.RUNG).values_list("rung__name", flat=True))
    assert rungs == ["逾期7天升级"]
    assert "2026" not in rungs[0]  # the rung's name; the title names the period
    assert Notice.objects.get(item=item, kind=Notice.Kind.RUNG).title.endswith("（临时任务）")


def test_the_rungs_skipped_are_not_sent_late(make_due_item):
    """Seven days overdue at the first sweep: 逾期7天升级; the next day neither 到期未完成 nor the 逾期催报 whose
    span (days 6–8) the escalation already covered; 逾期催报 comes back on its next occurrence (day 9)."""
    item = make_due_item(DEADLINE)
    for days in (7, 8, 9):
        sweep_on(DEADLINE + timedelta(days=days))
    notices = Notice.objects.filter(item=item, kind=Notice.Kind.RUNG).order_by("pk")
    assert list(notices.values_list("rung__name", "occurrence")) == [("逾期7天升级", 1), ("逾期催报", 3)]


def test_the_period_is_named_in_a_rungs_title(plan, office):
    with time_machine.travel(at(date(2026, 6, 1)), tick=False):
        workflow_services.open_cycle(office, plan, year=2026)
    sweep_on(date(2026, 12, 24))
    titles = Notice.objects.filter(kind=Notice.Kind.RUNG).values_list("title", flat=True)
    assert titles
    assert all(title.endswith("（2026年度）") for title in titles)


def unsigned(make_due_item, handed_over):
    item = make_due_item(DEADLINE)
    DutyItem.objects.filter(pk=item.pk).update(stage=DutyItem.Stage.SIGNING, created=at(handed_over))
    return item


def test_an_item_not_signed_for_two_days_after_its_hand_over_is_reminded_once(make_due_item, leader):
    item = unsigned(make_due_item, date(2026, 11, 2))
    sweep_on(date(2026, 11, 3))
    assert not Notice.objects.filter(item=item, kind=Notice.Kind.RUNG).exists()
    for day in (4, 5, 6):
        sweep_on(date(2026, 11, day), times=2)
    notice = Notice.objects.get(item=item, kind=Notice.Kind.RUNG)
    assert notice.rung.applies_to == Rung.Applies.UNSIGNED
    assert notice.title == "未签收提醒：校园周边环境整治（临时任务）"
    assert notice.created_at.astimezone(SHANGHAI).date() == date(2026, 11, 4)
    recipients = set(Delivery.objects.filter(notice=notice).values_list("recipient__username", flat=True))
    assert recipients == {"own", "leader"}


def test_a_signed_item_is_not_reminded_to_sign(make_due_item):
    item = unsigned(make_due_item, date(2026, 11, 2))
    DutyItem.objects.filter(pk=item.pk).update(stage=DutyItem.Stage.REPORTING)
    sweep_on(date(2026, 11, 10))
    assert not Notice.objects.filter(item=item, kind=Notice.Kind.RUNG).exists()


def test_a_handed_back_item_leaves_the_ladder(make_due_item):
    item = make_due_item(DEADLINE)
    DutyItem.objects.filter(pk=item.pk).update(stage=DutyItem.Stage.HANDED_BACK)
    sweep_on(DEADLINE + timedelta(days=8))
    assert not Notice.objects.filter(item=item, kind=Notice.Kind.RUNG).exists()


def test_an_unsigned_item_whose_deadline_rung_fires_gets_that_one_first(make_due_item):
    item = unsigned(make_due_item, date(2026, 12, 20))
    sweep_on(date(2026, 12, 24))  # 到期前7天提醒 and 未签收提醒 both due: one notice
    sweep_on(date(2026, 12, 25))
    notices = Notice.objects.filter(item=item, kind=Notice.Kind.RUNG).order_by("pk")
    assert list(notices.values_list("rung__name", flat=True)) == ["到期前7天提醒", "未签收提醒"]


def test_an_item_not_yet_signed_for_gets_its_reminder_and_still_every_deadline_rung(make_due_item):
    item = make_due_item(DEADLINE, signed=False)
    for offset in range(-12, 1):
        sweep_on(DEADLINE + timedelta(days=offset))
    assert set(fired(item)) == {
        ("未签收提醒", 1, date(2026, 12, 19)),  # the first sweep, two days and more after the hand-over
        ("到期前7天提醒", 1, date(2026, 12, 24)),
        ("到期前1天提醒", 1, date(2026, 12, 30)),
        ("到期未完成", 1, date(2026, 12, 31)),
    }
