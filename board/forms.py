"""Forms of the board: the office's bulk actions on the selected items, and the matrix's period.

The bulk form checks the shape of the input; the rules (a reason, no date in the past, a liaison of the
item's unit, an open item) are the services' (``workflows.services``, ``notices.services``).
"""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.utils import timezone

from departments import access
from departments.models import Membership
from departments.names import display_name
from workflows.forms import ChineseForm, DateInput
from workflows.models import DutyItem, Period


class LiaisonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        name = display_name(user)
        units = "、".join(str(m.unit) for m in user.liaison_memberships)
        return f"{name}（{units}）" if units else name


def liaisons():
    """Every active liaison, with their units (prefetched: one query for all labels)."""
    memberships = Membership.objects.liaisons().select_related("unit").order_by("unit__name")
    return access.liaison_users().prefetch_related(
        Prefetch("memberships", queryset=memberships, to_attr="liaison_memberships")
    )


class BulkForm(ChineseForm):
    """One of the office's bulk actions on the items ticked in the list."""

    EXTEND, REASSIGN, URGE = "extend", "reassign", "urge"

    action = forms.ChoiceField(choices=[(EXTEND, "调整截止日期"), (REASSIGN, "改派经办人"), (URGE, "催办")])
    items = forms.ModelMultipleChoiceField(
        queryset=DutyItem.objects.none(),
        required=False,
        error_messages={
            "invalid_choice": "所选任务不存在或您无权操作，请刷新页面后重新选择。",
            "invalid_pk_value": "所选任务不存在或您无权操作，请刷新页面后重新选择。",
        },
    )
    new_deadline = forms.DateField(label="新的截止日期", required=False, widget=DateInput)
    reason = forms.CharField(label="理由", required=False, max_length=500)
    assignee = LiaisonChoiceField(
        label="新的经办人", queryset=get_user_model().objects.none(), required=False, empty_label="请选择"
    )
    message = forms.CharField(
        label="催办内容", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    querystring = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = DutyItem.objects.for_user(user)
        self.fields["assignee"].queryset = liaisons()
        self.fields["new_deadline"].widget.attrs["min"] = timezone.localdate().isoformat()

    def clean(self):
        data = super().clean()
        if "items" in data and not data["items"]:
            self.add_error("items", "请至少选择一项任务。")
        if data.get("action") == self.EXTEND and "new_deadline" in data and data["new_deadline"] is None:
            self.add_error("new_deadline", "请填写新的截止日期。")
        if data.get("action") == self.REASSIGN and "assignee" in data and data["assignee"] is None:
            self.add_error("assignee", "请选择新的经办人。")
        if data.get("action") == self.URGE and "message" in data and not data["message"].strip():
            self.add_error("message", "请填写催办内容。")
        return data

    def selected_ids(self):
        """The ticked items as posted, valid or not, so the list can keep them ticked after an error."""
        return {int(pk) for pk in self.data.getlist("items") if str(pk).isdigit()}


class PeriodForm(ChineseForm):
    """The matrix's period; left empty, the one in progress (``workflows.periods.current_period``)."""

    period = forms.ModelChoiceField(
        label="周期",
        queryset=Period.objects.order_by("-starts_on", "-pk"),
        required=False,
        empty_label=None,
        error_messages={"invalid_choice": "没有这个周期，请重新选择。"},
    )
