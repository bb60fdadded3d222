"""Locust users of the deadline-day bench (``bench/deadline_day.py`` starts locust with this file; see bench/README).

``MorningLiaison``: a liaison whose session is already open (as on a working morning) opens the board, then their
item, saves a progress note with a small PDF, sees the item again, submits it for inspection and sees it again:
each user does that once, then stops. ``LoginStorm``: a liaison opens the login page and signs in, once.

The plan (who, which item, which session) comes from the JSON file named by ``DD_PLAN``; every request's timing is
written to ``DD_OUT`` (JSON) when locust quits, which it does as soon as the last user has finished. Requests are
made as nginx would pass them on (README, "Running in production"): ``X-Forwarded-Proto: https`` and an
``X-Forwarded-For`` per user. Cookies are sent by hand: the production cookies are ``Secure``, and the bench speaks
plain HTTP to gunicorn behind that pretend proxy.
"""

import itertools
import json
import os
import re
import time

import gevent
from locust import HttpUser, constant, events, task
from locust.exception import StopUser

PLAN = json.loads(open(os.environ["DD_PLAN"], encoding="utf-8").read())
OUT = os.environ["DD_OUT"]
PDF = bytes.fromhex(PLAN["pdf_hex"])
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TIMEOUT = 300  # seconds; a request slower than this counts as failed

RAMP = float(os.environ.get("DD_RAMP", "60"))  # seconds within which every user starts
_next_entry = itertools.count()
_first_start = []
requests_seen = []  # (name, start, milliseconds, status, error)
users_seen = []  # {"username", "start", "end", "ok"}


@events.request.add_listener
def record(request_type, name, response_time, response_length, response, exception, start_time=None, **kwargs):
    status = getattr(response, "status_code", 0) if response is not None else 0
    requests_seen.append([name, start_time, response_time, status, None if exception is None else repr(exception)])


@events.quitting.add_listener
def write_results(environment, **kwargs):
    with open(OUT, "w", encoding="utf-8") as out:
        json.dump({"requests": requests_seen, "users": users_seen}, out)


class BenchUser(HttpUser):
    abstract = True
    wait_time = constant(0)
    entries = ()

    record = None

    def on_start(self):
        """Take the next liaison and wait for their slot: the n-th of N starts ``n × RAMP / N`` seconds after the
        first. locust spawns every user at once (deadline_day.py asks a fast spawn rate); it would otherwise replace
        users that finished while it was still spawning, and the ramp would run fast."""
        number = next(_next_entry)
        if number >= len(self.entries):
            raise StopUser()  # a replacement locust spawned for a user that already finished: nobody left to play
        _first_start.append(time.time())
        gevent.sleep(max(0.0, _first_start[0] + number * RAMP / len(self.entries) - time.time()))
        self.entry = self.entries[number]
        self.cookies = {}
        self.forwarded_for = f"10.{number // 250}.{number % 250}.{1 + number % 200}"
        self.record = {"username": self.entry["username"], "start": time.time(), "end": None, "ok": False}
        users_seen.append(self.record)

    def call(self, method, path, name, expect, **kwargs):
        """One request with the cookies and proxy headers; a status other than ``expect`` fails it (and the user)."""
        origin = self.host.replace("http://", "https://", 1)
        headers = {
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.forwarded_for,
            "Cookie": "; ".join(f"{key}={value}" for key, value in self.cookies.items()),
            "Referer": origin + path,
        }
        if method == "POST":
            headers["Origin"] = origin
        with self.client.request(
            method,
            path,
            name=name,
            headers=headers,
            allow_redirects=False,
            timeout=TIMEOUT,
            catch_response=True,
            **kwargs,
        ) as response:
            for cookie in response.cookies:
                self.cookies[cookie.name] = cookie.value
            if response.status_code != expect:
                # Reported as failed; the exception ends this user (a person would stop and call the office).
                response.failure(f"{name}: status {response.status_code}, expected {expect}")
                raise StopUser()
            response.success()
            return response

    def csrf(self, response):
        match = CSRF_INPUT.search(response.text)
        return match.group(1) if match else self.cookies.get("csrftoken", "")

    def finished(self):
        self.record["end"], self.record["ok"] = time.time(), True
        if sum(1 for user in users_seen if user["end"]) == len(self.entries):
            gevent.spawn_later(0.2, self.environment.runner.quit)
        raise StopUser()

    def on_stop(self):
        if self.record is not None and self.record["end"] is None:
            self.record["end"] = time.time()
            if sum(1 for user in users_seen if user["end"]) == len(self.entries):
                gevent.spawn_later(0.2, self.environment.runner.quit)


class MorningLiaison(BenchUser):
    entries = PLAN.get("morning", [])

    def on_start(self):
        super().on_start()
        self.cookies = {"sessionid": self.entry["sessionid"], "csrftoken": self.entry["csrftoken"]}

    @task
    def working_morning(self):
        item = f"/plans/items/{self.entry['item']}/"
        self.call("GET", "/board/", "1 board", 200)
        page = self.call("GET", item, "2 item", 200)
        token = self.csrf(page)
        self.call(
            "POST",
            item + "report/",
            "3 save note with file",
            302,
            data={"text": "已完成材料收集，附佐证材料。", "progress": "80", "csrfmiddlewaretoken": token},
            files={"files": ("佐证材料.pdf", PDF, "application/pdf")},
        )
        page = self.call("GET", item, "4 item after note", 200)
        token = self.csrf(page)
        self.call(
            "POST",
            item + "report/",
            "5 submit",
            302,
            data={"text": "已全部完成，提请检查。", "progress": "100", "submit": "1", "csrfmiddlewaretoken": token},
        )
        self.call("GET", item, "6 item after submit", 200)
        self.finished()


class LoginStorm(BenchUser):
    entries = PLAN.get("login", [])

    @task
    def log_in(self):
        page = self.call("GET", "/login/", "1 login page", 200)
        self.call(
            "POST",
            "/login/",
            "2 log in",
            302,
            data={
                "username": self.entry["username"],
                "password": self.entry["password"],
                "csrfmiddlewaretoken": self.csrf(page),
            },
        )
        self.finished()
