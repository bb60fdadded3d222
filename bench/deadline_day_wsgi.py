"""Taskboard's WSGI application (``taskboard.wsgi``, production settings) with a bench-only timing wrapper.

For each request it appends one line to ``DD_SERVER_LOG`` (tab-separated): the worker's pid, the method, the
path, the status, the milliseconds inside Django, the SQL queries and the milliseconds they took. The queries are
counted with ``connection.execute_wrapper`` (it works with DEBUG off, unlike ``connection.queries``). Comparing
these times with locust's shows how much of a response time was queueing for a worker and how much the work.
"""

import os
import time

from django.db import connection

from taskboard.wsgi import application as taskboard_application

LOG = os.environ.get("DD_SERVER_LOG", "")


class QueryTimer:
    def __init__(self):
        self.count, self.seconds = 0, 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - started


def application(environ, start_response):
    if not LOG:
        return taskboard_application(environ, start_response)
    status = []

    def remember(code, headers, exc_info=None):
        status.append(code.split(" ", 1)[0])
        return start_response(code, headers, exc_info)

    timer = QueryTimer()
    started = time.perf_counter()
    with connection.execute_wrapper(timer):
        response = taskboard_application(environ, remember)
    milliseconds = 1000 * (time.perf_counter() - started)
    line = (
        f"{os.getpid()}\t{environ['REQUEST_METHOD']}\t{environ.get('PATH_INFO', '')}\t{status[0] if status else '?'}"
        f"\t{milliseconds:.1f}\t{timer.count}\t{1000 * timer.seconds:.1f}\n"
    )
    with open(LOG, "a", encoding="utf-8") as log:
        log.write(line)
    return response
