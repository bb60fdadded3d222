"""The calendar page's forms: the year shown, a day added, a day removed, a year acted on."""

from django import forms

from .services import FIRST_YEAR, LAST_YEAR


class YearField(forms.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(
            min_value=FIRST_YEAR,
            max_value=LAST_YEAR,
            error_messages={
                "required": "请填写年份。",
                "invalid": "年份须是整数，例如 2027。",
                "min_value": f"年份不能早于 {FIRST_YEAR} 年。",
                "max_value": f"年份不能晚于 {LAST_YEAR} 年。",
            },
            **kwargs,
        )


class YearForm(forms.Form):
    required_css_class = "required"  # the stylesheet marks required fields
    year = YearField(label="年份")


class DayForm(forms.Form):
    required_css_class = "required"  # the stylesheet marks required fields
    HOLIDAY, WORKED = "holiday", "worked"
    date = forms.DateField(
        label="日期",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "请填写日期。", "invalid": "日期格式不对，例如 2027-10-01。"},
    )
    kind = forms.ChoiceField(
        label="类型",
        choices=[(HOLIDAY, "放假（工作日休息）"), (WORKED, "调休上班（周末上班）")],
        error_messages={"required": "请选择类型。", "invalid_choice": "请选择放假或调休上班。"},
    )
    name = forms.CharField(
        label="名称",
        max_length=50,
        required=False,
        help_text="例如：春节、国庆节调休",
        error_messages={"max_length": "名称不能超过 50 个字。"},
    )


class RemoveDayForm(forms.Form):
    date = forms.DateField(error_messages={"required": "请指明要删除的日期。", "invalid": "日期格式不对。"})
