"""Entering a county-level figure of a year (县级指标填报): checked, authorised, one row per (year, code, scope).

Which measures exist and who enters which is read by ``reads.county``.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from ..models import CountyFigure
from ..reads.county import enterable, measures

UNCAPPED = {"teacher_pay_vs_civil_servants"}  # a % that may exceed 100


def parse_value(measure, text):
    """The Decimal of ``text`` for ``measure``, or ValidationError in Chinese."""
    try:
        value = Decimal(str(text).strip().replace(",", "").removesuffix("%"))
    except InvalidOperation as error:
        raise ValidationError(f"{measure.label}：不是数字") from error
    if not value.is_finite():
        raise ValidationError(f"{measure.label}：不是数字")
    if value < 0:
        raise ValidationError(f"{measure.label}：不能为负数")
    if measure.unit == "%" and measure.code not in UNCAPPED and value > 100:
        raise ValidationError(f"{measure.label}：百分比不能超过100")
    if value >= Decimal("1e12"):
        raise ValidationError(f"{measure.label}：数值过大")
    return value.quantize(Decimal("0.0001"))


@transaction.atomic
def enter_county_figure(user, year, key, text, note=""):
    """Record (or replace) the figure of ``key`` ("code|scope") for ``year``. Returns the CountyFigure."""
    known = {measure.key: measure for measure in measures()}
    measure = known.get(key)
    if measure is None:
        raise ValidationError("没有这一项县级指标")
    if measure.computed:
        raise ValidationError(f"{measure.label}由各学校学段数据计算，不需要填报")
    if measure.key not in {allowed.key for allowed in enterable(user)}:
        raise PermissionDenied(f"{measure.label}不由您的单位填报")
    value = parse_value(measure, text)
    figure, _created = CountyFigure.objects.update_or_create(
        year=year,
        code=measure.code,
        scope=measure.scope,
        defaults={"value": value, "note": note[:200], "entered_by": user},
    )
    return figure
