"""Thin Celery wrapper around the trail's retention purge (idempotent: a second run finds nothing more)."""

from celery import shared_task

from .services import purge


@shared_task(name="audit.purge_trail", acks_late=True)
def purge_trail_task():
    """Delete the audit trail's rows older than AUDIT_RETENTION_DAYS; on beat once a day."""
    return purge()
