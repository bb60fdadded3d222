"""Files made in the background: a job row a Celery worker claims, fills with progress, and finishes with a file
or a Chinese error, which a progress page polls (``static/job-status.js``) until its download link appears.

Used by the self-evaluation report (``indicators``) and the board's large exports (``board``): each has a
concrete model subclassing ``FileJob`` (adding its ``file`` field and what the job is about) and calls the
functions here with its model class.

- ``enqueue`` sends the task after commit; a broker that cannot be reached fails the job with a message
  instead of failing the request.
- ``claim`` is a conditional UPDATE: a redelivered task (acks_late) or a second worker finds the job taken,
  done or gone, and does nothing.
- ``save_progress`` commits at once (outside any transaction), so the page sees it.
- A job queued or running without progress for ``STALE_AFTER`` (a worker killed, a broker that lost the task)
  *looks stuck*: pages that only read show it as interrupted; ``expire_stale`` (on the next request and on
  beat) marks it failed — a GET writes nothing.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

log = logging.getLogger(__name__)

STUCK_LABEL = "疑似中断"
QUEUE_DOWN = "任务队列暂时不可用，{what}未能开始生成，请稍后重试。"


class FileJob(models.Model):
    STALE_AFTER = timedelta(minutes=30)
    STUCK_MESSAGE = f"超过{int(STALE_AFTER.total_seconds() // 60)}分钟没有进展（后台任务可能已中断），请重新生成。"

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Generating")
        DONE = "done", _("Generated")
        FAILED = "failed", _("Generation failed")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0, validators=[MaxValueValidator(100)])
    step = models.CharField(_("step"), max_length=100, blank=True)
    error = models.TextField(_("error message"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_active(self):
        return self.status in self.ACTIVE

    @property
    def looks_stuck(self):
        """Queued or running, without progress for ``STALE_AFTER``: shown as interrupted, expired on the next
        request or beat."""
        return self.is_active and self.updated_at < timezone.now() - self.STALE_AFTER

    @property
    def requested_by_name(self):
        user = self.requested_by
        return (user.get_full_name() or user.get_username()) if user else "—"


def enqueue(model, task, job_id, what):
    """Send ``task(job_id)``; if the broker cannot take it, fail the job saying so (``what``: e.g. "报告")."""
    try:
        task.apply_async(args=[job_id], retry=False)
    except Exception as error:  # broker unreachable: say so on the job, do not fail the web request
        log.warning("cannot enqueue %s %s: %s", model.__name__, job_id, error)
        finish(model, job_id, FileJob.Status.FAILED, error=QUEUE_DOWN.format(what=what))


def claim(model, job_id):
    """Take a queued (or re-delivered running) job; False if it is done, failed or gone."""
    return bool(
        model.objects.filter(pk=job_id, status__in=FileJob.ACTIVE).update(
            status=FileJob.Status.RUNNING, progress=0, step="开始生成", error="", updated_at=timezone.now()
        )
    )


def save_progress(model, job_id, percent, label):
    model.objects.filter(pk=job_id, status=FileJob.Status.RUNNING).update(
        progress=percent, step=label, updated_at=timezone.now()
    )


def finish(model, job_id, status, *, file="", error="", step="", **fields):
    """Mark the job done (with its ``file``) or failed (with ``error``, the reason); ``fields``: more columns to set.

    The state itself (已完成, 生成失败) is the status's label: the card shows it once. ``step`` is what is left to
    say beside it (e.g. how many rows the file holds), or nothing; ``error`` gives the reason, not the state again.
    """
    now = timezone.now()
    fields.update(status=status, finished_at=now, updated_at=now, error=error, step=step)
    if status == FileJob.Status.DONE:
        fields.update(progress=100, file=file)
    model.objects.filter(pk=job_id).update(**fields)
    return status


def expire_stale(model, now=None):
    """Mark failed the jobs queued or running without progress for ``STALE_AFTER``. Returns how many."""
    now = now or timezone.now()
    return model.objects.filter(status__in=FileJob.ACTIVE, updated_at__lt=now - model.STALE_AFTER).update(
        status=FileJob.Status.FAILED,
        step="",
        finished_at=now,
        updated_at=now,
        error=model.STUCK_MESSAGE,
    )


def status_payload(job, download_url):
    """The job as its page and its JSON status show it. A job that looks stuck is no longer polled (``active``
    false) and says why, though its row is expired only by the next request or beat. ``download_url``: given
    only when the job is done."""
    stuck = job.looks_stuck
    return {
        "id": job.pk,
        "status": job.status,
        "status_label": STUCK_LABEL if stuck else job.get_status_display(),
        "progress": job.progress,
        "step": job.step,
        "error": job.STUCK_MESSAGE if stuck else job.error,
        "active": job.is_active and not stuck,
        "stuck": stuck,
        "download_url": download_url if job.status == FileJob.Status.DONE else None,
    }
