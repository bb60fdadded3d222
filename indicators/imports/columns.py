"""The columns of the yearly figures file and the form that checks one row.

Headers are the figures' verbose names (with their units), so the template, the upload and the
admin say the same thing. A row is one school part (学段 小学 or 初中) or, for a school with two
parts whose shared figures exist only as school totals, one 全校 row holding those totals.
"""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError

from departments.imports.common import Column

from ..models import FIGURE_FIELDS, OPTIONAL_FIGURES, SchoolYearFigures, Stage, largest_value

WHOLE_SCHOOL = "whole"
STAGE_BY_LABEL = {"小学": Stage.PRIMARY, "初中": Stage.JUNIOR, "全校": WHOLE_SCHOOL}
LABEL_OF_STAGE = {value: label for label, value in STAGE_BY_LABEL.items()}
PER_PART = ("students", "classes", "largest_class")  # never shared: each part has its own
COPIED = ("music_room_min_area", "art_room_min_area")  # a smallest room is the same for both parts
SHARED = tuple(name for name in FIGURE_FIELDS if name not in PER_PART)
MISSING = "缺少"


def _field(name):
    return SchoolYearFigures._meta.get_field(name)


def _help(name):
    field = _field(name)
    kind = "整数" if field.get_internal_type() == "PositiveIntegerField" else "数字，可有两位小数"
    extra = f"；{field.help_text}" if field.help_text else ""
    if name in OPTIONAL_FIGURES:
        extra += "；可不填（不填的学校在培训经费检查中计为未填报），此列也可没有"
    if name in PER_PART:
        shared = "；每个学段填本学段的数，“全校”行不填"
    elif name in COPIED:
        shared = "；九年一贯制学校只有全校数据时，两个学段取“全校”行的值"
    else:
        shared = "；九年一贯制学校只有全校合计时，可在“全校”行填写，系统按在校生数 1 : 1.1（小学 : 初中）折算到两个学段"
    return f"{kind}，不能为负数{extra}{shared}"


FIGURE_COLUMNS = tuple(
    Column(name, str(_field(name).verbose_name), required=name not in OPTIONAL_FIGURES, help=_help(name))
    for name in FIGURE_FIELDS
)
COLUMNS = (
    Column("school", "学校名称", required=True, aliases=("学校",), help="系统中已有学校的全称或简称"),
    Column("stage", "学段", required=True, help="小学、初中，或“全校”（仅用于九年一贯制学校只有全校合计的数据）"),
    *FIGURE_COLUMNS,
)
HEADER_OF = {column.key: column.header for column in COLUMNS}


class FigureField(forms.Field):
    """A non-negative number in a cell: an integer for counts of students and classes, else two decimals."""

    def __init__(self, name, **kwargs):
        self.integer = _field(name).get_internal_type() == "PositiveIntegerField"
        self.largest = largest_value(name)
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        text = str(value or "").strip().replace(",", "").replace("，", "")
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation as error:
            raise ValidationError(f"不是数字：“{value}”") from error
        if not number.is_finite():
            raise ValidationError(f"不是数字：“{value}”")
        if number < 0:
            raise ValidationError("不能为负数")
        if number > self.largest:
            raise ValidationError(f"数值过大：“{value}”（最大 {self.largest:,}）")
        if self.integer:
            if number != number.to_integral_value():
                raise ValidationError(f"应为整数：“{value}”")
            return int(number)
        if number != number.quantize(Decimal("0.01")):
            raise ValidationError(f"最多两位小数：“{value}”")
        return number.quantize(Decimal("0.01"))


class FiguresRowForm(forms.Form):
    """One row. Shared figures may be blank on a part row: the cross-row check decides (a 全校 row, or 缺少).

    A row with no figure at all (the template lists every school part; a school that has not reported leaves its
    row as it is) is ``cleaned_data["blank"]``: not an error, the part is not reported. A row with some figures is
    checked in full, and every missing cell named.
    """

    school = forms.CharField(max_length=100, error_messages={"required": MISSING})
    stage = forms.TypedChoiceField(
        choices=[(label, label) for label in STAGE_BY_LABEL],
        coerce=STAGE_BY_LABEL.get,
        error_messages={"required": MISSING, "invalid_choice": "应为 小学、初中 或 全校，实际为“%(value)s”"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in FIGURE_FIELDS:
            self.fields[name] = FigureField(name)

    def clean(self):
        cleaned = super().clean()
        stage = cleaned.get("stage")
        cleaned["blank"] = not any(name in self.errors or cleaned.get(name) is not None for name in FIGURE_FIELDS)
        if cleaned["blank"]:
            return cleaned
        for name in PER_PART:
            value = cleaned.get(name)
            if stage == WHOLE_SCHOOL and value is not None:
                self.add_error(name, "“全校”行不填此列：每个学段各填本学段的数")
            elif stage and stage != WHOLE_SCHOOL and value is None and name not in self.errors:
                self.add_error(name, MISSING)
        if stage and stage != WHOLE_SCHOOL and cleaned.get("students") == 0 and "students" not in self.errors:
            self.add_error("students", "在校生数不能为0")
        if cleaned.get("classes") == 0 and cleaned.get("students") and "classes" not in self.errors:
            self.add_error("classes", "有在校生时班级数不能为0")
        return cleaned
