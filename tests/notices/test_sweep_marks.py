"""The sweep looks only at items that may have reached something new (``notices.services.marks``), and still
sends exactly what a sweep looking at every item would: repeating rungs, moved deadlines, superseded occurrences,
edited ladders."""

from datetime import date, timedelta

import pytest
import time_machine

from notices.models import LadderMark, Notice, Rung
from notices.services.sweep import ladder_notices
from workflows import services as workflow_services
from workflows.models import DutyItem

from .test_ladder import at, fired, sweep_on

pytestmark = pytest.mark.django_db

DEADLINE = date(2026, 12, 31)


def day(offset):
    return DEADLINE + timedelta(days=offset)


def mark_of(item):
    return LadderMark.objects.get(item=item)


def looked_at(today):
    """The items a sweep on ``today`` would look at (those no mark puts off)."""
    from notices.services import marks
    from notices.services.sweep import LADDER_STAGES, deadline_ladder

    rungs = list(Rung.objects.filter(applies_to=Rung.Applies.DEADLINE).order_by("offset_days", "pk"))
    ladder = deadline_ladder([rung for rung in rungs if rung.active])
    items = marks.items_to_look_at(ladder, today, marks.fingerprint(rungs), LADDER_STAGES)
    return set(items.values_list("pk", flat=True))


def test_a_repeating_rung_every_three_days_wakes_the_item_on_its_days_only(make_due_item, leader):
    item = make_due_item(DEADLINE)
    woken = []
    for offset in range(-9, 17):
        if item.pk in looked_at(day(offset)):
            woken.append(offset)
        sweep_on(day(offset), times=2)
    # Looked at only on the days an occurrence of a rung begins (not before the seven-day reminder: too far off).
    assert woken == [-7, -1, 0, 3, 6, 7, 9, 12, 15]
    assert set(fired(item)) == {
        ("到期前7天提醒", 1, day(-7)),
        ("到期前1天提醒", 1, day(-1)),
        ("到期未完成", 1, day(0)),
        ("逾期催报", 1, day(3)),
        ("逾期催报", 2, day(6)),
        ("逾期7天升级", 1, day(7)),
        ("逾期催报", 3, day(9)),
        ("逾期催报", 4, day(12)),
        ("逾期催报", 5, day(15)),
    }
    assert (mark_of(item).deadline, mark_of(item).checked_on, mark_of(item).next_on) == (DEADLINE, day(15), day(18))


def test_a_deadline_moved_by_an_extension_starts_the_ladder_again_at_once(make_due_item, office, leader):
    item = make_due_item(DEADLINE)
    for offset in range(0, 5):
        sweep_on(day(offset))
    assert mark_of(item).next_on == day(6)  # the next 逾期催报
    with time_machine.travel(at(day(5)), tick=False):
        workflow_services.extend_deadlines(office, [item], new_deadline=day(10), reason="汛期")
    assert item.pk in looked_at(day(5))  # the mark was for the old deadline
    sweep_on(day(5))
    assert ("到期前7天提醒", 1, day(5)) in fired(item)  # five days before the new deadline
    assert mark_of(item).deadline == day(10)
    assert mark_of(item).next_on == day(9)  # 到期前1天提醒 of the new deadline


def test_a_first_sweep_after_a_gap_sends_the_highest_rung_then_the_owed_occurrence(make_due_item, leader):
    """Nine days overdue at the first sweep: 逾期7天升级 (it covers 到期未完成 and the first two 逾期催报, never sent),
    then the third 逾期催报, which begins after it, at the next sweep the same day; then nothing until the fourth."""
    item = make_due_item(DEADLINE)
    sweep_on(day(9))
    assert set(fired(item)) == {("逾期7天升级", 1, day(9))}
    assert mark_of(item).next_on == day(9)  # a lower rung is still owed: looked at again by the next sweep
    sweep_on(day(9))
    assert set(fired(item)) == {("逾期7天升级", 1, day(9)), ("逾期催报", 3, day(9))}
    assert mark_of(item).next_on == day(12)
    for offset in (10, 11):
        assert item.pk not in looked_at(day(offset))
        sweep_on(day(offset))
    sweep_on(day(12))
    assert ("逾期催报", 4, day(12)) in fired(item)
    assert Notice.objects.filter(item=item, rung__name="到期未完成").count() == 0


def test_an_edited_ladder_wakes_every_item(make_due_item, leader):
    item = make_due_item(DEADLINE)
    sweep_on(day(3))
    sweep_on(day(3))  # the owed 逾期催报 after 到期未完成 (both begin by day 3)
    assert item.pk not in looked_at(day(4))
    Rung.objects.filter(name="逾期催报").update(repeat_every_days=1)  # not through a form: no signal to count on
    assert item.pk in looked_at(day(4))
    sweep_on(day(4))
    assert ("逾期催报", 2, day(4)) in fired(item)


def test_a_sweep_for_an_earlier_day_looks_again(make_due_item, leader):
    item = make_due_item(DEADLINE)
    sweep_on(day(0))
    assert item.pk not in looked_at(day(1))
    assert item.pk in looked_at(day(-1))  # the mark was computed for a later day


def test_marks_change_nothing_that_is_sent(make_due_item, office, leader):
    """Day by day over a month, with an extension on the way: the marks send exactly what looking at every item
    on every sweep sends, on the same days."""
    items = [make_due_item(day(offset), title=f"任务{offset}") for offset in range(-12, 13, 2)]

    def run(keep_marks):
        Notice.objects.filter(kind=Notice.Kind.RUNG).delete()
        LadderMark.objects.all().delete()
        DutyItem.objects.filter(pk=items[3].pk).update(deadline=day(-6))  # as made
        for offset in range(-8, 22):
            if offset == 6:
                DutyItem.objects.filter(pk=items[3].pk).update(deadline=day(15))
            if not keep_marks:
                LadderMark.objects.all().delete()
            sweep_on(day(offset), times=2)
        return sorted(
            Notice.objects.filter(kind=Notice.Kind.RUNG).values_list("item_id", "rung_id", "deadline", "occurrence")
        ), {item.pk: fired(item) for item in items}

    with_marks = run(keep_marks=True)
    assert with_marks == run(keep_marks=False)
    assert len(with_marks[0]) > 50


def test_the_preview_sees_what_the_marks_put_off_nowhere(make_due_item, leader):
    """``ladder_notices`` with the marks and with every item agree on a day after a sweep."""
    for offset in range(-8, 9):
        make_due_item(day(offset), title=f"任务{offset}")
    sweep_on(day(0))
    for offset in range(1, 8):
        keys = {(n.item_id, n.rung_id, n.occurrence) for n in ladder_notices(day(offset))}
        every = {(n.item_id, n.rung_id, n.occurrence) for n in ladder_notices(day(offset), everything=True)}
        assert keys == every
