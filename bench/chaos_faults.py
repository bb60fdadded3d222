"""The two threads of bench/chaos.py beside its day loop: the faults (a worker killed every few seconds, Redis and
PostgreSQL restarted a few times, any process that died unasked started again) and the web probe (one request a
second, each failure kept with its time so it can be set against PostgreSQL's downtime)."""

import http.client
import os
import random
import signal
import threading
import time
from collections import Counter
from statistics import median


class Faults(threading.Thread):
    def __init__(self, services, args, started):
        super().__init__(name="faults", daemon=True)
        self.services, self.args, self.started = services, args, started
        self.stop = threading.Event()
        self.rng = random.Random(args.seed)
        self.kills = 0
        self.redis_restarts = 0
        self.pg_windows = []  # (monotonic start of the stop, monotonic end of the start)
        self.unexpected = Counter()  # processes found dead that the faults did not kill
        self.loads = []
        self.error = None

    def run(self):
        try:
            self._run()
        except Exception as error:  # reported by the main thread, which then cleans up
            self.error = error

    def _run(self):
        duration = self.args.minutes * 60
        pg_times = [duration * (i + 1) / (self.args.pg_restarts + 1) for i in range(self.args.pg_restarts)]
        redis_times = [duration * (i + 0.5) / (self.args.redis_restarts + 1) for i in range(self.args.redis_restarts)]
        workers = ["worker-a", "worker-b"]
        next_kill = self.args.kill_every
        next_load = 0
        while not self.stop.is_set():
            elapsed = time.monotonic() - self.started
            if elapsed >= next_load:
                self.loads.append(os.getloadavg()[0])
                next_load += 10
            if elapsed < duration:
                if pg_times and elapsed >= pg_times[0]:
                    pg_times.pop(0)
                    self.restart_postgres("immediate" if len(self.pg_windows) % 2 == 0 else "fast")
                if redis_times and elapsed >= redis_times[0]:
                    redis_times.pop(0)
                    self.restart_redis()
                # The worker up longest, once it has been up (its "ready." logged) for --kill-every seconds: on a
                # loaded machine a worker takes 5-30 s to start, and killing it sooner would kill every task it
                # takes before it can finish one, the queue waiting for ever.
                up = sorted((self.up_since(name), name) for name in workers if self.up_since(name) is not None)
                if up and elapsed >= next_kill and time.monotonic() - up[0][0] >= self.args.kill_every:
                    process = self.services.processes[up[0][1]]
                    process.kill(signal.SIGKILL)
                    self.kills += 1
                    time.sleep(self.rng.uniform(0.3, 1.5))
                    process.start()
                    next_kill = elapsed + self.args.kill_every
            self.supervise()
            self.stop.wait(0.25)

    def up_since(self, name):
        """When the worker was first seen ready since its last start (monotonic), or None while it starts."""
        process = self.services.processes[name]
        if process.ready_at is None:
            with open(process.log, "rb") as log:
                log.seek(process.log_offset)
                if b" ready." in log.read():
                    process.ready_at = time.monotonic()
        return process.ready_at

    def count(self):
        """Faults so far that may have lost a task."""
        return self.kills + self.redis_restarts + sum(self.unexpected.values())

    def supervise(self):
        for name, process in self.services.processes.items():
            if not process.alive():
                self.unexpected[name] += 1
                if name == "redis":
                    self.services.start_redis()
                else:
                    process.start()

    def restart_postgres(self, mode):
        began = time.monotonic()
        self.services.stop_postgres(mode)
        time.sleep(self.args.pg_down)
        self.services.start_postgres()
        self.pg_windows.append((began, time.monotonic(), mode))

    def restart_redis(self):
        redis = self.services.processes["redis"]
        redis.kill(signal.SIGKILL)
        time.sleep(self.args.redis_down)
        self.services.start_redis()
        self.redis_restarts += 1


class Probe(threading.Thread):
    """GET ``path`` with a logged-in session every second; a failure is any answer but 200, or none in 10 s."""

    def __init__(self, port, path, cookie):
        super().__init__(name="probe", daemon=True)
        self.port, self.path, self.cookie = port, path, cookie
        self.stop = threading.Event()
        self.results = []  # (monotonic start, monotonic end, ok, detail)

    def run(self):
        while not self.stop.is_set():
            began = time.monotonic()
            ok, detail = self.once()
            self.results.append((began, time.monotonic(), ok, detail))
            self.stop.wait(max(0.0, 1.0 - (time.monotonic() - began)))

    def once(self):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", self.path, headers={"Cookie": self.cookie, "Host": "127.0.0.1"})
            response = connection.getresponse()
            response.read()
            return response.status == 200, f"HTTP {response.status}"
        except Exception as error:
            return False, f"{type(error).__name__}: {error}"
        finally:
            connection.close()

    def summary(self, pg_windows):
        """(probes, failures while PostgreSQL was down, failures outside, median ms, p99 ms of the successes)."""

        def during_downtime(began, ended):
            return any(began <= stop_end and ended >= stop_began for stop_began, stop_end, _ in pg_windows)

        failures = [row for row in self.results if not row[2]]
        inside = [row for row in failures if during_downtime(row[0], row[1])]
        outside = [row for row in failures if not during_downtime(row[0], row[1])]
        times = sorted(1000 * (end - began) for began, end, ok, _ in self.results if ok)
        p50 = median(times) if times else 0
        p99 = times[min(len(times) - 1, int(0.99 * len(times)))] if times else 0
        return len(self.results), inside, outside, p50, p99


def interrupted_tasks(logs):
    """{task name: how many} of the tasks the workers received and never finished (killed under them), read from
    the workers' logs (INFO: "received", "succeeded", "raised")."""
    import re

    received, finished = {}, set()
    for log in logs:
        for line in log.read_text(errors="replace").splitlines():
            if match := re.search(r"Task ([\w.]+)\[([0-9a-f-]+)\] (received|succeeded|raised|retry)", line):
                name, task_id, what = match.groups()
                if what == "received":
                    received[task_id] = name
                else:
                    finished.add(task_id)
    return Counter(name for task_id, name in received.items() if task_id not in finished)
