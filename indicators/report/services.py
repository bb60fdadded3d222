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
from django.utils import timezone

from departments import access

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

    try:
        build_report_task.apply_async(args=[report_id], retry=False)
    except Exception as error:  # broker unreachable: say so on the job, do not fail the web request
        log.warning("indicators: cannot enqueue self-evaluation report %s: %s", report_id, error)
        _finish(report_id, Status.FAILED, error="任务队列暂时不可用，报告未能开始生成，请稍后重试。")


def run_report(report_id):
    """Build the job's document (in the worker). Returns the final status; never raises for a bad report."""
    claimed = SelfEvaluationReport.objects.filter(pk=report_id, status__in=SelfEvaluationReport.ACTIVE).update(
        status=Status.RUNNING, progress=0, step="开始生成", error="", updated_at=timezone.now()
    )
    if not claimed:  # done, failed or deleted meanwhile: nothing to do (a redelivered task, say)
        return None
    report = SelfEvaluationReport.objects.get(pk=report_id)
    try:
        content = write_report(report.year, on_step=lambda percent, label: _progress(report_id, percent, label))
        report.file.save(report.filename, ContentFile(content), save=False)
    except (ReportError, CatalogueIncomplete) as error:
        return _finish(report_id, Status.FAILED, error=f"生成失败：{error}")
    except Exception as error:
        log.exception("indicators: self-evaluation report %s failed", report_id)
        return _finish(report_id, Status.FAILED, error=f"生成失败：系统错误（{type(error).__name__}: {error}）。")
    return _finish(report_id, Status.DONE, file=report.file.name)


def _progress(report_id, percent, label):
    SelfEvaluationReport.objects.filter(pk=report_id, status=Status.RUNNING).update(
        progress=percent, step=label, updated_at=timezone.now()
    )


def _finish(report_id, status, *, file="", error=""):
    now = timezone.now()
    fields = {"status": status, "finished_at": now, "updated_at": now, "error": error}
    if status == Status.DONE:
        fields.update(progress=100, step="已完成", file=file)
    else:
        fields.update(step="生成失败")
    SelfEvaluationReport.objects.filter(pk=report_id).update(**fields)
    return status


def expire_stale(now=None):
    """Mark failed the jobs queued or running without progress for ``STALE_AFTER``. Returns how many.

    Called when a report is requested (a stuck job of the year would block a new one) and by beat; never
    by a page that only reads."""
    now = now or timezone.now()
    return SelfEvaluationReport.objects.filter(
        status__in=SelfEvaluationReport.ACTIVE, updated_at__lt=now - STALE_AFTER
    ).update(
        status=Status.FAILED,
        step="生成失败",
        finished_at=now,
        updated_at=now,
        error=f"生成失败：{SelfEvaluationReport.STUCK_MESSAGE}",
    )
