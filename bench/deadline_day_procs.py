"""The processes of the deadline-day bench (``bench/deadline_day.py``): gunicorn with the README's production
settings, locust headless, and their stopping whatever happens (each runs in its own process group, killed on the
way out: ``stop_all`` in a ``finally``, and SIGTERM/SIGHUP turned into SystemExit so that it runs)."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent
VENV_BIN = Path(sys.executable).parent
SPAWN_RATE = 100  # users a second

# --- processes that must not outlive the bench -----------------------------------------------------------------

RUNNING = []


def start(command, log_path, env):
    log = open(log_path, "ab")
    process = subprocess.Popen(  # noqa: S603 (our own commands, from this venv)
        command, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
    )
    RUNNING.append(process)
    return process


def stop(process, grace=15):
    """SIGTERM to the process's group (gunicorn's workers, locust's greenlets), SIGKILL after ``grace`` seconds."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(grace)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)
        except ProcessLookupError:
            pass
    try:  # a worker left behind by a dead master
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    if process in RUNNING:
        RUNNING.remove(process)


def stop_all(*_):
    for process in list(RUNNING):
        stop(process, grace=5)


def on_signal(signum, frame):
    raise SystemExit(f"stopped by signal {signum}")


# --- gunicorn ----------------------------------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(secret_key, media_root, var_dir, server_log):
    """The README's production variables ("Running in production"), for a local gunicorn behind a pretend proxy."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TASKBOARD_", "CELERY_", "DJANGO_", "PYTEST_")) and key not in ("SECRET_KEY", "SITE_URL")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="taskboard.settings",
        DEBUG="false",
        SECRET_KEY=secret_key,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL="https://127.0.0.1",
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO",
        TRUSTED_PROXY_COUNT="1",
        MEDIA_ROOT=str(media_root),
        TASKBOARD_VAR_DIR=str(var_dir),
        MPLCONFIGDIR=str(var_dir / "matplotlib"),
        LOG_LEVEL="WARNING",
        DD_SERVER_LOG=str(server_log),
    )
    return env


def start_gunicorn(config, port, env, log_path):
    command = [
        str(VENV_BIN / "gunicorn"),
        "--chdir",
        str(BASE_DIR),
        "--pythonpath",
        f"{BASE_DIR},{BENCH_DIR}",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(config["workers"]),
        "--worker-class",
        config["class"],
        "--threads",
        str(config["threads"]),
        "--no-control-socket",  # gunicorn 27's control socket is one path per user: none, as other runs may be on
        "deadline_day_wsgi:application",
    ]
    return start(command, log_path, env)


def get(url, headers=None, timeout=30):
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https", **(headers or {})})  # noqa: S310
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http to our own gunicorn)
        return response.status


def wait_ready(process, base_url, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited while starting: see its log")
        try:
            if get(base_url + "/login/", timeout=5) == 200:
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not answer within {seconds} s")


def warm_up(base_url, config, cookie):
    """Every worker (and thread) serves a few pages before the measure: imports, templates and catalogues loaded."""
    paths = ["/login/", "/board/", "/"] * (4 * config["workers"] * config["threads"])
    headers = {"Cookie": cookie}
    with ThreadPoolExecutor(config["workers"] * config["threads"]) as pool:
        list(pool.map(lambda path: get(base_url + path, headers), paths))


# --- locust ------------------------------------------------------------------------------------------------------


def run_locust(user_class, plan_path, out_path, users, ramp, base_url, log_path):
    env = {**os.environ, "DD_PLAN": str(plan_path), "DD_OUT": str(out_path), "DD_RAMP": str(ramp)}
    command = [
        str(VENV_BIN / "locust"),
        "-f",
        str(BENCH_DIR / "locust_deadline_day.py"),
        "--headless",
        "--host",
        base_url,
        "--users",
        str(users),
        "--spawn-rate",
        str(SPAWN_RATE),  # all at once: each user waits for its own slot (locust_deadline_day.BenchUser.on_start)
        "--run-time",
        f"{int(ramp + 900)}s",
        "--stop-timeout",
        "10",
        "--only-summary",
        "--loglevel",
        "WARNING",
        user_class,
    ]
    process = start(command, log_path, env)
    try:
        process.wait(ramp + 1000)
    finally:
        stop(process)
    if not Path(out_path).exists():
        raise RuntimeError(f"locust wrote no results: see {log_path}")
    return json.loads(Path(out_path).read_text(encoding="utf-8"))
