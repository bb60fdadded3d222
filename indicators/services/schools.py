"""Writes on schools: setting up a school's profile and its parts, and editing one figure with its history."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from departments import access
from departments.models import Unit

from ..models import FIGURE_FIELDS, FigureEdit, SchoolPart, SchoolProfile, SchoolYearFigures, largest_value
from .store import refresh_year


@transaction.atomic
def register_school(unit, school_type, *, township=None, is_public=True, is_boarding=False):
    """The school's profile (created or updated) with one part per stage its type has. Idempotent."""
    if unit.kind != Unit.Kind.SCHOOL:
        raise ValidationError(f"“{unit.name}”不是学校")
    township = township or (unit.parent if unit.parent and unit.parent.kind == Unit.Kind.TOWNSHIP else None)
    profile, _created = SchoolProfile.objects.update_or_create(
        unit=unit,
        defaults={"school_type": school_type, "township": township, "is_public": is_public, "is_boarding": is_boarding},
    )
    ensure_parts(profile)
    return profile


@transaction.atomic
def ensure_parts(profile):
    """Give ``profile`` a part for every stage its type has (the admin calls it after saving a profile, whose
    type may have changed). Parts it already has are kept, a part its type no longer has is not removed (its
    figures stay). Idempotent; returns the parts created."""
    have = set(profile.parts.values_list("stage", flat=True))
    missing = [SchoolPart(school=profile, stage=stage) for stage in profile.stages if stage not in have]
    return SchoolPart.objects.bulk_create(missing, ignore_conflicts=True)


def parse_figure(field_name, text):
    """The value of ``text`` for ``field_name`` (int or Decimal), or ValidationError in Chinese."""
    field = SchoolYearFigures._meta.get_field(field_name)
    try:
        value = Decimal(str(text).strip().replace(",", ""))
    except InvalidOperation as error:
        raise ValidationError(f"{field.verbose_name}：不是数字") from error
    if not value.is_finite():
        raise ValidationError(f"{field.verbose_name}：不是数字")
    if value < 0:
        raise ValidationError(f"{field.verbose_name}：不能为负数")
    if value > largest_value(field_name):
        raise ValidationError(f"{field.verbose_name}：数值过大（最大 {largest_value(field_name):,}）")
    if field.get_internal_type() == "PositiveIntegerField":
        if value != value.to_integral_value():
            raise ValidationError(f"{field.verbose_name}：应为整数")
        value = int(value)
        if field_name == "students" and value == 0:
            raise ValidationError("在校生数不能为0")
    else:
        value = value.quantize(Decimal("0.01"))
    return value


@transaction.atomic
def edit_figure(user, figures, field_name, text, reason=""):
    """Change one figure of a part's year and record who changed it, when, from what to what.

    Editing a figure that was apportioned from a whole-school total makes it the part's own figure;
    the year's stored indicator values and coefficients are recomputed in the same transaction.
    Returns the FigureEdit, or None when the value is unchanged.
    """
    access.require(access.can_edit_school_figures(user), "只有领导小组办公室可以修改学校数据")
    if field_name not in FIGURE_FIELDS:
        raise ValidationError("没有这一项数据")
    figures = SchoolYearFigures.objects.select_for_update().get(pk=figures.pk)
    value = parse_figure(field_name, text)
    old = getattr(figures, field_name)
    if old == value:
        return None
    setattr(figures, field_name, value)
    figures.apportioned = {key: total for key, total in figures.apportioned.items() if key != field_name}
    figures.save()
    refresh_year(figures.year)  # same transaction: the dashboard reads the stored values
    return FigureEdit.objects.create(
        figures=figures,
        field=field_name,
        old_value="" if old is None else str(old),
        new_value=str(value),
        source=FigureEdit.Source.PAGE,
        reason=reason[:200],
        edited_by=user,
    )
