"""Real Celery workers for the integration tests: subprocesses on the real broker, always stopped.

A worker is started as ``python -m tests.notices.worker [--email-dir DIR] [--visibility-timeout S] -- <celery
worker options>``: this module's ``main`` sets Django up with ``taskboard.settings_test`` and the environment it is
given (DATABASE_URL pointing at pytest's test database), then runs ``celery worker`` in the same process. Two
test-only switches, applied in the worker process only, never in the project's settings:

- ``--email-dir``: Django's file email backend, so the test can count the emails a worker really sent (the test
  settings' locmem backend keeps them inside the worker process, out of the test's sight);
- ``--visibility-timeout``: the Redis transport's visibility timeout, so a worker restores a message left unacked by
  a worker that died (production waits 6 hours; see settings.CELERY_BROKER_TRANSPORT_OPTIONS).
"""

import argparse
import email
import email.policy
import os
import re
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

PROJECT_DIR = Path(__file__).resolve().parent.parent.parent
EMAIL_SEPARATOR = b"-" * 79


def database_url(settings_dict):
    """A DATABASE_URL for the database Django is connected to (pytest's ``test_…`` one)."""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{settings_dict['NAME']}"


class Worker:
    """One ``celery worker`` process; ``name`` becomes its node name (``name@host``)."""

    def __init__(
        self,
        name,
        log_dir,
        *,
        database_url,
        pool="solo",
        concurrency=1,
        email_dir=None,
        visibility_timeout=None,
        options=(),
    ):
        self.name = name
        self.log_path = Path(log_dir) / f"worker-{name}.log"
        self.database_url = database_url
        self.pool = pool
        self.concurrency = concurrency
        self.email_dir = email_dir
        self.visibility_timeout = visibility_timeout
        self.options = list(options)
        self.process = None

    @property
    def node(self):
        import socket

        return f"{self.name}@{socket.gethostname()}"

    @property
    def pid(self):
        return self.process.pid

    def start(self):
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "taskboard.settings_test",
            "DATABASE_URL": self.database_url,
            "PYTHONUNBUFFERED": "1",
        }
        command = [sys.executable, "-m", "tests.notices.worker"]
        if self.email_dir:
            command += ["--email-dir", str(self.email_dir)]
        if self.visibility_timeout:
            command += ["--visibility-timeout", str(self.visibility_timeout)]
        command += [
            "--",
            f"--pool={self.pool}",
            f"--concurrency={self.concurrency}",
            f"--hostname={self.node}",
            "--loglevel=info",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            *self.options,
        ]
        with open(self.log_path, "ab") as output:
            # Its own process group: stop() can end a prefork worker's children with it.
            self.process = subprocess.Popen(
                command, cwd=PROJECT_DIR, env=environment, stdout=output, stderr=output, start_new_session=True
            )
        return self

    def wait_ready(self, timeout=60):
        """Wait until the worker answers a ping through the broker."""
        from taskboard.celery import app

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"worker {self.name} exited with {self.process.returncode}:\n{self.log_tail()}")
            if app.control.ping(destination=[self.node], timeout=0.5):
                return self
        raise TimeoutError(f"worker {self.name} not ready after {timeout} s:\n{self.log_tail()}")

    def pool_children(self):
        """Process ids of the worker's pool processes (prefork), read from /proc."""
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.pid:  # field 4 of /proc/<pid>/stat: the parent's id
                children.append(int(stat.parent.name))
        return children

    def kill(self):
        """SIGKILL the worker's main process only: no warm shutdown, no ack, nothing restored."""
        os.kill(self.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def kill_pid(self, pid):
        """SIGKILL one of this worker's pool processes."""
        if pid not in self.pool_children():
            raise ValueError(f"{pid} is not a pool process of worker {self.name}")
        os.kill(pid, signal.SIGKILL)

    def stop(self, timeout=15):
        """Warm shutdown; the whole process group is killed if it has not ended after ``timeout`` seconds."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # leftovers of our own group (prefork children)
        except ProcessLookupError:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass

    def log_text(self):
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def log_tail(self, lines=40):
        return "\n".join(self.log_text().splitlines()[-lines:])

    def received(self, task_name):
        """How many times this worker logged receiving ``task_name``."""
        return len(re.findall(rf"Task {re.escape(task_name)}\[[^\]]+\] received", self.log_text()))


@contextmanager
def workers(*all_workers, ready_timeout=60):
    """Start the workers, wait for each to answer, and stop them all whatever happens."""
    try:
        for worker in all_workers:
            worker.start()
        for worker in all_workers:
            worker.wait_ready(timeout=ready_timeout)
        yield all_workers
    finally:
        for worker in all_workers:
            worker.stop()


def reset_broker(queues=()):
    """Empty the task queues (every queue of settings.TASKBOARD_QUEUES, and ``queues``) and kombu's unacked hash of
    the test broker, so no earlier test's task runs here."""
    import redis
    from django.conf import settings

    queues = [*settings.TASKBOARD_QUEUES, *queues]
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    try:
        client.delete(*queues, "unacked", "unacked_index", "unacked_mutex")
    finally:
        client.close()


def unacked_task_ids():
    """Ids of the tasks whose messages a worker took and never acknowledged (kombu's ``unacked`` hash)."""
    import json

    import redis
    from django.conf import settings

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    try:
        ids = []
        for raw in client.hvals("unacked"):
            message = json.loads(raw)[0]
            ids.append(message["headers"]["id"])
        return ids
    finally:
        client.close()


def sent_emails(email_dir, policy=None):
    """The messages Django's file backend wrote into ``email_dir``, parsed (headers decoded with ``policy``)."""
    policy = policy or email.policy.default
    messages = []
    for path in sorted(Path(email_dir).glob("*.log")):
        for chunk in path.read_bytes().split(b"\n" + EMAIL_SEPARATOR + b"\n"):
            if chunk.strip():
                messages.append(email.message_from_bytes(chunk.strip(b"\n"), policy=policy))
    return messages


def main(argv=None):
    parser = argparse.ArgumentParser(description="A Celery worker for the integration tests.")
    parser.add_argument("--email-dir")
    parser.add_argument("--visibility-timeout", type=float)
    parser.add_argument("celery_args", nargs=argparse.REMAINDER)
    options = parser.parse_args(argv)
    celery_args = [arg for arg in options.celery_args if arg != "--"]

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taskboard.settings_test")
    import django

    django.setup()
    from django.conf import settings

    if options.email_dir:
        Path(options.email_dir).mkdir(parents=True, exist_ok=True)
        settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
        settings.EMAIL_FILE_PATH = options.email_dir

    from taskboard.celery import app

    if options.visibility_timeout:
        app.conf.broker_transport_options = {
            **(app.conf.broker_transport_options or {}),
            "visibility_timeout": options.visibility_timeout,
        }
    app.worker_main(["worker", *celery_args])


if __name__ == "__main__":
    main()
