"""The board's export: the person's filtered list as XLSX, at once when it is small, else as a background job.

``visible_ids`` reads the ids of the rows the person may see (``DutyItem.objects.for_user``, through
``board.reads.board_query``) in the board's order: one query. Up to ``TASKBOARD_EXPORT_SYNC_ROWS`` rows the
request writes the workbook itself; above, ``request_export`` stores those ids in a ``BoardExport`` job (or hands
back the one already running for the same file) and a worker writes the same workbook (``run_export``), which only
that person may download. The job's life is ``outputs.jobs``'s, as the self-evaluation report's.
"""

import hashlib
import json
import logging
from datetime import timedelta
from io import BytesIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from outputs import jobs
from workdays.calendar import WorkCalendar
from workflows.models import DutyItem

from . import exports
from .models import BoardExport

log = logging.getLogger(__name__)
Status = BoardExport.Status
READ_SHARE = 80  # percent of the progress bar for reading the rows; the rest is writing the file


def visible_ids(board):
    """The ids of ``board.items`` (a ``board_query``'s, already the person's own), in board order. One query."""
    return list(board.items.values_list("pk", flat=True))


def still_visible_to(user, export):
    """Whether ``user`` may still see every item of ``export`` (items deleted since do not count): checked again at
    download, so a file written before a membership ended is not handed out after. One query."""
    hidden = DutyItem.objects.filter(pk__in=export.item_ids).exclude(
        pk__in=DutyItem.objects.for_user(user).values("pk")
    )
    return not hidden.exists()


def exports_in_background(count):
    return count > settings.TASKBOARD_EXPORT_SYNC_ROWS


def fingerprint(item_ids, *, today, language):
    """What a job's file will hold: its rows in order, the day of its lights and countdowns, its language."""
    content = json.dumps([today.isoformat(), language, list(item_ids)], separators=(",", ":"))
    return hashlib.sha256(content.encode()).hexdigest()


def request_export(user, item_ids, *, today, query=""):
    """(job, created): a queued job writing ``item_ids`` (what ``user`` could see, read by the caller) as the
    board's export, its task sent after commit; or the job of ``user`` already queued or running for the very same
    file (a double click, a second tab), which a partial unique constraint makes hold under races."""
    if not user.is_authenticated:
        raise PermissionError("login required")
    jobs.expire_stale(BoardExport)
    language = translation.get_language() or settings.LANGUAGE_CODE
    key = fingerprint(item_ids, today=today, language=language)
    running = BoardExport.objects.filter(requested_by=user, fingerprint=key, status__in=BoardExport.ACTIVE)
    with transaction.atomic():
        export = running.first()
        if export is not None:
            return export, False
        try:
            with transaction.atomic():
                export = BoardExport.objects.create(
                    requested_by=user,
                    item_ids=list(item_ids),
                    as_of=today,
                    query=query,
                    language=language,
                    rows=len(item_ids),
                    step="排队等待生成",
                    fingerprint=key,
                )
        except IntegrityError:  # the other click won the race
            return running.get(), False
        transaction.on_commit(lambda: enqueue(export.pk))
    return export, True


def enqueue(export_id):
    from .tasks import build_export_task

    jobs.enqueue(BoardExport, build_export_task, export_id, "导出文件")


def run_export(export_id):
    """Write the job's workbook (in the worker). Returns the final status; never raises for a bad job."""
    if not jobs.claim(BoardExport, export_id):  # done, failed or deleted meanwhile (a redelivered task)
        return None
    export = BoardExport.objects.get(pk=export_id)
    last = {"percent": -1}

    def on_progress(done, total):
        percent = READ_SHARE * done // max(total, 1)
        if percent >= last["percent"] + 5:  # at most about twenty updates, whatever the size
            last["percent"] = percent
            jobs.save_progress(BoardExport, export_id, percent, f"读取任务 {done}/{total}")

    try:
        with translation.override(export.language or settings.LANGUAGE_CODE):
            calendar = WorkCalendar.load()
            rows = exports.item_rows(export.item_ids, today=export.as_of, calendar=calendar, on_progress=on_progress)
            jobs.save_progress(BoardExport, export_id, READ_SHARE, "写入表格")
            buffer = BytesIO()
            exports.rows_workbook(rows).save(buffer)
        export.file.save(export.filename, ContentFile(buffer.getvalue()), save=False)
    except Exception as error:
        log.exception("board: export %s failed", export_id)
        return jobs.finish(
            BoardExport, export_id, Status.FAILED, error=f"系统错误（{type(error).__name__}），请重新导出。"
        )
    # The state (已完成) is the card's; the step says what the file holds (an item deleted meanwhile is left out).
    return jobs.finish(BoardExport, export_id, Status.DONE, file=export.file.name, step=f"已写入 {len(rows)} 项任务")


def purge_exports(now=None):
    """Delete the exports (rows and files) finished more than ``TASKBOARD_EXPORT_KEEP_DAYS`` ago. Returns how many."""
    now = now or timezone.now()
    old = BoardExport.objects.filter(finished_at__lt=now - timedelta(days=settings.TASKBOARD_EXPORT_KEEP_DAYS))
    count = 0
    for export in old.only("pk", "file"):
        if export.file:
            export.file.delete(save=False)
        export.delete()
        count += 1
    return count
