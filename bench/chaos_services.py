"""The processes bench/chaos.py starts, kills and restarts: its own PostgreSQL and Redis on spare ports, two Celery
workers, beat and a web process, each in a session of its own (so a kill takes its children too), logs in one
temporary folder. ``Services.close()`` ends every one of them, whatever state the run is in."""

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

# Settings of the run: production settings (DEBUG off) with the fault-tolerance delays shortened to the run's scale.
SETTINGS = '''"""Written by bench/chaos.py for one run; removed with its folder."""
from taskboard.settings import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # counted per process, sent nowhere
# A claim left by a killed worker is taken again after this many seconds (an hour in production: far longer than
# a 10-minute run, whose final drain must see every delivery sent).
NOTICE_STALE_CLAIM_SECONDS = 20
'''


def pg_bin(name):
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if found:
        return found[-1]
    path = shutil.which(name)
    if not path:
        sys.exit(f"bench/chaos.py needs PostgreSQL's {name} (/usr/lib/postgresql/*/bin/{name} or on PATH).")
    return path


def port_free(port):
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def wait_port(port, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not port_free(port):
            return True
        time.sleep(0.1)
    return False


class Process:
    """One child process in a session of its own, its output appended to ``log``."""

    def __init__(self, name, argv, log, env):
        self.name, self.argv, self.log, self.env = name, argv, log, env
        self.popen = None
        self.starts = 0
        self.log_offset = 0
        self.ready_at = None

    def start(self):
        self.log_offset = self.log.stat().st_size if self.log.exists() else 0
        self.ready_at = None  # bench/chaos_faults.py: when its "ready." was first seen
        with open(self.log, "ab") as out:
            self.popen = subprocess.Popen(  # noqa: S603  (the bench's own commands)
                self.argv, stdout=out, stderr=subprocess.STDOUT, env=self.env, cwd=BASE_DIR, start_new_session=True
            )
        self.starts += 1

    def alive(self):
        return self.popen is not None and self.popen.poll() is None

    def kill(self, sig=signal.SIGKILL):
        if self.popen is None:
            return
        try:
            os.killpg(self.popen.pid, sig)
        except ProcessLookupError:
            pass
        try:
            self.popen.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait()


class Services:
    """PostgreSQL, Redis, the workers, beat and the web process of one run."""

    def __init__(self, pg_port, redis_port, web_port):
        self.pg_port, self.redis_port, self.web_port = pg_port, redis_port, web_port
        for port in (pg_port, redis_port, web_port):
            if not port_free(port):
                sys.exit(f"port {port} is taken: choose another (--pg-port, --redis-port, --web-port).")
        self.folder = Path(tempfile.mkdtemp(prefix="taskboard-chaos-"))
        self.folder.chmod(0o755)
        self.run_as = None
        if os.geteuid() == 0:  # initdb refuses root: PostgreSQL runs as the postgres user
            self.run_as = "postgres"
            os.chown(self.folder, pwd.getpwnam("postgres").pw_uid, -1)
        (self.folder / "var").mkdir()
        (self.folder / "chaos_settings.py").write_text(SETTINGS)
        self.database_url = f"postgres://postgres@127.0.0.1:{pg_port}/taskboard_chaos"
        self.redis_url = f"redis://127.0.0.1:{redis_port}/0"
        self.processes = {}
        self.lock = threading.Lock()
        self.postgres_started = False
        self.secret_key = "chaos-" + os.urandom(40).hex()  # the same in every process: sessions pass between them

    def env(self):
        env = dict(os.environ)
        for name in ("DJANGO_SETTINGS_MODULE", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "EMAIL_URL"):
            env.pop(name, None)
        env.update(
            DJANGO_SETTINGS_MODULE="chaos_settings",
            PYTHONPATH=os.pathsep.join([str(self.folder), str(BASE_DIR)]),
            DATABASE_URL=self.database_url,
            REDIS_URL=self.redis_url,
            SECRET_KEY=self.secret_key,
            SITE_URL=f"http://127.0.0.1:{self.web_port}",
            ALLOWED_HOSTS="127.0.0.1,localhost",
            DEBUG="false",
            SECURE_SSL_REDIRECT="false",
            SESSION_COOKIE_SECURE="false",
            CSRF_COOKIE_SECURE="false",
            TASKBOARD_VAR_DIR=str(self.folder / "var"),
            LOG_LEVEL="WARNING",
            PYTHONUNBUFFERED="1",
        )
        return env

    # PostgreSQL ------------------------------------------------------------------------------------------------
    def _pg(self, *argv, check=True):
        command = [*(["runuser", "-u", self.run_as, "--"] if self.run_as else []), *argv]
        return subprocess.run(command, check=check, capture_output=True, text=True, timeout=120)  # noqa: S603

    def init_postgres(self):
        self._pg(pg_bin("initdb"), "-D", str(self.folder / "pg"), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self.start_postgres()
        self._pg(pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", "postgres", "taskboard_chaos")

    def start_postgres(self):
        options = (
            f"-p {self.pg_port} -k {self.folder} -c listen_addresses=127.0.0.1 -c max_connections=200"
            " -c fsync=off -c shared_buffers=256MB"  # fsync off: the processes die, never the machine
        )
        log = str(self.folder / "postgres.log")
        self._pg(pg_bin("pg_ctl"), "-D", str(self.folder / "pg"), "-l", log, "-o", options, "-w", "-t", "120", "start")
        self.postgres_started = True

    def stop_postgres(self, mode="fast"):
        self._pg(pg_bin("pg_ctl"), "-D", str(self.folder / "pg"), "-m", mode, "-w", "-t", "60", "stop", check=False)

    # Redis, Celery, the web ------------------------------------------------------------------------------------
    def add(self, name, argv):
        self.processes[name] = Process(name, argv, self.folder / f"{name}.log", self.env())
        return self.processes[name]

    def start_redis(self):
        redis = self.processes.get("redis") or self.add(
            "redis",
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
            ],
        )
        redis.start()
        if not wait_port(self.redis_port, 30):
            raise RuntimeError("Redis did not start (see redis.log)")

    def add_celery(self, queues):
        celery = [PYTHON, "-m", "celery", "-A", "taskboard"]
        for name in ("worker-a", "worker-b"):
            self.add(
                name,
                [
                    *celery,
                    "worker",
                    "-Q",
                    ",".join(queues),
                    "-c",
                    "1",
                    "-n",
                    f"chaos-{name}@%h",
                    "--without-mingle",
                    "--without-gossip",
                    "--loglevel=INFO",
                ],
            )
        schedule = self.folder / "beat-schedule"
        self.add("beat", [*celery, "beat", "--loglevel=WARNING", "-s", str(schedule)])

    def add_web(self):
        try:
            import gunicorn  # noqa: F401

            argv = [PYTHON, "-m", "gunicorn", "taskboard.wsgi", "--bind", f"127.0.0.1:{self.web_port}", "--workers",
                    "2", "--timeout", "60"]  # fmt: skip
        except ImportError:
            argv = [PYTHON, "manage.py", "runserver", f"127.0.0.1:{self.web_port}", "--noreload"]
        self.add("web", argv)

    def close(self):
        """End everything this run started and remove its folder (the logs too, unless copied before)."""
        for process in self.processes.values():
            process.kill()
        if self.postgres_started:
            self.stop_postgres("immediate")
            pid_file = self.folder / "pg" / "postmaster.pid"
            if pid_file.exists():  # pg_ctl could not stop it: the postmaster's own pid
                try:
                    os.kill(int(pid_file.read_text().split()[0]), signal.SIGKILL)
                except (ProcessLookupError, ValueError):
                    pass
        shutil.rmtree(self.folder, ignore_errors=True)

    def keep_logs(self, target):
        target = Path(target)
        target.mkdir(parents=True, exist_ok=True)
        for log in self.folder.glob("*.log"):
            shutil.copy(log, target / log.name)
        pg_log = self.folder / "pg" / "log"
        if pg_log.exists():
            shutil.copytree(pg_log, target / "pg-log", dirs_exist_ok=True)
