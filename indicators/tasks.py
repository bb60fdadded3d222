"""Thin Celery wrapper: building a self-evaluation report. Idempotent (the job is claimed by a conditional
UPDATE and rebuilt from scratch), so acks_late is safe: a worker lost mid-build gets the task redelivered."""

from celery import shared_task

from .report.services import run_report


@shared_task(name="indicators.build_self_evaluation_report", acks_late=True)
def build_report_task(report_id):
    return run_report(report_id)
