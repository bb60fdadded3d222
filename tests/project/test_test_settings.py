"""The test settings give each xdist worker its own Redis database, and its subprocesses the same one.

Without it, two workers' Celery workers consume each other's tasks (one on the wrong test database) and a
health check "without a worker" is answered by the other process's worker.
"""

import os
import subprocess
import sys

from django.conf import settings

PRINT_BROKER = (
    "import os, django; django.setup(); from django.conf import settings; "
    "print(settings.CELERY_BROKER_URL); print(os.environ.get('REDIS_URL', '-'))"
)


def load_test_settings(**env):
    """The broker URL a fresh process computes from ``env`` (without this run's own Redis variables), and the
    REDIS_URL it leaves for the processes it starts."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "TASKBOARD_TEST_REDIS_URL", "PYTEST_XDIST_WORKER", "CELERY_BROKER_URL"}
    }
    environment.update({"DJANGO_SETTINGS_MODULE": "taskboard.settings_test", **env})
    result = subprocess.run(
        [sys.executable, "-c", PRINT_BROKER],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_each_xdist_worker_gets_its_own_redis_database():
    assert load_test_settings(REDIS_URL="redis://127.0.0.1:6379/1", PYTEST_XDIST_WORKER="gw0")[0] == (
        "redis://127.0.0.1:6379/1"
    )
    assert load_test_settings(REDIS_URL="redis://127.0.0.1:6379/1", PYTEST_XDIST_WORKER="gw3")[0] == (
        "redis://127.0.0.1:6379/4"
    )
    assert load_test_settings(REDIS_URL="redis://127.0.0.1:6379", PYTEST_XDIST_WORKER="gw2")[0] == (
        "redis://127.0.0.1:6379/2"
    )


def test_a_subprocess_of_a_worker_uses_the_same_database():
    """A Celery worker started by a test inherits the moved REDIS_URL and the base: it lands where its test is."""
    broker, inherited = load_test_settings(REDIS_URL="redis://127.0.0.1:6379/1", PYTEST_XDIST_WORKER="gw1")
    assert broker == inherited == "redis://127.0.0.1:6379/2"
    again = load_test_settings(
        REDIS_URL=inherited, TASKBOARD_TEST_REDIS_URL="redis://127.0.0.1:6379/1", PYTEST_XDIST_WORKER="gw1"
    )
    assert again[0] == "redis://127.0.0.1:6379/2"


def test_without_xdist_or_redis_nothing_moves():
    assert load_test_settings(REDIS_URL="redis://127.0.0.1:6379/5")[0] == "redis://127.0.0.1:6379/5"
    assert load_test_settings()[0].startswith("filesystem://")
