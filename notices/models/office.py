"""The government office's tools: urgings (催办) and circulars (通报) with the units they criticise."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from departments.models import Unit
from workflows.models import DutyItem, Period

from ..querysets import CircularQuerySet


class Urging(models.Model):
    """催办: the government office presses one item, several items, or every open item of a unit."""

    message = models.TextField(_("message"))
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("urging")
        verbose_name_plural = _("urgings")
        ordering = ["-created_at"]

    def __str__(self):
        return self.message[:40]


class Circular(models.Model):
    """通报: praise units that did well, name those that are slow with a deadline to rectify."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=200)
    period = models.ForeignKey(Period, verbose_name=_("period"), on_delete=models.PROTECT, related_name="circulars")
    summary = models.TextField(_("summary"), blank=True)
    praised_units = models.ManyToManyField(Unit, verbose_name=_("units praised"), blank=True, related_name="+")
    rectification_deadline = models.DateField(_("rectification deadline"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = CircularQuerySet.as_manager()

    class Meta:
        verbose_name = _("circular")
        verbose_name_plural = _("circulars")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("notices:circular_detail", args=[self.pk])


class Criticism(models.Model):
    """A unit named in a circular, with its overdue items and the rectification item it gets on publishing."""

    circular = models.ForeignKey(
        Circular, verbose_name=_("circular"), on_delete=models.CASCADE, related_name="criticisms"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    items = models.ManyToManyField(DutyItem, verbose_name=_("overdue items"), related_name="criticisms")
    rectification_item = models.OneToOneField(
        DutyItem,
        verbose_name=_("rectification item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="criticism_of",
    )

    class Meta:
        verbose_name = _("criticism")
        verbose_name_plural = _("criticisms")
        ordering = ["unit__name"]
        constraints = [models.UniqueConstraint(fields=["circular", "unit"], name="unique_criticism_per_unit")]

    def __str__(self):
        return f"{self.circular} · {self.unit}"
