"""Forms of the notice pages: urging (催办) and drafting a circular (通报).

They check the shape of the input; the rules (who may urge, no closed item, a deadline not in the
past, no unit both praised and criticised) are the services' (``notices.services``), whose refusals
the views show on these forms.
"""

from django import forms
from django.utils import timezone

from workflows.forms import ChineseForm, DateInput
from workflows.models import Period

from .reads import praisable_units

DEFAULT_CIRCULAR_TITLE = "关于{period}义务教育优质均衡发展工作推进情况的通报"


class UrgeForm(ChineseForm):
    message = forms.CharField(
        label="催办内容",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写催办内容。"},
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class UrgeUnitForm(UrgeForm):
    """Urging a unit: its overdue items by default, or every open one."""

    scope = forms.ChoiceField(
        label="催办范围",
        choices=[("overdue", "仅逾期任务"), ("open", "全部未办结任务")],
        initial="overdue",
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "请选择催办范围：仅逾期任务或全部未办结任务。"},
    )

    def clean_scope(self):
        return self.cleaned_data.get("scope") or "overdue"


class PreferencesForm(ChineseForm):
    """Per kind of notice: at once or in the daily digest (``notices.preferences``)."""

    def __init__(self, *args, modes, **kwargs):
        from .models import Notice, NoticePreference
        from .preferences import KIND_HELP

        super().__init__(*args, **kwargs)
        labels = dict(Notice.Kind.choices)
        for kind, help_text in KIND_HELP.items():
            self.fields[kind] = forms.ChoiceField(
                label=KIND_LABELS.get(kind, labels[kind]),
                help_text=help_text,
                choices=[(NoticePreference.Mode.IMMEDIATE, "即时"), (NoticePreference.Mode.DIGEST, "每日汇总")],
                initial=modes[kind],
                widget=forms.RadioSelect,
                error_messages={
                    "required": "请选择接收方式。",
                    "invalid_choice": "接收方式只能是“即时”或“每日汇总”。",
                },
            )


KIND_LABELS = {
    "assigned": "新交办",
    "returned": "退回整改",
    "urging": "催办",
    "rung": "到期和逾期提醒",
    "deadline": "截止日期调整",
    "extension": "延期申请",
    "signing": "退回交办",
    "reassigned": "经办人变更",
    "instruction": "领导批示",
    "submitted": "待检查",
    "accepted": "办结",
    "circular": "通报",
}


class InboxFilterForm(ChineseForm):
    """The inbox's filters: unread only, kind, period, words."""

    unread = forms.BooleanField(label="只看未读", required=False)
    kind = forms.ChoiceField(label="类型", required=False)
    period = forms.ModelChoiceField(
        label="周期",
        queryset=Period.objects.none(),
        required=False,
        empty_label="全部周期",
        error_messages={"invalid_choice": "没有这个周期，请重新选择。"},
    )
    q = forms.CharField(label="搜索", required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "全部类型"), *KIND_LABELS.items(), ("digest", "每日汇总")]
        self.fields["kind"].error_messages["invalid_choice"] = "没有这种通知类型，请重新选择。"
        self.fields["period"].queryset = period_choices()


def period_choices():
    return Period.objects.order_by("-starts_on", "-pk")


class PeriodForm(ChineseForm):
    """First step of a circular: the period whose overdue items it names."""

    period = forms.ModelChoiceField(
        label="通报周期",
        queryset=period_choices(),
        empty_label="请选择",
        error_messages={"invalid_choice": "没有这个周期，请重新选择。", "required": "请选择通报周期。"},
    )


class UnitChoicesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, unit):
        return str(unit)


class CircularForm(ChineseForm):
    """A draft circular for one period, prefilled with that period's candidates (``circular_candidates``)."""

    period = forms.ModelChoiceField(
        queryset=period_choices(),
        widget=forms.HiddenInput(attrs={"id": "id_circular_period"}),
        error_messages={"invalid_choice": "没有这个周期，请重新选择。", "required": "请选择通报周期。"},
    )
    title = forms.CharField(label="标题", max_length=200, error_messages={"required": "请填写通报标题。"})
    summary = forms.CharField(
        label="通报正文",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="总体情况、存在问题和工作要求；受表扬和被点名的单位及其逾期任务由系统列出。",
    )
    rectification_deadline = forms.DateField(
        label="整改期限", widget=DateInput, error_messages={"required": "请填写整改期限。", "invalid": "日期格式有误。"}
    )
    criticised = forms.TypedMultipleChoiceField(
        label="点名通报的单位",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "所选单位已不在通报候选中，请刷新页面后重新选择。"},
    )
    praised_units = UnitChoicesField(
        label="表扬的单位",
        queryset=praisable_units(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text="按住 Ctrl（Mac 为 ⌘）可多选。",
        error_messages={"invalid_choice": "所选单位不存在，请刷新页面后重新选择。"},
    )

    def __init__(self, *args, candidates, **kwargs):
        """``candidates``: {unit: [overdue items]} from ``circular_candidates(period)``."""
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        self.fields["criticised"].choices = [(unit.pk, str(unit)) for unit in candidates]
        self.fields["praised_units"].queryset = praisable_units()
        self.fields["rectification_deadline"].widget.attrs["min"] = timezone.localdate().isoformat()

    def criticised_units(self):
        """{unit: items} for the ticked units (after is_valid())."""
        chosen = set(self.cleaned_data.get("criticised") or ())
        return {unit: items for unit, items in self.candidates.items() if unit.pk in chosen}

    def candidate_rows(self):
        """(unit, items, ticked) for the template: each candidate unit with its overdue items."""
        if self.is_bound:
            ticked = {str(pk) for pk in self.data.getlist(self.add_prefix("criticised"))}
        else:
            ticked = {str(pk) for pk in self.initial.get("criticised", ())}
        return [(unit, items, str(unit.pk) in ticked) for unit, items in self.candidates.items()]
