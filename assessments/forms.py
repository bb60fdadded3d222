"""The organisation department's forms: the year's scheme, a run to compute, and the ranking's filters."""

from django import forms
from django.utils import timezone

from departments.models import Unit
from workflows.forms import ChineseForm, DateInput
from workflows.models import Period
from workflows.periods import last_complete_year

from .computation.parameters import MONEY_FIELDS, OPTION_DEFAULTS
from .models import AssessmentRun, ScoringScheme

WORKING_DAY_OPTIONS = tuple(OPTION_DEFAULTS)  # lateness_from, count_signing_time, signing_days_allowed, per_late_…


class SchemeForm(forms.ModelForm):
    required_css_class = "required"  # the stylesheet marks required fields

    class Meta:
        model = ScoringScheme
        fields = [
            *(name for name in MONEY_FIELDS if name not in WORKING_DAY_OPTIONS),
            *WORKING_DAY_OPTIONS,
            "count_plan_duties",
            "count_ad_hoc",
            "count_rectifications",
            "periods",
        ]
        widgets = {"periods": forms.CheckboxSelectMultiple, "lateness_from": forms.RadioSelect}
        help_texts = {
            "lateness_from": "单位申请延期并获批准的任务，逾期天数和是否按时完成从哪个截止日期算起。"
            "选“原截止日期”时，从第一次获批的延期申请提出时的截止日期算起；督查室直接调整截止日期、"
            "审核退回重定的截止日期照常有效。",
            "count_signing_time": "勾选后，本单位牵头的参评任务从交办到签收超过允许天数的，每超过一天扣分"
            "（截至统计截止日期仍未签收的，算到该日）；不勾选则签收用时不计分。",
            "signing_days_allowed": "交办当天之后的自然日数，仅在计入签收用时时有效。",
            "per_late_signing_day": "每项任务每超过一天扣的分数，按单位合计为一行扣分。",
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "：")
        super().__init__(*args, **kwargs)
        self.fields["periods"].queryset = Period.objects.order_by("starts_on")

    def clean(self):
        cleaned = super().clean()
        for name in MONEY_FIELDS:
            value = cleaned.get(name)
            if value is not None and value < 0:
                self.add_error(name, "不能为负数。")
        if cleaned.get("lead_weight") is not None and cleaned["lead_weight"] <= 0:
            self.add_error("lead_weight", "牵头任务权重必须大于0：牵头单位是任务的主要责任单位。")
        if not any(cleaned.get(name) for name in ("count_plan_duties", "count_ad_hoc", "count_rectifications")):
            raise forms.ValidationError("至少要计入一类任务。")
        return cleaned


class StartRunForm(ChineseForm):
    year = forms.IntegerField(label="考核年度", min_value=2021, max_value=2100)
    as_of = forms.DateField(
        label="统计截止日期",
        required=False,
        widget=DateInput,
        help_text="留空：往年取12月31日，本年取今天。截至该日（含当日）到期的任务参加考核，该日结束时仍未提交的计为逾期。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = default_run_year(timezone.localdate())


def default_run_year(today):
    """The year the start form offers: the year just ended, until its assessment is published; then this year
    (whose draft the department keeps computing as the year goes on)."""
    ended = last_complete_year(today)
    published = AssessmentRun.objects.filter(year=ended).exclude(status=AssessmentRun.Status.DRAFT).exists()
    return today.year if published else ended


class RankingFilterForm(ChineseForm):
    KIND_CHOICES = [("", "全部类型")] + [
        (value, label) for value, label in Unit.Kind.choices if value != Unit.Kind.COLLECTIVE
    ]
    kind = forms.ChoiceField(label="单位类型", choices=KIND_CHOICES, required=False)
    q = forms.CharField(label="单位名称", required=False, max_length=50)
    below = forms.DecimalField(label="得分低于", required=False, min_value=0, max_digits=7, decimal_places=2)


class TokenForm(ChineseForm):
    """A new API token: the name of the system that will use it."""

    name = forms.CharField(
        label="用途（使用令牌的系统）",
        max_length=100,
        help_text="例如：组织部考核系统。令牌以您的账号身份读取已发布的考核结果。",
        error_messages={"required": "请填写令牌的用途。", "max_length": "用途最多 100 个字。"},
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("请填写令牌的用途。")
        return name
