"""The escalation through real Celery workers, on real PostgreSQL and Redis: exactly once, whatever Celery does.

Every test here starts real ``celery worker`` processes (tests/notices/worker.py) on the Redis broker of
REDIS_URL and pytest's PostgreSQL test database, so the workers see the test's committed data: the tests are
transactional, and each starts by importing the plan again and restoring the default ladder (a transactional
test empties the database when it ends). Nothing is mocked: the broker, the result backend and the database
are the real servers. Large item sets are written straight into viewflow's and the item's tables (as the duty
flow leaves an item in "reporting"), because starting 3,000 flows one by one would take minutes.

The workers that must not run the dispatch the sweep enqueues after commit consume a queue of their own
(SWEEP_QUEUE) and get their sweeps sent there; the rest of the time they consume every queue (a worker started
without -Q consumes all of settings.CELERY_TASK_QUEUES, whatever CELERY_TASK_ROUTES sends where).
"""

import email.policy
import logging
import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
import redis
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.utils import timezone
from viewflow.workflow.fields import get_flow_ref

from departments.models import Membership, Unit
from notices.ladder import ensure_default_ladder
from notices.models import Delivery, Notice, Rung
from notices.services import dispatch_deliveries, sweep_deadlines, urge_items
from notices.tasks import dispatch_task, sweep_task
from workflows import services as workflow_services
from workflows.flows import DutyFlow
from workflows.models import DutyItem

from .worker import Worker, database_url, reset_broker, sent_emails, unacked_task_ids, workers

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

WAIT = 60  # seconds: the longest any single wait in these tests may take
SWEEP_QUEUE = "taskboard-test-sweep"
DEAD_BROKER = "redis://127.0.0.1:6390/0"  # nothing listens there

# The default ladder (notices/ladder.py) as (offset, repeat every): the expectations
# below are written for it.
DEFAULT_LADDER = [(-7, None), (-1, None), (0, None), (3, 3), (7, None)]
# Days overdue (negative: days left) → the (rung offset, occurrence) a sweep today must have written.
# One notice per item per sweep: the highest rung reached (an item first swept 7 days late gets only 逾期7天升级).
EXPECTED_RUNGS = {
    -7: {(-7, 1)},
    -1: {(-1, 1)},  # only the latest reminder reached: not the seven-day one as well
    0: {(0, 1)},
    3: {(3, 1)},
    7: {(7, 1)},
}
OVERDUE_DAYS = sorted(EXPECTED_RUNGS)
OUTBOX_KINDS = (Notice.Kind.RUNG, Notice.Kind.URGING, Notice.Kind.CIRCULAR)


# ----------------------------------------------------------------------------------------------- fixtures


@pytest.fixture(autouse=True)
def fresh_database(transactional_db):
    """The plan and the default ladder, as a migrated database has them, and an empty broker queue."""
    ensure_default_ladder()  # a flush re-emits post_migrate, but be explicit
    deadline_rungs = Rung.objects.filter(active=True, applies_to=Rung.Applies.DEADLINE)
    assert [(rung.offset_days, rung.repeat_every_days) for rung in deadline_rungs] == DEFAULT_LADDER
    # The extra rung for items not yet signed for (未签收提醒): none of these items awaits signature.
    assert Rung.objects.filter(applies_to=Rung.Applies.UNSIGNED).count() == 1
    assert settings.CELERY_BROKER_URL.startswith("redis://"), "these tests run on the Redis broker of REDIS_URL"
    reset_broker(queues=[SWEEP_QUEUE])
    yield
    reset_broker(queues=[SWEEP_QUEUE])


@pytest.fixture
def worker_factory(tmp_path):
    """Make workers on pytest's test database; logs go to tmp_path (printed on failure by the helpers)."""
    url = database_url(connection.settings_dict)

    def make(name, **options):
        return Worker(name, tmp_path, database_url=url, **options)

    return make


