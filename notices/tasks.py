"""Thin Celery wrappers. Both are idempotent (unique keys, conditional claims): acks_late is safe."""

from celery import shared_task

from .services import dispatch_deliveries, sweep_deadlines


@shared_task(name="notices.sweep", acks_late=True)
def sweep_task():
    result = sweep_deadlines()
    return {"notices": result.notices, "deliveries": result.deliveries}


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
