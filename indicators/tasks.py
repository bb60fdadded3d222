"""Thin Celery wrappers around the indicators' services. Each is idempotent, so acks_late is safe: a worker lost
mid-task gets it redelivered, and a second run (a double beat, two workers) finds nothing more to do."""

from celery import shared_task

from .report.services import expire_stale, run_report
from .services.figure_uploads import purge_expired_uploads
from .services.stale_years import refresh_stale_years


@shared_task(name="indicators.build_self_evaluation_report", acks_late=True)
def build_report_task(report_id):
    """The job is claimed by a conditional UPDATE and rebuilt from scratch."""
    return run_report(report_id)


@shared_task(name="indicators.refresh_stale_years", acks_late=True)
def refresh_stale_years_task():
    """Recompute the years a rule, threshold or school-type change marked stale; each year's mark is taken in
    the transaction that recomputes it. Enqueued when such a change commits; on beat as the safety net."""
    return refresh_stale_years()


@shared_task(name="indicators.purge_pending_uploads", acks_late=True)
def purge_pending_uploads_task():
    """Delete the figures files left unconfirmed past their expiry."""
    return purge_expired_uploads()


@shared_task(name="indicators.expire_stuck_reports", acks_late=True)
def expire_stuck_reports_task():
    """Mark failed the self-evaluation report jobs without progress for too long."""
    return expire_stale()
