"""Generating a self-evaluation report: the request (one job per year at a time) and the worker's run.

``request_report`` creates the job and enqueues the Celery task after commit; if the year already has a job
queued or running, that job is returned instead (a partial unique constraint makes this hold under races).
``run_report`` claims the job with a conditional UPDATE, writes the document section by section saving its
progress (each update commits at once, so the progress page sees it), then stores the file and marks it done
— or failed, with a Chinese message. A job that makes no progress for ``STALE_AFTER`` (a worker killed, a
broker that lost the task) is marked failed by ``expire_stale`` when a report is next requested and by beat
(``indicators.expire_stuck_reports``), so nothing stays "running" forever; until then the pages, which only
read, show it as interrupted (``SelfEvaluationReport.looks_stuck``).
"""

import logging

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from departments import access
from outputs import jobs

from ..computation.catalogue import CatalogueIncomplete
from ..models import SelfEvaluationReport
from .context import ReportError
from .sections import write_report

log = logging.getLogger(__name__)

STALE_AFTER = SelfEvaluationReport.STALE_AFTER
Status = SelfEvaluationReport.Status


def request_report(user, year):
    """(job, created): a new queued job for ``year``, or the one already queued or running."""
    access.require(access.can_generate_self_evaluation_report(user), "只有领导小组办公室可以生成自评报告。")
    expire_stale()
    with transaction.atomic():
        running = SelfEvaluationReport.objects.filter(year=year, status__in=SelfEvaluationReport.ACTIVE).first()
        if running:
            return running, False
        try:
            with transaction.atomic():
                report = SelfEvaluationReport.objects.create(year=year, requested_by=user, step="排队等待生成")
        except IntegrityError:  # another request for the year won the race
            return SelfEvaluationReport.objects.get(year=year, status__in=SelfEvaluationReport.ACTIVE), False
        transaction.on_commit(lambda: enqueue(report.pk))
    return report, True


def enqueue(report_id):
    from ..tasks import build_report_task

    jobs.enqueue(SelfEvaluationReport, build_report_task, report_id, "报告")


def run_report(report_id):
    """Build the job's document (in the worker). Returns the final status; never raises for a bad report."""
    if not jobs.claim(SelfEvaluationReport, report_id):  # done, failed or deleted meanwhile (a redelivered task)
        return None
    report = SelfEvaluationReport.objects.get(pk=report_id)
    try:
        content = write_report(report.year, on_step=lambda percent, label: _progress(report_id, percent, label))
        report.file.save(report.filename, ContentFile(content), save=False)
    except (ReportError, CatalogueIncomplete) as error:
        return _finish(report_id, Status.FAILED, error=str(error))
    except Exception as error:
        log.exception("indicators: self-evaluation report %s failed", report_id)
        return _finish(report_id, Status.FAILED, error=f"系统错误（{type(error).__name__}: {error}）。")
    return _finish(report_id, Status.DONE, file=report.file.name)


def _progress(report_id, percent, label):
    jobs.save_progress(SelfEvaluationReport, report_id, percent, label)


def _finish(report_id, status, *, file="", error=""):
    return jobs.finish(SelfEvaluationReport, report_id, status, file=file, error=error)


def expire_stale(now=None):
    """Mark failed the jobs queued or running without progress for ``STALE_AFTER``. Returns how many.

    Called when a report is requested (a stuck job of the year would block a new one) and by beat; never
    by a page that only reads."""
    return jobs.expire_stale(SelfEvaluationReport, now)
