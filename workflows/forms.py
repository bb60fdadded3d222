"""Forms for the item steps and the office's tools. Files are checked by the services (workflows.evidence)."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from departments import access
from departments.models import Unit
from departments.names import display_name

from .evidence import ACCEPT, ALLOWED_EXTENSIONS_TEXT
from .models import DutyItem, Phase
from .services.office import MAX_WORKING_DAYS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; ``accept`` lists the evidence types (image/* first: a phone offers its camera)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class DateInput(forms.DateInput):
    """An HTML date picker: browsers accept only ISO dates in its value, whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ChineseForm(forms.Form):
    """Labels end with a full-width colon, as Chinese text does; a required field's row has the class ``required``
    (the stylesheet marks it)."""

    required_css_class = "required"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "：")
        super().__init__(*args, **kwargs)


def evidence_field():
    return MultipleFileField(label="附件", required=False, help_text=ALLOWED_EXTENSIONS_TEXT)


class ReportForm(ChineseForm):
    text = forms.CharField(label="办理情况", widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)
    progress = forms.IntegerField(label="完成进度（%）", min_value=0, max_value=100, required=False)
    files = evidence_field()


class ContributionForm(ChineseForm):
    text = forms.CharField(label="配合情况", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    files = evidence_field()


class InspectForm(ChineseForm):
    # No verdict chosen beforehand: the inspector picks one (a preset 通过 closed items by a careless click).
    verdict = forms.ChoiceField(
        label="检查结论",
        choices=[("", "请选择"), ("accept", "通过，办结"), ("return", "退回整改")],
        # site.js shows the new deadline only for a return (the server requires it there either way).
        widget=forms.Select(attrs={"data-reveals": "new_deadline", "data-reveals-on": "return"}),
    )
    reasons = forms.CharField(
        label="意见或退回理由",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="退回时必填。",
    )
    new_deadline = forms.DateField(
        label="整改截止日期", required=False, widget=DateInput, help_text="仅退回整改时填写（必填）；通过时不填。"
    )

    def clean(self):
        data = super().clean()
        if data.get("verdict") == "return":
            if not (data.get("reasons") or "").strip():
                self.add_error("reasons", "退回时须写明理由。")
            if data.get("new_deadline") is None:
                self.add_error("new_deadline", "退回时须给出新的截止日期。")
        return data


class AssignForm(ChineseForm):
    deadline = forms.DateField(label="截止日期", widget=DateInput)
    assignee = forms.ModelChoiceField(label="经办人", queryset=get_user_model().objects.none(), required=False)
    instructions = forms.CharField(label="交办要求", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    reason = forms.CharField(label="修改截止日期的理由", required=False, max_length=500)

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = access.liaison_users([item.unit_id])
        self.fields["assignee"].label_from_instance = display_name


class WithdrawForm(ChineseForm):
    reason = forms.CharField(label="撤回理由", widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class OpenCycleForm(ChineseForm):
    year = forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2100)
    phase = forms.ModelChoiceField(label="或实施阶段", queryset=Phase.objects.none(), required=False)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = plan.phases.all()
        self.fields["year"].initial = timezone.localdate().year

    def clean(self):
        data = super().clean()
        if (data.get("year") is None) == (data.get("phase") is None):
            raise forms.ValidationError("请填写年度，或选择一个实施阶段（二选一）。")
        return data


class AdHocItemForm(ChineseForm):
    unit = forms.ModelChoiceField(label="承办单位", queryset=Unit.objects.exclude(kind=Unit.Kind.COLLECTIVE))
    kind = forms.ChoiceField(
        label="类型", choices=[(DutyItem.Kind.AD_HOC, "临时交办"), (DutyItem.Kind.RECTIFICATION, "整改")]
    )
    title = forms.CharField(label="任务", max_length=200)
    instructions = forms.CharField(label="交办要求", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    deadline = forms.DateField(label="截止日期", widget=DateInput, required=False)
    working_days = forms.IntegerField(
        label="或办理时限（工作日）",
        min_value=1,
        max_value=MAX_WORKING_DAYS,
        required=False,
        help_text="如“5个工作日内”填 5：自今天起按工作日历（节假日、调休）计算截止日期。",
    )
    cooperating_units = forms.ModelMultipleChoiceField(
        label="配合单位", queryset=Unit.objects.exclude(kind=Unit.Kind.COLLECTIVE), required=False
    )

    def clean(self):
        data = super().clean()
        if "deadline" in self.errors or "working_days" in self.errors:
            return data
        if (data.get("deadline") is None) == (data.get("working_days") is None):
            raise forms.ValidationError("请填写截止日期，或填写办理时限（工作日），二选一。")
        return data


class SignForm(ChineseForm):
    """签收: one click, nothing to fill in."""


class HandBackForm(ChineseForm):
    reason = forms.CharField(label="退回理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)


class ResolveHandBackForm(ChineseForm):
    new_unit = forms.ModelChoiceField(
        label="改由单位承办",
        queryset=Unit.objects.exclude(kind=Unit.Kind.COLLECTIVE).order_by("kind", "name"),
        required=False,
        empty_label="（不改，确认由原单位承办）",
    )
    note = forms.CharField(label="处理意见", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=1000)


class ExtensionRequestForm(ChineseForm):
    requested_deadline = forms.DateField(label="申请延至", widget=DateInput)
    reason = forms.CharField(label="延期理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    files = evidence_field()


class DecideExtensionForm(ChineseForm):
    request = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(label="审批结论", choices=[("approve", "同意延期"), ("reject", "不同意")])
    reason = forms.CharField(
        label="审批意见（不同意时必填）", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=1000
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", "不同意延期须说明理由。")
        return data


class InstructionForm(ChineseForm):
    text = forms.CharField(label="批示内容", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
