"""Checks that the services Taskboard depends on answer: database, cache, Celery broker and a worker."""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str


def check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any driver error means "not reachable"
        return CheckResult("数据库", False, str(error))
    return CheckResult("数据库", True, connection.vendor)


def check_cache():
    try:
        cache.set("taskboard:health", "ok", 10)
        ok = cache.get("taskboard:health") == "ok"
    except Exception as error:
        return CheckResult("缓存", False, str(error))
    return CheckResult("缓存", ok, settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1])


def check_worker(timeout=10):
    from .tasks import ping

    try:
        answer = ping.apply_async().get(timeout=timeout)
    except Exception as error:
        return CheckResult("Celery 工作进程", False, f"{type(error).__name__}: {error}")
    return CheckResult("Celery 工作进程", answer == "pong", answer)


def run_checks(with_worker=True, timeout=10):
    results = [check_database(), check_cache()]
    if with_worker:
        results.append(check_worker(timeout))
    return results
