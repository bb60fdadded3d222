"""The plan's indicator catalogue: its numeric targets (sections 二 and 三), per school stage, and its funding
rules (how funds are set, not a target to reach).

Written by the plan import (``workflows.plan_import``), through the ``plan_loaded`` signal: the catalogue
belongs to the indicators, the document to the workflows.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Indicator(models.Model):
    """A numeric target of the plan (sections 二 and 三), per school stage."""

    class Stage(models.TextChoices):
        PRIMARY = "primary", _("Primary school")
        JUNIOR = "junior", _("Junior middle school")
        NINE_YEAR = "nine_year", _("Nine-year school")
        SPECIAL = "special", _("Special education")
        COUNTY = "county", _("County-wide")

    class Comparison(models.TextChoices):
        AT_LEAST = "gte", "≥"
        AT_MOST = "lte", "≤"
        BELOW = "lt", "<"
        EQUAL = "eq", "="

    class Level(models.TextChoices):
        SCHOOL = "school", _("Per school")
        COUNTY = "county", _("County-wide")

    plan = models.ForeignKey(
        "workflows.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.SlugField(_("code"), max_length=64)
    name = models.CharField(_("name"), max_length=100)
    stage = models.CharField(_("school stage"), max_length=16, choices=Stage.choices)
    scope = models.CharField(_("scope"), max_length=50, blank=True, help_text=_("e.g. urban or township schools."))
    comparison = models.CharField(_("comparison"), max_length=3, choices=Comparison.choices)
    threshold = models.DecimalField(_("threshold"), max_digits=12, decimal_places=4)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=20, blank=True)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    section = models.CharField(_("section"), max_length=20)
    source_sentence = models.TextField(_("source sentence"))
    order = models.PositiveSmallIntegerField(_("order"))

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code", "stage", "scope"], name="unique_indicator_per_stage"),
        ]

    def __str__(self):
        return f"{self.name}（{self.get_stage_display()}）{self.target_label}"

    @property
    def target_label(self):
        threshold = f"{self.threshold.normalize():f}"
        return f"{self.get_comparison_display()} {threshold}{self.unit_of_measure}"


class FundingRule(models.Model):
    """A funding rule of the plan, not a target: e.g. 不足100名学生的小学和教学点按100名学生核定公用经费.

    Written by the plan import beside the catalogue; the school's page shows it beside a part it applies to.
    """

    plan = models.ForeignKey(
        "workflows.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="funding_rules"
    )
    code = models.SlugField(_("code"), max_length=64)
    name = models.CharField(_("name"), max_length=100)
    students = models.PositiveIntegerField(_("students funded at least"))
    applies_to = models.CharField(_("applies to"), max_length=100)
    stages = models.JSONField(_("school stages"), default=list)
    section = models.CharField(_("section"), max_length=20)
    source_sentence = models.TextField(_("source sentence"))

    class Meta:
        verbose_name = _("funding rule")
        verbose_name_plural = _("funding rules")
        ordering = ["plan", "code"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="unique_funding_rule")]

    def __str__(self):
        return f"{self.applies_to}{self.name}"

    @property
    def note(self):
        """What a school part it applies to shows: 按100名学生核定公用经费（方案规则）."""
        return f"{self.name}（方案规则）"

    def applies(self, stage, students, *, special_school=False):
        """True for a part of one of the rule's stages with fewer students than the rule funds. A special school's
        part is not a 小学 (its funding is a figure of its own, 特殊教育学校生均公用经费)."""
        if special_school and "special" not in self.stages:
            return False
        return stage in self.stages and students is not None and students < self.students
