"""Rows that wait for work: a year whose stored values are to be computed again (``StaleYear``), and a figures
file waiting for the plan office's confirmation (``PendingUpload``)."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from departments.imports.files import Upload


class StaleYear(models.Model):
    """A year whose stored values (``IndicatorValue``, ``CoefficientValue``) no longer follow what they are
    computed from: a rule, a threshold of the catalogue or a school's type changed.

    An outbox row (``services.stale_years``): written in the transaction of the change, one per year however
    many saves mark it, and deleted by the refresh that computes the year again, in that refresh's transaction.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    marked_at = models.DateTimeField(_("marked at"), default=timezone.now)

    class Meta:
        verbose_name = _("stale year")
        verbose_name_plural = _("stale years")
        ordering = ["year"]

    def __str__(self):
        return f"{self.year}年（待重新计算）"


class PendingUpload(models.Model):
    """A checked figures file that would replace a year's figures, kept until its page is confirmed.

    Held on the server, not in the session: the page's form posts back only ``token``. One per person (a later
    upload, in another tab say, replaces it); only its uploader can confirm it, once, within ``EXPIRES_AFTER``;
    ``changes`` is the digest of the differences its page showed (``FiguresCheck.digest``).
    """

    EXPIRES_AFTER = timedelta(hours=1)

    token = models.CharField(_("token"), max_length=64, unique=True, editable=False)
    uploaded_by = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("file name"), max_length=255)
    format = models.CharField(_("file format"), max_length=8)
    data = models.BinaryField(_("file"))
    changes = models.CharField(_("digest"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("pending upload")
        verbose_name_plural = _("pending uploads")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return f"{self.year}年学校数据：{self.name}"

    @property
    def expires_at(self):
        return self.uploaded_at + self.EXPIRES_AFTER

    def is_expired(self, now=None):
        return (now or timezone.now()) >= self.expires_at

    @property
    def upload(self):
        """The file as the import reads it."""
        return Upload(self.name, self.format, bytes(self.data))
