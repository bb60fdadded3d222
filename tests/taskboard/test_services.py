"""The services the project runs on: a real Celery worker over Redis, the Redis cache, the health check."""

from io import StringIO

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core.cache import cache
from django.core.management import CommandError, call_command

from taskboard.celery import app
from taskboard.health import check_database


@pytest.mark.django_db
def test_database_check_answers():
    from django.db import connection

    result = check_database()
    assert result.ok and result.detail == connection.vendor


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


@pytest.mark.redis
@pytest.mark.django_db
def test_healthcheck_passes_with_a_real_worker_on_redis():
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        out = StringIO()
        call_command("healthcheck", "--timeout", "20", stdout=out)
    assert "Celery 工作进程：正常（pong）" in out.getvalue()


@pytest.mark.redis
@pytest.mark.django_db
def test_healthcheck_fails_clearly_without_a_worker():
    out = StringIO()
    with pytest.raises(CommandError, match="有服务不可用"):
        call_command("healthcheck", "--timeout", "1", stdout=out)
    assert "Celery 工作进程：失败" in out.getvalue()
