"""Start the whole system for the quick start: web server, Celery worker and Celery beat.

Worker and beat run as child processes and are stopped when the web server
stops: Ctrl-C, or a SIGTERM or SIGHUP (``kill``, a closed terminal), which are
turned into the same interruption so that no worker or beat is left behind.
Production runs the three as separate services (README).
"""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


def _interrupt(number, frame):
    """A SIGTERM or SIGHUP stops the demo as Ctrl-C does (Python's default for them exits without cleaning up)."""
    raise KeyboardInterrupt


class Command(BaseCommand):
    help = "启动演示系统：网页服务、Celery 工作进程和定时调度（beat）。"

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        for folder in ("broker", "processed", "results", "control"):
            (settings.VAR_DIR / "celery" / folder).mkdir(parents=True, exist_ok=True)
        celery = [sys.executable, "-m", "celery", "-A", "taskboard"]
        log_dir = settings.VAR_DIR / "log"
        log_dir.mkdir(parents=True, exist_ok=True)
        children = [
            # No -Q: one worker consumes every queue of settings.CELERY_TASK_QUEUES (dispatch, sweep, reports).
            self._start([*celery, "worker", "--loglevel=info", "--concurrency=2"], log_dir / "worker.log"),
            self._start([*celery, "beat", "--loglevel=info"], log_dir / "beat.log"),
        ]
        self.stdout.write(f"Celery 工作进程和 beat 已启动，日志在 {log_dir}")
        self.stdout.write(f"打开 http://{addrport}/ 登录（账号见上方列表）。按 Ctrl-C 停止。")
        previous = {number: signal.signal(number, _interrupt) for number in STOP_SIGNALS}
        try:
            call_command("runserver", addrport, use_reloader=False)
        finally:
            self._stop(children)
            for number, handler in previous.items():
                signal.signal(number, handler)

    def _start(self, command, log_path):
        log = open(log_path, "ab")  # kept open for the child's lifetime
        return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=os.environ.copy())  # noqa: S603  (our own celery)

    def _stop(self, children):
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 10
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
