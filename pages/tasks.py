from celery import shared_task
from django.db import connection


@shared_task(name="pages.ping")
def ping():
    """Answered by a worker: proves the broker carries tasks and the worker reaches the database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "pong"
