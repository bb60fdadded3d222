"""Queues by kind of work, with real Celery workers on Redis and PostgreSQL: a worker that consumes only the
dispatch queue delivers the notices while a report's job waits on the reports queue, and a reports worker then
writes it. Tasks are sent as the code sends them (no explicit queue): settings.CELERY_TASK_ROUTES place them.
See tests/notices/worker.py for the workers; nothing is mocked."""

import time
from datetime import timedelta

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from board import services as board_services
from board.models import BoardExport
from departments.models import Unit
from notices.ladder import ensure_default_ladder
from notices.models import Delivery
from notices.services import sweep_deadlines
from notices.tasks import dispatch_task
from workflows.models import DutyItem

from ..board.board_fixtures import make_item
from .worker import Worker, database_url, reset_broker, sent_emails, workers

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

WAIT = 60


@pytest.fixture(autouse=True)
def empty_broker(transactional_db):
    ensure_default_ladder()
    assert settings.CELERY_BROKER_URL.startswith("redis://"), "these tests run on the Redis broker of REDIS_URL"
    reset_broker()
    yield
    reset_broker()


def waiting(queue):
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    try:
        return client.llen(queue)
    finally:
        client.close()


def wait_until(predicate, *, what):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {WAIT} s waiting for {what}")


def test_a_dispatch_worker_delivers_notices_while_a_report_waits_on_its_queue(make_user, tmp_path):
    units = list(Unit.objects.filter(kind=Unit.Kind.GOVERNMENT_DEPARTMENT).order_by("name")[:2])
    for index, unit in enumerate(units):
        make_user(f"liaison-{index}", unit=unit, email=f"liaison-{index}@example.gov.cn")
    office = make_user("office-sup", cross_role="government_office", email="")
    for unit in units:
        make_item(unit, days=-3, title="逾期未报送的任务")
    assert sweep_deadlines().deliveries > 0
    reset_broker()  # the sweep's own dispatch: only the one below runs
    pending = Delivery.objects.filter(status=Delivery.Status.PENDING).count()
    assert pending > 0

    ids = list(DutyItem.objects.values_list("pk", flat=True))
    export, _created = board_services.request_export(office, ids, today=timezone.localdate())  # enqueued on commit
    assert waiting(settings.REPORTS_QUEUE) == 1

    url = database_url(connection.settings_dict)
    mail = tmp_path / "mail"
    dispatcher = Worker(
        "dispatcher", tmp_path, database_url=url, email_dir=mail, options=["-Q", settings.DISPATCH_QUEUE]
    )
    with workers(dispatcher):
        result = dispatch_task.apply_async()  # routed: no queue named here
        assert result.get(timeout=WAIT) == {"sent": pending, "retrying": 0, "failed": 0}
        assert dispatcher.received("notices.dispatch") == 1
        assert dispatcher.received("board.build_export") == 0
    assert not Delivery.objects.exclude(status=Delivery.Status.SENT).exists()
    assert len(sent_emails(mail)) > 0
    export.refresh_from_db()
    assert export.status == BoardExport.Status.QUEUED  # still waiting: no worker of the reports queue yet
    assert waiting(settings.REPORTS_QUEUE) == 1

    reporter = Worker("reporter", tmp_path, database_url=url, options=["-Q", settings.REPORTS_QUEUE])
    with workers(reporter):
        wait_until(
            lambda: BoardExport.objects.filter(pk=export.pk, status=BoardExport.Status.DONE).exists(),
            what="the reports worker to write the export",
        )
    assert waiting(settings.REPORTS_QUEUE) == 0
    export.refresh_from_db()
    assert export.rows == len(ids)
    assert export.finished_at > timezone.now() - timedelta(minutes=5)
