"""The services the project runs on: a real Celery worker over Redis, the Redis cache, the health check."""

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import CommandError, call_command

from pages.health import check_database


@pytest.mark.django_db
def test_database_check_answers():
    from django.db import connection

    result = check_database()
    assert result.ok
    assert result.detail == connection.vendor


@pytest.mark.postgres
@pytest.mark.django_db
def test_runs_on_postgresql():
    from django.db import connection

    assert connection.vendor == "postgresql"


@pytest.mark.redis
def test_cache_is_redis():
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    cache.set("taskboard:test", "值", 5)
    assert cache.get("taskboard:test") == "值"


@pytest.fixture
def worker_process(tmp_path):
    """A real Celery worker in its own process, on the same broker and database server as the tests."""
    from django.db import connection

    from tests.notices.worker import database_url

    log = tmp_path / "worker.log"
    # pytest's test database, not DATABASE_URL's own (empty in CI): the worker reads what the test wrote.
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "taskboard.settings_test"}
    if connection.vendor == "postgresql":
        environment["DATABASE_URL"] = database_url(connection.settings_dict)
    command = [sys.executable, "-m", "celery", "-A", "taskboard", "worker", "--pool=solo", "--loglevel=info"]
    with open(log, "wb") as output:
        process = subprocess.Popen(command, cwd=settings.BASE_DIR, env=environment, stdout=output, stderr=output)
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.mark.redis
@pytest.mark.django_db
def test_healthcheck_passes_with_a_real_worker_on_redis(worker_process):
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    out = StringIO()
    call_command("healthcheck", "--timeout", "60", stdout=out)
    for queue in settings.TASKBOARD_QUEUES:  # a worker without -Q consumes every queue: each answers
        assert f"Celery 工作进程（{queue} 队列）：正常（pong）" in out.getvalue()
    assert worker_process.poll() is None


@pytest.mark.redis
@pytest.mark.django_db
def test_healthcheck_fails_clearly_without_a_worker():
    out = StringIO()
    with pytest.raises(CommandError, match="有服务不可用"):
        call_command("healthcheck", "--timeout", "1", stdout=out)
    for queue in settings.TASKBOARD_QUEUES:
        assert f"Celery 工作进程（{queue} 队列）：失败" in out.getvalue()
