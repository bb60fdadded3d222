"""Forms of the board: the list's filters, and the office's bulk actions on the selected items.

The filters only narrow ``DutyItem.objects.for_user(user)``: whatever a user
types in the query string, they never see an item that queryset hides. The bulk
form checks the shape of the input; the rules (a reason, no date in the past, a
liaison of the item's unit) are the services' (``workflows.services``).
"""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q
from django.utils import timezone

from departments.models import Membership, Unit
from departments.names import display_name
from workflows.forms import ChineseForm, DateInput
from workflows.models import DutyItem, DutyTemplate, Period
from workflows.querysets import GREEN, GREY, LIGHT_LABELS, RED, YELLOW

LIGHT_CHOICES = [(light, LIGHT_LABELS[light]) for light in (RED, YELLOW, GREEN, GREY)]
ALL = "全部"


def _visible_items(request):
    return DutyItem.objects.for_user(request.user)


def owner_units(request):
    """Units that own an item the user can see: the unit filter offers nothing else."""
    return Unit.objects.filter(pk__in=_visible_items(request).values("unit_id")).order_by("kind", "name")


def item_templates(request):
    return (
        DutyTemplate.objects.filter(pk__in=_visible_items(request).values("template_id"))
        .select_related("lead_unit")  # DutyTemplate.__str__ names it
        .order_by("plan_id", "paragraph", "clause")
    )


def own_units(user):
    """The units the user belongs to (never every unit, whatever global permission they hold)."""
    return Unit.objects.with_object_permission(user, "view_unit")


class BoardFilter(django_filters.FilterSet):
    """The board's filters, over items already limited to what the user may see (and annotated with ``light``)."""

    q = django_filters.CharFilter(label="搜索", method="search", max_length=100)
    period = django_filters.ModelChoiceFilter(
        label="周期", queryset=Period.objects.order_by("-starts_on", "-pk"), empty_label=ALL
    )
    unit = django_filters.ModelChoiceFilter(label="承办单位", queryset=owner_units, empty_label=ALL)
    template = django_filters.ModelChoiceFilter(label="职责条款", queryset=item_templates, empty_label=ALL)
    stage = django_filters.ChoiceFilter(label="状态", choices=DutyItem.Stage.choices, empty_label=ALL)
    light = django_filters.ChoiceFilter(label="信号灯", choices=LIGHT_CHOICES, empty_label=ALL)
    cooperating = django_filters.BooleanFilter(
        label="仅看本单位配合的任务", method="filter_cooperating", widget=forms.CheckboxInput
    )

    class Meta:
        model = DutyItem
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(template__text__icontains=value)
            | Q(unit__name__icontains=value)
            | Q(unit__short_name__icontains=value)
        )

    def filter_cooperating(self, queryset, name, value):
        if not value:
            return queryset
        units = own_units(self.request.user).values("pk")
        through = DutyItem.cooperating_units.through.objects.filter(unit__in=units).values("dutyitem_id")
        return queryset.filter(pk__in=through).exclude(unit__in=units)

    def filter_queryset(self, queryset, exclude=()):
        """As django-filter's, but able to leave some filters out (the light counts ignore the light filter)."""
        for name, value in self.form.cleaned_data.items():
            if name not in exclude:
                queryset = self.filters[name].filter(queryset, value)
        return queryset


class LiaisonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        name = display_name(user)
        units = "、".join(str(m.unit) for m in user.liaison_memberships)
        return f"{name}（{units}）" if units else name


def liaisons():
    """Active users who are a liaison of some unit, with those units (prefetched: one query for all labels)."""
    memberships = Membership.objects.filter(role=Membership.Role.LIAISON).select_related("unit").order_by("unit__name")
    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__role=Membership.Role.LIAISON)
        .distinct()
        .prefetch_related(Prefetch("memberships", queryset=memberships, to_attr="liaison_memberships"))
        .order_by("last_name", "first_name", "username")
    )


class BulkForm(ChineseForm):
    """One of the office's bulk actions on the items ticked in the list."""

    EXTEND, REASSIGN = "extend", "reassign"

    action = forms.ChoiceField(choices=[(EXTEND, "调整截止日期"), (REASSIGN, "改派经办人")])
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
        return data

    def selected_ids(self):
        """The ticked items as posted, valid or not, so the list can keep them ticked after an error."""
        return {int(pk) for pk in self.data.getlist("items") if str(pk).isdigit()}


class PeriodForm(ChineseForm):
    """The matrix's period; left empty, the latest."""

    period = forms.ModelChoiceField(
        label="周期",
        queryset=Period.objects.order_by("-starts_on", "-pk"),
        required=False,
        empty_label=None,
        error_messages={"invalid_choice": "没有这个周期，请重新选择。"},
    )
