"""Two liaisons submit the same item at the same moment, on two PostgreSQL connections.

One submission wins; the other is told the item was already submitted (or is busy); nothing is
lost or duplicated. SQLite ignores row locks, so this runs on PostgreSQL only.
"""

import threading
from datetime import date

import pytest
from django.db import connection, connections

from departments.services import add_member
from workflows import services
from workflows.flows import DutyFlow
from workflows.models import DutyItem, Plan, Report

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def submit_in_thread(user_pk, item_pk, text, barrier, outcomes):
    from django.contrib.auth import get_user_model

    try:
        user = get_user_model().objects.get(pk=user_pk)
        item = DutyItem.objects.get(pk=item_pk)
        barrier.wait(timeout=10)
        services.submit_report(user, item, text=text)
        outcomes[text] = "ok"
    except services.ItemStateError as error:
        outcomes[text] = error.messages[0]
    finally:
        connections.close_all()


def test_two_liaisons_submit_the_same_item_at_once(make_user):
    assert connection.vendor == "postgresql"
    plan = Plan.objects.get()
    from departments.models import Unit

    unit = Unit.objects.get(name="县生态环境局")
    office = make_user("office-c", cross_role="government_office")
    first = make_user("liaison-a", unit=unit)
    second = make_user("liaison-b")
    add_member(second, unit, "liaison")
    services.open_cycle(office, plan, year=2026)
    item = DutyItem.objects.get(unit=unit)

    barrier, outcomes = threading.Barrier(2), {}
    threads = [
        threading.Thread(target=submit_in_thread, args=(user.pk, item.pk, text, barrier, outcomes))
        for user, text in [(first, "甲提交"), (second, "乙提交")]
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes.values()).count("ok") == 1, outcomes
    loser = next(message for message in outcomes.values() if message != "ok")
    assert "不能进行此操作" in loser or "请稍后再试" in loser
    item.refresh_from_db()
    assert item.stage == DutyItem.Stage.INSPECTING
    assert Report.objects.filter(item=item, kind=Report.Kind.SUBMISSION).count() == 1
    assert item.task_set.filter(flow_task=DutyFlow.inspect).count() == 1
    assert item.task_set.filter(flow_task=DutyFlow.report, status="DONE").count() == 1


def hold_lock(item_pk, locked, release):
    from django.db import transaction

    try:
        with transaction.atomic(), DutyFlow.lock(item_pk):
            locked.set()
            release.wait(timeout=30)
    finally:
        connections.close_all()


def test_a_held_item_tells_the_user_to_try_again(make_user):
    from departments.models import Unit

    unit = Unit.objects.get(name="县生态环境局")
    office = make_user("office-d", cross_role="government_office")
    liaison = make_user("liaison-d", unit=unit)
    item = services.create_ad_hoc_item(office, unit=unit, title="锁测试", deadline=date(2030, 1, 1))
    locked, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=hold_lock, args=(item.pk, locked, release))
    holder.start()
    try:
        assert locked.wait(timeout=10)
        with pytest.raises(services.ItemBusy) as raised:
            services.save_progress(liaison, item, text="进展不丢")
        assert "请稍后再试" in raised.value.messages[0]
        assert not Report.objects.filter(item=item).exists()
    finally:
        release.set()
        holder.join(timeout=30)
    services.save_progress(liaison, item, text="进展不丢")  # free again: works
    assert Report.objects.filter(item=item).count() == 1
