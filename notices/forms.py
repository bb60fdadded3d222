"""Forms of the notice pages: urging (催办) and drafting a circular (通报).

They check the shape of the input; the rules (who may urge, no closed item, a deadline not in the
past, no unit both praised and criticised) are the services' (``notices.services``), whose refusals
the views show on these forms.
"""

from django import forms
from django.utils import timezone

from workflows.forms import ChineseForm, DateInput
from workflows.models import Period

from .models import Rung
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
        """``candidates``: {unit: UnitCandidates} from ``circular_candidates(period)``."""
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        self.fields["criticised"].choices = [(unit.pk, str(unit)) for unit in candidates]
        self.fields["praised_units"].queryset = praisable_units()
        self.fields["rectification_deadline"].widget.attrs["min"] = timezone.localdate().isoformat()

    def criticised_units(self):
        """The ticked units (after is_valid()); the service names each with all its candidates."""
        chosen = set(self.cleaned_data.get("criticised") or ())
        return [unit for unit in self.candidates if unit.pk in chosen]

    def candidate_rows(self):
        """(UnitCandidates, ticked) for the template: each candidate unit, its count and its first items."""
        if self.is_bound:
            ticked = {str(pk) for pk in self.data.getlist(self.add_prefix("criticised"))}
        else:
            ticked = {str(pk) for pk in self.initial.get("criticised", ())}
        return [(group, str(unit.pk) in ticked) for unit, group in self.candidates.items()]


class RungForm(forms.ModelForm):
    """One rung of the escalation ladder, with what the sweep needs of it said in Chinese (``notices.services.sweep``):
    a before-deadline reminder is sent once (a later rung follows it), an unsigned reminder once per item, counted
    from the hand-over; somebody must be told, through at least one channel."""

    OFFSET_RANGE = (-60, 365)

    class Meta:
        model = Rung
        fields = list(Rung.SETTINGS)
        labels = {
            "name": "名称",
            "applies_to": "适用于",
            "offset_days": "天数",
            "repeat_every_days": "重复间隔（天）",
        }
        help_texts = {
            "offset_days": (
                "未提交的任务：距截止日期的天数，负数为截止前（-7 即截止前7天），0 为截止当天，正数为逾期天数。"
                "未签收的任务：交办后的天数（至少1天）。"
            ),
            "repeat_every_days": "留空只发一次；填 N 则之后每隔 N 天再发（仅用于截止当天及逾期后）。",
        }
        error_messages = {
            "name": {"required": "请填写阶梯名称。", "max_length": "名称最多 50 个字。"},
            "applies_to": {"required": "请选择适用的任务。", "invalid_choice": "请选择适用的任务。"},
            "offset_days": {"required": "请填写天数。", "invalid": "天数须为整数。"},
            "repeat_every_days": {"invalid": "重复间隔须为整数天数。"},
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "：")
        super().__init__(*args, **kwargs)
        low, high = self.OFFSET_RANGE
        self.fields["offset_days"].widget.attrs.update(min=low, max=high)
        self.fields["repeat_every_days"].widget.attrs.update(min=1, max=365)
        self.fields["applies_to"].choices = [
            ("deadline", "未提交的任务（按截止日期计）"),
            ("unsigned", "未签收的任务（按交办日期计）"),
        ]

    def clean_offset_days(self):
        offset = self.cleaned_data["offset_days"]
        low, high = self.OFFSET_RANGE
        if not low <= offset <= high:
            raise forms.ValidationError(f"天数须在 {low} 到 {high} 之间。")
        return offset

    def clean_repeat_every_days(self):
        repeat = self.cleaned_data.get("repeat_every_days")
        if repeat is not None and not 1 <= repeat <= 365:
            raise forms.ValidationError("重复间隔须在 1 到 365 天之间；只发一次请留空。")
        return repeat

    def clean(self):
        data = super().clean()
        applies, offset, repeat = data.get("applies_to"), data.get("offset_days"), data.get("repeat_every_days")
        if applies == "unsigned" and offset is not None and offset < 1:
            self.add_error("offset_days", "未签收提醒按交办后的天数计，至少为 1 天。")
        if applies == "unsigned" and repeat:
            self.add_error("repeat_every_days", "未签收提醒每项任务只发一次，请将重复间隔留空。")
        if applies == "deadline" and repeat and offset is not None and offset < 0:
            self.add_error("repeat_every_days", "截止前的提醒只发一次，请将重复间隔留空；需要多次提醒请另设一级阶梯。")
        audiences = ["notify_liaisons", "notify_unit_leaders", "notify_government_office", "notify_leadership_office"]
        if not any(data.get(name) for name in audiences):
            self.add_error(None, "请至少选择一类通知对象。")
        if not (data.get("in_app") or data.get("email")):
            self.add_error(None, "请至少选择一种发送方式：站内通知或电子邮件。")
        return data
