"""Settings for the test suite: the real settings, with a test-only secret and a fast password hasher.

DATABASE_URL and REDIS_URL are honoured, so the same suite runs on SQLite or
on PostgreSQL and Redis.

Tests never write into the source tree: ``var/`` (the SQLite file's folder, the filesystem Celery broker's
folders, uploaded media) is a fresh temporary folder per test process, removed when the process ends. Each
xdist worker (``PYTEST_XDIST_WORKER``: gw0, gw1, …) gets its own, and its own Redis database: REDIS_URL's
database number plus the worker's number, so one worker's Celery workers, queues and cache never meet
another's. Processes a test starts (Celery workers, ``manage.py``) inherit the environment and share their
test process's folder and Redis database.
"""

import atexit
import os
import re
import shutil
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-" + "x" * 40)
os.environ.setdefault("SITE_URL", "http://testserver")


def _test_process():
    """This test process's name: the xdist worker's id, or "main" without xdist."""
    return os.environ.get("PYTEST_XDIST_WORKER") or "main"


def _scratch_var_dir():
    """A fresh var/ folder for this test process, or the one of the test process that started this one."""
    if os.environ.get("TASKBOARD_TEST_VAR_DIR_OF") == _test_process() and os.environ.get("TASKBOARD_VAR_DIR"):
        return os.environ["TASKBOARD_VAR_DIR"]
    folder = tempfile.mkdtemp(prefix=f"taskboard-test-var-{_test_process()}-")
    os.environ["TASKBOARD_VAR_DIR"] = folder
    os.environ["TASKBOARD_TEST_VAR_DIR_OF"] = _test_process()
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def _redis_url_of_this_worker():
    """REDIS_URL with the database number moved on by the xdist worker's number (gw0: +0, gw1: +1, …)."""
    base = os.environ.setdefault("TASKBOARD_TEST_REDIS_URL", os.environ.get("REDIS_URL", ""))
    worker = re.fullmatch(r"gw(\d+)", os.environ.get("PYTEST_XDIST_WORKER", ""))
    if not base or not worker:
        return base
    url, _, query = base.partition("?")
    match = re.fullmatch(r"(redis|rediss)://([^/]*)(?:/(\d*))?", url)
    if not match:
        return base
    database = int(match.group(3) or 0) + int(worker.group(1))
    return f"{match.group(1)}://{match.group(2)}/{database}" + (f"?{query}" if query else "")


_scratch_var_dir()
if os.environ.get("TASKBOARD_TEST_REDIS_URL") or os.environ.get("REDIS_URL"):
    # The first test process to load these settings records REDIS_URL as the base; its subprocesses inherit
    # both and so compute the same database again.
    os.environ["REDIS_URL"] = _redis_url_of_this_worker()

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECURE_SSL_REDIRECT = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