@pytest.fixture
def people(make_user):
    """Four units of the plan, each with liaisons, a leader; a government office supervisor and a plan office member.

    Some have no email address (they get in-app notices only), so both channels and both cases are exercised.
    """
    units = list(Unit.objects.filter(kind=Unit.Kind.GOVERNMENT_DEPARTMENT).order_by("name")[:4])
    for index, unit in enumerate(units):
        make_user(f"liaison-{index}-a", unit=unit, email=f"liaison-{index}-a@example.gov.cn")
        make_user(f"liaison-{index}-b", unit=unit, email="" if index % 2 else f"liaison-{index}-b@example.gov.cn")
        make_user(
            f"leader-{index}",
            unit=unit,
            role=Membership.Role.LEADER,
            email=f"leader-{index}@example.gov.cn" if index % 2 else "",
        )
    office = make_user("office-sup", cross_role="government_office", email="office@example.gov.cn")
    make_user("plan-office", cross_role="plan_office", email="")
    return {"units": units, "office": office}


# ----------------------------------------------------------------------------------------------- helpers


def insert_items(units, overdue_days, count):
    """``count`` open items in "reporting", spread over ``units`` and over the ``overdue_days`` given; their pks."""
    today = timezone.localdate()
    unit_ids = [units[n % len(units)].pk for n in range(count)]
    deadlines = [today - timedelta(days=overdue_days[(n // len(units)) % len(overdue_days)]) for n in range(count)]
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO viewflow_process (flow_class, status, created, data)"
            " SELECT %s, 'NEW', now(), '{}'::jsonb FROM generate_series(1, %s) RETURNING id",
            [get_flow_ref(DutyFlow), count],
        )
        ids = sorted(row[0] for row in cursor.fetchall())
        cursor.execute(
            "INSERT INTO workflows_dutyitem (process_ptr_id, kind, occurrence, title, instructions, deadline, stage,"
            " reworks, withdrawn_reason, unit_id)"
            " SELECT id, 'ad_hoc', 1, '专项任务 ' || id, '', deadline, 'reporting', 0, '', unit_id"
            " FROM unnest(%s::bigint[], %s::bigint[], %s::date[]) AS t(id, unit_id, deadline)",
            [ids, unit_ids, deadlines],
        )
    return ids


def start_items(office, units, overdue_days):
    """Items opened, handed over and signed for through the duty flow itself, one per unit and per
    ``overdue_days``."""
    today = timezone.localdate()
    items = []
    for unit in units:
        for days in overdue_days:
            item = DutyFlow.start.run(
                kind=DutyItem.Kind.AD_HOC,
                unit=unit,
                title=f"校园周边环境整治（{days}）",
                deadline=today - timedelta(days=days),
                created_by=office,
            )
            workflow_services.steps.complete_assignment(item, office)
            workflow_services.steps.perform_signing(item, office, text="签收")  # signed: on the deadline ladder
            items.append(item)
    return items


def expected_notice_keys(items=None):
    """The (item, rung offset, deadline, occurrence) every open item must have after a sweep today."""
    today = timezone.localdate()
    queryset = DutyItem.objects.filter(stage=DutyItem.Stage.REPORTING)
    if items is not None:
        queryset = queryset.filter(pk__in=[item.pk for item in items])
    return {
        (pk, offset, deadline, occurrence)
        for pk, deadline in queryset.values_list("pk", "deadline")
        for offset, occurrence in EXPECTED_RUNGS[(today - deadline).days]
    }


def expected_delivery_keys():
    """(notice, recipient, channel) each notice in the outbox must have, from its rung and the unit's people."""
    user_model = get_user_model()
    emails = dict(user_model.objects.values_list("pk", "email"))
    members = {"liaison": {}, "leader": {}}
    for unit_id, role, user_id in Membership.objects.values_list("unit_id", "role", "user_id"):
        members["liaison" if role == Membership.Role.LIAISON else "leader"].setdefault(unit_id, set()).add(user_id)
    office = set(user_model.objects.filter(groups__name="县政府办公室督查").values_list("pk", flat=True))
    plan_office = set(user_model.objects.filter(groups__name="领导小组办公室").values_list("pk", flat=True))
    keys = set()
    for notice in Notice.objects.filter(kind__in=OUTBOX_KINDS).select_related("rung"):
        rung = notice.rung
        people = set()
        if rung is None or rung.notify_liaisons:
            people |= members["liaison"].get(notice.unit_id, set())
        if rung is None or rung.notify_unit_leaders:
            people |= members["leader"].get(notice.unit_id, set())
        if rung is not None and rung.notify_government_office:
            people |= office
        if rung is not None and rung.notify_leadership_office:
            people |= plan_office
        for person in people:
            keys.add((notice.pk, person, "in_app"))
            if emails[person]:
                keys.add((notice.pk, person, "email"))
    return keys


def assert_exactly_once(expected_notices):
    """One notice per (item, rung, deadline, occurrence), one delivery per (notice, person, channel); none missing."""
    notices = list(
        Notice.objects.filter(kind=Notice.Kind.RUNG).values_list(
            "item_id", "rung__offset_days", "deadline", "occurrence"
        )
    )
    assert len(notices) == len(set(notices)), [key for key, n in Counter(notices).items() if n > 1][:5]
    assert set(notices) == expected_notices
    assert not Notice.objects.filter(recipients_planned=False).exists()
    # The timeline's notices (the items' hand-overs, told by the sweep too) are tested in test_timeline_notices.
    deliveries = list(
        Delivery.objects.filter(notice__kind__in=OUTBOX_KINDS).values_list("notice_id", "recipient_id", "channel")
    )
    assert len(deliveries) == len(set(deliveries)), [key for key, n in Counter(deliveries).items() if n > 1][:5]
    assert set(deliveries) == expected_delivery_keys()
    return len(notices), len(deliveries)


def assert_each_delivery_delivered_once(email_dirs):
    """Every delivery sent, claimed once; one in-app Notification per in-app delivery, one email per email delivery."""
    from notifications.models import Notification

    assert Delivery.objects.exclude(status=Delivery.Status.SENT).count() == 0
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {1}, "a delivery was claimed twice"
    in_app = set(Delivery.objects.filter(channel="in_app").values_list("pk", flat=True))
    per_delivery = Counter(data["delivery"] for data in Notification.objects.values_list("data", flat=True))
    assert set(per_delivery) == in_app
    assert set(per_delivery.values()) == {1}, "an in-app notice was written twice"
    expected_mail = Counter(
        (address, f"【任务督办】{title}")
        for address, title in Delivery.objects.filter(channel="email").values_list("recipient__email", "notice__title")
    )
    messages = [message for directory in email_dirs for message in sent_emails(directory, policy=email.policy.default)]
    assert (
        Counter((str(message["To"]).strip(), str(message["Subject"]).strip()) for message in messages) == expected_mail
    )
    return len(in_app), len(messages)


def wait_until(predicate, *, timeout=WAIT, what="condition", interval=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def other_backends_writing():
    """PostgreSQL sessions of other clients (the workers) inside a transaction that has written and not committed.

    ``backend_xid`` is set from a transaction's first write: for the sweep, its INSERT into the outbox.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, state, left(query, 60) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            " AND xact_start IS NOT NULL AND backend_xid IS NOT NULL"
        )
        return cursor.fetchall()


def other_backends():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            " AND backend_type = 'client backend'"
        )
        return [row[0] for row in cursor.fetchall()]


def queue_length(names=None):
    """Messages waiting in the queues ``names`` (default: all of the project's)."""
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    try:
        return sum(client.llen(name) for name in names or settings.TASKBOARD_QUEUES)
    finally:
        client.close()


# ----------------------------------------------------------------------------------------------- 1. double beat


def test_double_beat_two_sweeps_through_redis_write_each_notice_once(people, worker_factory, tmp_path):
    """Beat sends ``notices.sweep`` twice (two beats, or a beat restarted): one worker runs both, over Redis.

    The first sweep writes every notice and plans every delivery; the second finds them all there and writes
    nothing (its ``deliveries`` is 0). The dispatch both sweeps enqueue after commit then delivers each
    delivery once: one in-app Notification row, one email.
    """
    items = start_items(people["office"], people["units"][:2], OVERDUE_DAYS)
    expected = expected_notice_keys(items)
    assert len(expected) == 2 * 5  # two units × five items, one notice each: the highest rung it reached
    mail = tmp_path / "mail"
    with workers(worker_factory("beat", email_dir=mail)) as (worker,):
        first, second = sweep_task.apply_async(), sweep_task.apply_async()
        first_result, second_result = first.get(timeout=WAIT), second.get(timeout=WAIT)
        _notices, deliveries = assert_exactly_once(expected)
        assert first_result["deliveries"] == deliveries
        assert second_result["deliveries"] == 0
        wait_until(
            lambda: not Delivery.objects.exclude(status=Delivery.Status.SENT).exists(), what="the dispatch to finish"
        )
        assert worker.received("notices.sweep") == 2
    in_app, emails = assert_each_delivery_delivered_once([mail])
    # Besides the rungs' deliveries, the hand-overs' digests the timeline asked for: one per unit, delivered once.
    assert Notice.objects.filter(kind=Notice.Kind.ASSIGNED).count() == 2
    assert in_app + emails == Delivery.objects.count() >= deliveries
    assert emails > 0
    assert in_app > 0


# ----------------------------------------------------------------------------------------------- 2. concurrent sweeps


def test_two_workers_sweep_at_once_each_notice_once(people, worker_factory):
    """Two worker processes take one sweep each at the same moment over 200 due items; the unique keys and the
    skip-locked planning leave exactly one notice per item (its highest rung) and one delivery per person and
    channel."""
    insert_items(people["units"], OVERDUE_DAYS, 200)
    expected = expected_notice_keys()
    assert len(expected) == 200  # one notice per item: the highest rung it reached
    with workers(
        worker_factory("sweep-a", options=["-Q", SWEEP_QUEUE]), worker_factory("sweep-b", options=["-Q", SWEEP_QUEUE])
    ) as (a, b):
        results = [sweep_task.apply_async(queue=SWEEP_QUEUE) for _ in range(2)]
        outcomes = [result.get(timeout=WAIT) for result in results]
        assert (a.received("notices.sweep"), b.received("notices.sweep")) == (1, 1), "each worker ran one sweep"
    _notices, deliveries = assert_exactly_once(expected)
    assert sum(outcome["deliveries"] for outcome in outcomes) == deliveries, "a notice was planned twice"


def sweep_in_thread(barrier, outcomes, index):
    try:
        barrier.wait(timeout=10)
        outcomes[index] = sweep_deadlines()
    except Exception as error:  # reported by the test
        outcomes[index] = error
    finally:
        connections.close_all()


def test_two_sweeps_in_threads_on_two_connections_each_notice_once(people):
    """The same race in-process: two threads, two PostgreSQL connections, released together by a barrier."""
    insert_items(people["units"], OVERDUE_DAYS, 200)
    expected = expected_notice_keys()
    barrier, outcomes = threading.Barrier(2), {}
    threads = [threading.Thread(target=sweep_in_thread, args=(barrier, outcomes, index)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=WAIT)
    assert not any(isinstance(outcome, Exception) for outcome in outcomes.values()), outcomes
    _notices, deliveries = assert_exactly_once(expected)
    assert outcomes[0].deliveries + outcomes[1].deliveries == deliveries, "a notice was planned twice"


# ----------------------------------------------------------------------------------------------- 3. worker killed


def kill_during_the_sweeps_writes(kill):
    """Wait until a worker's sweep is writing the outbox in its open transaction, then ``kill``."""
    writing = wait_until(other_backends_writing, interval=0.02, what="the sweep to write")
    kill()
    return writing


def test_worker_killed_mid_sweep_writes_nothing_and_a_new_sweep_does_it_all(people, worker_factory):
    """SIGKILL the worker while its sweep writes 3,000 items' notices: the transaction dies with it, nothing partial.

    What acks_late gives: the worker acknowledges the message only after the task returned, so the killed sweep's
    message is not lost — it stays in kombu's ``unacked`` hash in Redis. The Redis transport hands such a message
    out again only once it is older than the visibility timeout, which settings set to 6 hours (longer than any
    countdown, so a merely waiting task is never run twice). So within this test the lost sweep is not run again
    by itself; the next beat's sweep (a new task here) does the whole work, exactly once. The stranded message is
    then restored by a worker with a 1-second visibility timeout (the same thing production does after 6 hours):
    run again, it writes nothing. (reject_on_worker_lost, which requeues at once, needs a prefork parent that
    survives its child: see the next test.)
    """
    insert_items(people["units"][:3], [7], 3000)
    expected = expected_notice_keys()
    assert len(expected) == 3000
    doomed = worker_factory("doomed", options=["-Q", SWEEP_QUEUE])
    with workers(doomed):
        lost = sweep_task.apply_async(queue=SWEEP_QUEUE)
        writing = kill_during_the_sweeps_writes(doomed.kill)
        wait_until(lambda: not other_backends(), what="PostgreSQL to end the dead worker's session")
    assert writing, "the worker was killed while its transaction was open"
    assert Notice.objects.count() == 0, "a killed sweep left part of its notices"
    assert Delivery.objects.count() == 0
    assert lost.id in unacked_task_ids(), "acks_late: the killed sweep's message is kept, unacknowledged"

    with workers(worker_factory("next", options=["-Q", SWEEP_QUEUE])):
        again = sweep_task.apply_async(queue=SWEEP_QUEUE).get(timeout=WAIT)
        assert lost.id in unacked_task_ids(), "not redelivered before the visibility timeout"
    notices, deliveries = assert_exactly_once(expected)
    assert again["deliveries"] == deliveries

    with workers(worker_factory("restorer", options=["-Q", SWEEP_QUEUE], visibility_timeout=1)):
        redelivered = lost.get(timeout=WAIT)
    assert redelivered["deliveries"] == 0
    assert lost.id not in unacked_task_ids()
    assert assert_exactly_once(expected) == (notices, deliveries)


def test_pool_process_killed_mid_sweep_the_task_is_redelivered_and_completes(people, worker_factory):
    """reject_on_worker_lost: a prefork worker whose pool process is SIGKILLed mid-sweep requeues the task at once.

    The parent sees WorkerLostError, rejects the message with requeue (acks_late + reject_on_worker_lost), a new
    pool process takes it again and the same task id completes the work: exactly once, nothing partial from the
    killed attempt.
    """
    insert_items(people["units"][:3], [7], 3000)
    expected = expected_notice_keys()
    worker = worker_factory("prefork", pool="prefork", concurrency=1, options=["-Q", SWEEP_QUEUE])
    with workers(worker):
        (child,) = worker.pool_children()
        result = sweep_task.apply_async(queue=SWEEP_QUEUE)
        kill_during_the_sweeps_writes(lambda: worker.kill_pid(child))
        outcome = result.get(timeout=WAIT)
        assert worker.received("notices.sweep") == 2, worker.log_tail()
        assert "WorkerLostError" in worker.log_text()
        assert child not in worker.pool_children()
    _notices, deliveries = assert_exactly_once(expected)
    assert outcome["deliveries"] == deliveries, "the redelivered sweep did the whole work"


# ----------------------------------------------------------------------------------------------- 4. broker down


@pytest.fixture
def broker_down(settings):
    """Point the app at a Redis nobody runs, as when the broker is down. Returns "bring it back"."""
    from taskboard.celery import app

    real_url, real_setting = app.conf.broker_url, settings.CELERY_BROKER_URL

    def use(url, setting):
        settings.CELERY_BROKER_URL = setting
        app.conf.broker_url = url
        # Forget the connection pools built for the other URL (as a new web process would have none).
        app._pool = None
        app.amqp._producer_pool = None

    use(DEAD_BROKER, DEAD_BROKER)
    try:
        yield lambda: use(real_url, real_setting)
    finally:
        use(real_url, real_setting)


def test_broker_down_the_web_keeps_working_and_the_outbox_waits(people, worker_factory, broker_down, caplog, tmp_path):
    """With Redis down, urging and sweeping still succeed: their notices and deliveries wait, pending, in the
    outbox. Once the broker is back, the next ``notices.dispatch`` (beat's, or sent by hand) delivers them all."""
    office, unit = people["office"], people["units"][0]
    items = start_items(office, [unit], [-1, 3])
    caplog.set_level(logging.WARNING, logger="notices.services.planning")

    started = time.monotonic()
    urging = urge_items(office, items, message="请于本周内报送进展。")
    swept = sweep_deadlines()
    took = time.monotonic() - started

    assert urging.pk
    assert swept.notices == len(expected_notice_keys(items)) == 2  # one per item: its highest rung
    assert took < 15, f"an unreachable broker held the request for {took:.1f} s"
    assert caplog.text.count("broker unavailable, dispatch deferred") == 2
    assert Notice.objects.filter(kind=Notice.Kind.URGING).count() == 2
    assert Notice.objects.filter(kind=Notice.Kind.RUNG).count() == 2
    pending = Delivery.objects.count()
    assert pending > 0
    assert Delivery.objects.filter(status=Delivery.Status.PENDING).count() == pending

    broker_down()  # Redis is back
    assert queue_length() == 0, "nothing reached the real broker"
    mail = tmp_path / "mail"
    with workers(worker_factory("after-outage", email_dir=mail)):
        result = dispatch_task.apply_async().get(timeout=WAIT)
    assert result == {"sent": pending, "retrying": 0, "failed": 0}
    in_app, emails = assert_each_delivery_delivered_once([mail])
    assert in_app + emails == pending
    assert emails > 0


# ----------------------------------------------------------------------------------------------- 5. two dispatchers


def test_two_dispatch_tasks_at_once_send_each_delivery_once(people, worker_factory, tmp_path):
    """Two workers run ``notices.dispatch`` at the same moment, in small batches so their claims collide: each
    delivery is claimed once (attempts 1), each in-app delivery is one Notification row, each email one message."""
    insert_items(people["units"], OVERDUE_DAYS, 100)
    sweep_deadlines()
    reset_broker()  # the sweep's own dispatch: only the two below run
    total = Delivery.objects.count()
    assert total > 500
    mails = [tmp_path / "mail-a", tmp_path / "mail-b"]
    with workers(
        worker_factory("dispatch-a", email_dir=mails[0]), worker_factory("dispatch-b", email_dir=mails[1])
    ) as (a, b):
        results = [dispatch_task.apply_async(kwargs={"batch": 20}) for _ in range(2)]
        outcomes = [result.get(timeout=WAIT) for result in results]
        assert (a.received("notices.dispatch"), b.received("notices.dispatch")) == (1, 1)
        left = Delivery.objects.filter(status=Delivery.Status.PENDING).count()
        if left:  # both stopped early after colliding claims: the next beat's dispatch takes the rest
            outcomes.append(dispatch_task.apply_async(kwargs={"batch": 20}).get(timeout=WAIT))
    assert sum(outcome["sent"] for outcome in outcomes) == total
    assert all(outcome["retrying"] == outcome["failed"] == 0 for outcome in outcomes)
    in_app, emails = assert_each_delivery_delivered_once(mails)
    assert in_app + emails == total


def dispatch_in_thread(barrier, outcomes, index):
    try:
        barrier.wait(timeout=10)
        sent = 0
        while True:
            result = dispatch_deliveries(batch=20)
            sent += result.sent
            if not result.sent and not Delivery.objects.filter(status=Delivery.Status.PENDING).exists():
                break
        outcomes[index] = sent
    except Exception as error:  # reported by the test
        outcomes[index] = error
    finally:
        connections.close_all()


def test_two_dispatchers_in_threads_send_each_delivery_once(people, tmp_path, settings):
    """The same race in-process: two threads claim and send in batches of 20 on two connections."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    insert_items(people["units"], OVERDUE_DAYS, 100)
    sweep_deadlines()
    total = Delivery.objects.count()
    barrier, outcomes = threading.Barrier(2), {}
    threads = [threading.Thread(target=dispatch_in_thread, args=(barrier, outcomes, index)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=WAIT)
    assert not any(isinstance(outcome, Exception) for outcome in outcomes.values()), outcomes
    assert outcomes[0] + outcomes[1] == total
    in_app, emails = assert_each_delivery_delivered_once([tmp_path / "mail"])
    assert in_app + emails == total
