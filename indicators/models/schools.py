"""Schools, their stage parts, the yearly figures of each part, edits to them, the evaluation rule, stored results.

The figures' verbose names are Chinese literals, not msgids: they are also the headers of the
import template (indicators/imports/columns.py), which must read the same whatever the interface
language, and they carry the unit of measure the plan office fills in.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from departments.models import Unit

from ..querysets import SchoolProfileQuerySet


class Stage(models.TextChoices):
    """The stage of a school part; the values are ``Indicator.Stage`` values (the catalogue's), for the thresholds."""

    PRIMARY = "primary", _("Primary school")
    JUNIOR = "junior", _("Junior middle school")


class SchoolProfile(models.Model):
    """What the indicators need to know of a school (a Unit of kind school)."""

    class SchoolType(models.TextChoices):
        PRIMARY = "primary", _("Primary school")
        JUNIOR = "junior", _("Junior middle school")
        NINE_YEAR = "nine_year", _("Nine-year school")
        COMPLETE_SECONDARY = "complete_secondary", _("Complete secondary school (junior part)")
        SPECIAL = "special", _("Special education school")
        TEACHING_POINT = "teaching_point", _("Teaching point")

    unit = models.OneToOneField(
        Unit,
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        related_name="school_profile",
        limit_choices_to={"kind": Unit.Kind.SCHOOL},
    )
    township = models.ForeignKey(
        Unit,
        verbose_name=_("township or street"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="school_profiles",
        limit_choices_to={"kind": Unit.Kind.TOWNSHIP},
    )
    school_type = models.CharField(_("school type"), max_length=24, choices=SchoolType.choices)
    is_public = models.BooleanField(_("public school"), default=True)
    is_boarding = models.BooleanField(_("boarding school"), default=False)

    objects = SchoolProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("school profile")
        verbose_name_plural = _("school profiles")
        ordering = ["unit__name"]

    def __str__(self):
        return self.unit.name

    @property
    def stages(self):
        """The parts this type of school has, in order."""
        return STAGES_OF_TYPE[self.school_type]


STAGES_OF_TYPE = {
    SchoolProfile.SchoolType.PRIMARY: (Stage.PRIMARY,),
    SchoolProfile.SchoolType.JUNIOR: (Stage.JUNIOR,),
    SchoolProfile.SchoolType.NINE_YEAR: (Stage.PRIMARY, Stage.JUNIOR),
    SchoolProfile.SchoolType.COMPLETE_SECONDARY: (Stage.JUNIOR,),
    SchoolProfile.SchoolType.SPECIAL: (Stage.PRIMARY, Stage.JUNIOR),
    SchoolProfile.SchoolType.TEACHING_POINT: (Stage.PRIMARY,),
}


class SchoolPart(models.Model):
    """One stage of a school: the unit the indicators and the difference coefficient are computed for."""

    school = models.ForeignKey(SchoolProfile, verbose_name=_("school"), on_delete=models.CASCADE, related_name="parts")
    stage = models.CharField(_("stage"), max_length=8, choices=Stage.choices)

    class Meta:
        verbose_name = _("school part")
        verbose_name_plural = _("school parts")
        ordering = ["school__unit__name", "stage"]
        constraints = [models.UniqueConstraint(fields=["school", "stage"], name="unique_school_part")]

    def __str__(self):
        return f"{self.school}（{self.get_stage_display()}）"


def _count(verbose_name, help_text=""):
    return models.PositiveIntegerField(verbose_name, help_text=help_text)


def _amount(verbose_name, help_text="", max_digits=12):
    """A figure that may be apportioned (and so be fractional): two decimals, never negative."""
    return models.DecimalField(
        verbose_name,
        max_digits=max_digits,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
        help_text=help_text,
    )


def _optional_amount(verbose_name, help_text="", max_digits=16):
    """An amount a school may not report (older uploads have no such column): blank means not reported."""
    return models.DecimalField(
        verbose_name,
        max_digits=max_digits,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=help_text,
    )


class SchoolYearFigures(models.Model):
    """The raw figures of one school part for one year (as of the statistics date of that school year)."""

    part = models.ForeignKey(
        SchoolPart, verbose_name=_("school part"), on_delete=models.CASCADE, related_name="figures"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)], db_index=True
    )
    students = _count("在校生数（人）")
    classes = _count("班级数（个）")
    largest_class = _count("最大班额（人）", "该学段人数最多的一个班的学生数")
    full_time_teachers = _amount("专任教师数（人）")
    teachers_above_degree = _amount("高于规定学历教师数（人）", "小学专科及以上、初中本科及以上学历的专任教师")
    key_teachers = _amount("县级及以上骨干教师数（人）")
    pe_teachers = _amount("体育专任教师数（人）")
    music_teachers = _amount("音乐专任教师数（人）")
    art_teachers = _amount("美术专任教师数（人）")
    teaching_room_area = _amount("教学及辅助用房面积（平方米）", "不含室内体育用房")
    sports_area = _amount("体育运动场馆面积（平方米）", "运动场地与室内体育用房面积之和")
    equipment_value = _amount("教学仪器设备值（元）", "账面原值", max_digits=16)
    multimedia_rooms = _amount("网络多媒体教室数（间）")
    music_rooms = _amount("音乐专用教室数（间）")
    music_room_min_area = _amount("音乐专用教室最小一间面积（平方米）", "没有音乐专用教室时填 0")
    art_rooms = _amount("美术专用教室数（间）")
    art_room_min_area = _amount("美术专用教室最小一间面积（平方米）", "没有美术专用教室时填 0")
    trained_teachers = _amount("5年内完成360学时培训的教师数（人）")
    certified_teachers = _amount("持有教师资格证的专任教师数（人）")
    rotation_eligible_teachers = _amount("符合交流条件的教师数（人）")
    rotated_teachers = _amount("交流轮岗教师数（人）")
    rotated_key_teachers = _amount("交流轮岗教师中的骨干教师数（人）")
    # 二（三）: 所有学校按照不低于学校年度公用经费预算总额的5%安排教师培训经费 — checked per school.
    public_funds_budget = _optional_amount("年度公用经费预算总额（元）", "本年度学校公用经费预算总额；未填视为未填报")
    teacher_training_funds = _optional_amount("教师培训经费（元）", "本年度安排的教师培训经费；未填视为未填报")
    apportioned = models.JSONField(
        _("apportioned figures"),
        default=dict,
        blank=True,
        help_text=_("Figures shared by a nine-year school's parts: {field: whole-school total}."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("yearly figures of a school part")
        verbose_name_plural = _("yearly figures of school parts")
        ordering = ["-year", "part"]
        constraints = [
            models.UniqueConstraint(fields=["part", "year"], name="unique_part_year_figures"),
            models.CheckConstraint(condition=models.Q(students__gt=0), name="figures_students_positive"),
        ]

    def __str__(self):
        return f"{self.part} {self.year}年"


# The figures, in the order of the import template; what an edit or an import may change.
FIGURE_FIELDS = (
    "students",
    "classes",
    "largest_class",
    "full_time_teachers",
    "teachers_above_degree",
    "key_teachers",
    "pe_teachers",
    "music_teachers",
    "art_teachers",
    "teaching_room_area",
    "sports_area",
    "equipment_value",
    "multimedia_rooms",
    "music_rooms",
    "music_room_min_area",
    "art_rooms",
    "art_room_min_area",
    "trained_teachers",
    "certified_teachers",
    "rotation_eligible_teachers",
    "rotated_teachers",
    "rotated_key_teachers",
    "public_funds_budget",
    "teacher_training_funds",
)
# Figures a school may leave blank (not reported): an upload without their columns still imports.
OPTIONAL_FIGURES = ("public_funds_budget", "teacher_training_funds")


def largest_value(name):
    """The largest figure ``name`` can hold: a PositiveIntegerField's limit, or what its max_digits leave."""
    field = SchoolYearFigures._meta.get_field(name)
    if field.get_internal_type() == "PositiveIntegerField":
        return 2_147_483_647
    return Decimal(10) ** (field.max_digits - field.decimal_places) - Decimal("0.01")


class FigureEdit(models.Model):
    """One changed value of a part's yearly figures: who, when, old and new, and how (page or import)."""

    class Source(models.TextChoices):
        PAGE = "page", _("Edited on the school's page")
        IMPORT = "import", _("Replaced by an import")

    figures = models.ForeignKey(
        SchoolYearFigures, verbose_name=_("figures"), on_delete=models.CASCADE, related_name="edits"
    )
    field = models.CharField(_("field"), max_length=40)
    old_value = models.CharField(_("old value"), max_length=40, blank=True)
    new_value = models.CharField(_("new value"), max_length=40)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("edited by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(_("edited at"), auto_now_add=True)

    class Meta:
        verbose_name = _("figure edit")
        verbose_name_plural = _("figure edits")
        ordering = ["-edited_at", "-pk"]

    def __str__(self):
        return f"{self.figures} {self.field_label}：{self.old_value} → {self.new_value}"

    @property
    def field_label(self):
        return SchoolYearFigures._meta.get_field(self.field).verbose_name


class EvaluationRule(models.Model):
    """The rules of the evaluation that are data: the resource-standard pass mark and who the coefficient leaves out.

    The row without a year is the default; a row with a year overrides it for that year.
    """

    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, unique=True, help_text=_("Leave empty for the default rule.")
    )
    min_reached = models.PositiveSmallIntegerField(
        _("indicators that must reach their threshold"),
        default=6,
        validators=[MinValueValidator(0), MaxValueValidator(7)],
        help_text=_("Of the 7 resource indicators."),
    )
    floor_ratio = models.DecimalField(
        _("floor for the others (share of the threshold)"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.85"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
    )
    exclude_special_schools = models.BooleanField(_("leave special schools out of the coefficient"), default=True)
    teaching_point_min_students = models.PositiveIntegerField(
        _("leave out teaching points with fewer students than"), default=50
    )
    exclude_private_schools = models.BooleanField(_("leave private schools out of the coefficient"), default=False)
    junior_weight = models.DecimalField(
        _("junior weight when apportioning"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.1"),
        help_text=_("A nine-year school's shared figures are split by students weighted 1 (primary) : this (junior)."),
    )

    class Meta:
        verbose_name = _("evaluation rule")
        verbose_name_plural = _("evaluation rules")
        ordering = [models.F("year").asc(nulls_first=True)]

    def __str__(self):
        return f"{self.year}年规则" if self.year else "默认规则"


class IndicatorValue(models.Model):
    """A computed resource indicator of a school part for a year, stored for the dashboard."""

    part = models.ForeignKey(SchoolPart, verbose_name=_("school part"), on_delete=models.CASCADE, related_name="values")
    year = models.PositiveSmallIntegerField(_("year"))
    code = models.SlugField(_("indicator code"), max_length=64, db_index=False)  # looked up with its year
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)
    threshold = models.DecimalField(_("threshold"), max_digits=12, decimal_places=4)
    reached = models.BooleanField(_("reached"))
    below_floor = models.BooleanField(_("below the floor"))

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["-year", "part", "code"]
        # year first: the dashboard, the trend and storing a year read by year (and the part's own index stays
        # for the cascade when a part is deleted)
        constraints = [models.UniqueConstraint(fields=["year", "part", "code"], name="unique_indicator_value")]

    def __str__(self):
        return f"{self.part} {self.year} {self.code} = {self.value}"


class CoefficientValue(models.Model):
    """A stored difference coefficient: one indicator, one stage, one year, over the county's schools."""

    year = models.PositiveSmallIntegerField(_("year"))
    stage = models.CharField(_("stage"), max_length=8, choices=Stage.choices)
    code = models.SlugField(_("indicator code"), max_length=64)
    coefficient = models.DecimalField(_("difference coefficient"), max_digits=10, decimal_places=6)
    county_ratio = models.DecimalField(_("county ratio"), max_digits=16, decimal_places=4)
    parts = models.PositiveIntegerField(_("school parts counted"))
    students = models.PositiveIntegerField(_("students counted"))
    threshold = models.DecimalField(_("threshold"), max_digits=12, decimal_places=4)
    reached = models.BooleanField(_("reached"))
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        verbose_name = _("difference coefficient")
        verbose_name_plural = _("difference coefficients")
        ordering = ["-year", "stage", "code"]
        constraints = [models.UniqueConstraint(fields=["year", "stage", "code"], name="unique_coefficient")]

    def __str__(self):
        return f"{self.year} {self.get_stage_display()} {self.code} = {self.coefficient}"
