"""Thin Celery wrappers. Each is idempotent (unique keys, conditional claims): acks_late is safe."""

from celery import shared_task

from .services import dispatch_deliveries, notify_events, send_daily_digest, sweep_deadlines


@shared_task(name="notices.sweep", acks_late=True)
def sweep_task():
    result = sweep_deadlines()
    return {"notices": result.notices, "deliveries": result.deliveries}


@shared_task(name="notices.notify_events", acks_late=True)
def notify_task():
    """The timeline's notices (enqueued after each step commits; beat runs it every minute as a safety net)."""
    return {"notices": notify_events()}


@shared_task(name="notices.daily_digest", acks_late=True)
def daily_digest_task():
    result = send_daily_digest()
    return {"sent": result.sent, "messages": result.messages, "held_again": result.held_again}


@shared_task(name="notices.dispatch", acks_late=True)
def dispatch_task(batch=1000):
    """Dispatch batch after batch until nothing is left to claim (other dispatchers take other rows)."""
    total = {"sent": 0, "retrying": 0, "failed": 0}
    while True:
        result = dispatch_deliveries(batch=batch)
        for key in total:
            total[key] += getattr(result, key)
        if not result.claimed:
            return total
