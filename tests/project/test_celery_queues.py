"""Celery's queues by kind of work (settings.CELERY_TASK_ROUTES): each of the project's tasks lands on its queue,
so a long report or export never waits in front of a notice; a worker started without -Q consumes them all."""

import pytest
from django.conf import settings

from taskboard.celery import app

DISPATCH, SWEEP, REPORTS = settings.DISPATCH_QUEUE, settings.SWEEP_QUEUE, settings.REPORTS_QUEUE

EXPECTED = {
    "notices.dispatch": DISPATCH,
    "notices.notify_events": DISPATCH,
    "notices.daily_digest": DISPATCH,
    "notices.sweep": SWEEP,
    "audit.purge_trail": SWEEP,
    "indicators.purge_pending_uploads": SWEEP,
    "indicators.expire_stuck_reports": SWEEP,
    "board.expire_stuck_exports": SWEEP,
    "indicators.build_self_evaluation_report": REPORTS,
    "indicators.refresh_stale_years": REPORTS,
    "board.build_export": REPORTS,
}


@pytest.fixture(autouse=True, scope="module")
def discovered():
    """Every app's tasks.py, as a worker discovers them."""
    app.loader.import_default_modules()


def queue_of(name):
    return app.amqp.router.route({}, name)["queue"].name


def project_tasks():
    return sorted(name for name in app.tasks if not name.startswith("celery."))


@pytest.mark.parametrize(("task", "queue"), sorted(EXPECTED.items()))
def test_each_task_lands_on_its_queue(task, queue):
    assert task in app.tasks
    assert queue_of(task) == queue


def test_every_task_of_the_project_has_a_queue_of_its_kind():
    """A task added later without a route would land on the default queue: say which kind of work it is."""
    unrouted = {name: queue_of(name) for name in project_tasks() if name != "pages.ping"}
    assert {name: queue for name, queue in unrouted.items() if queue not in (DISPATCH, SWEEP, REPORTS)} == {}
    assert set(EXPECTED) <= set(unrouted)


def test_the_health_check_ping_is_sent_to_each_queue_explicitly():
    assert queue_of("pages.ping") == settings.DEFAULT_QUEUE  # unrouted: pages.health sends one per queue


def test_a_worker_without_q_consumes_every_queue():
    """`make demo`'s single worker and the tests' workers: Celery consumes all of task_queues when -Q is absent."""
    declared = {queue.name for queue in app.amqp.queues.values()}
    assert declared == set(settings.TASKBOARD_QUEUES)
    assert settings.TASKBOARD_QUEUES == (DISPATCH, SWEEP, REPORTS, settings.DEFAULT_QUEUE)


def test_every_beat_entry_routes_to_a_queue_of_its_kind():
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert queue_of(entry["task"]) in (DISPATCH, SWEEP, REPORTS), entry


@pytest.mark.redis
def test_on_redis_each_message_is_in_its_own_queue_only():
    """Sent as the code sends them, one message per task: each queue holds exactly its own (queues bound under
    one shared routing key would each get a copy of every message)."""
    from collections import Counter

    import redis

    from tests.notices.worker import reset_broker

    reset_broker()
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    try:
        for name in EXPECTED:
            app.send_task(name)
        lengths = {queue: client.llen(queue) for queue in settings.TASKBOARD_QUEUES}
    finally:
        client.close()
        reset_broker()
    assert lengths == {**dict.fromkeys(settings.TASKBOARD_QUEUES, 0), **Counter(EXPECTED.values())}
