"""The board's large exports, made in the background (``outputs.jobs``, as the self-evaluation report)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from outputs.jobs import FileJob


def export_path(export, filename):
    return f"board-exports/{export.as_of:%Y/%m}/{export.pk}-{filename}"


class BoardExportQuerySet(models.QuerySet):
    def for_user(self, user):
        """Only the person who asked for an export sees it and downloads it: its rows are what *they* could see."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(requested_by=user)


class BoardExport(FileJob):
    """The board's filtered list as XLSX, written by a worker when it has more rows than
    ``TASKBOARD_EXPORT_SYNC_ROWS``. ``item_ids`` are the rows the person could see when they asked, in the board's
    order (the access module's ``for_user`` and their filters, read in the request); the worker writes exactly
    those, with the lights and countdowns of ``as_of``, in the language of the request. While it is queued or
    running, the same person asking for the same file (``fingerprint``) gets this job again."""

    STUCK_MESSAGE = (
        f"超过{int(FileJob.STALE_AFTER.total_seconds() // 60)}分钟没有进展（后台任务可能已中断），请重新导出。"
    )

    query = models.TextField(_("filters"), blank=True, help_text=_("The board's query string, to return to it."))
    item_ids = models.JSONField(_("items"), default=list)
    as_of = models.DateField(_("as of"))
    language = models.CharField(_("language"), max_length=16, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    file = models.FileField(_("file"), upload_to=export_path, blank=True, max_length=200)
    fingerprint = models.CharField(
        _("fingerprint"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_(
            "What the file will hold (its rows, date and language): a second identical request reuses the job."
        ),
    )

    objects = BoardExportQuerySet.as_manager()

    class Meta:
        verbose_name = _("board export")
        verbose_name_plural = _("board exports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A double click (two identical POSTs) gets the job already queued or running, even under a race.
            models.UniqueConstraint(
                fields=["requested_by", "fingerprint"],
                condition=models.Q(status__in=FileJob.ACTIVE) & ~models.Q(fingerprint=""),
                name="one_active_board_export_per_request",
            )
        ]

    def __str__(self):
        return f"{self.filename}（{self.get_status_display()}）"

    @property
    def filename(self):
        return f"任务清单-{self.as_of:%Y%m%d}.xlsx"

    @property
    def fallback_filename(self):
        return f"tasks-{self.as_of:%Y%m%d}.xlsx"
