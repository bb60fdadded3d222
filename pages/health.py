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


def check_workers(timeout=10):
    """One ping per queue (settings.TASKBOARD_QUEUES), all sent at once: each queue group has a worker that answers."""
    import time

    from .tasks import ping

    deadline = time.monotonic() + timeout
    sent = {}
    for queue in settings.TASKBOARD_QUEUES:
        try:
            sent[queue] = ping.apply_async(queue=queue)
        except Exception as error:
            sent[queue] = error
    results = []
    for queue, pending in sent.items():
        name = f"Celery 工作进程（{queue} 队列）"
        if isinstance(pending, Exception):
            results.append(CheckResult(name, False, f"{type(pending).__name__}: {pending}"))
            continue
        try:
            answer = pending.get(timeout=max(deadline - time.monotonic(), 0.1))
        except Exception as error:
            results.append(CheckResult(name, False, f"{type(error).__name__}: {error}"))
            continue
        results.append(CheckResult(name, answer == "pong", answer))
    return results


def run_checks(with_worker=True, timeout=10):
    results = [check_database(), check_cache()]
    if with_worker:
        results.extend(check_workers(timeout))
    return results
