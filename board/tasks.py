"""Thin Celery wrappers around the board's services (queue: reports, see settings.CELERY_TASK_ROUTES)."""

from celery import shared_task

from outputs import jobs

from .models import BoardExport
from .services import purge_exports, run_export


@shared_task(name="board.build_export", acks_late=True)
def build_export_task(export_id):
    """The job is claimed by a conditional UPDATE and written from scratch: safe to run twice."""
    return run_export(export_id)


@shared_task(name="board.expire_stuck_exports", acks_late=True)
def expire_stuck_exports_task():
    """Mark failed the exports without progress for too long, and delete the old ones."""
    return {"expired": jobs.expire_stale(BoardExport), "purged": purge_exports()}
