"""The board's filters (django-filter), over the items the user may see.

They only narrow ``DutyItem.objects.for_user(user)``: whatever a user types in the query string, they never
see an item that queryset hides, and the choices offered (units, clauses) come from those items only.
"""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q

from departments import access
from departments.models import Unit
from workflows.models import DutyItem, DutyTemplate, ExtensionRequest, Period
from workflows.querysets import GREEN, GREY, LIGHT_LABELS, RED, YELLOW

LIGHT_CHOICES = [(light, LIGHT_LABELS[light]) for light in (RED, YELLOW, GREEN, GREY)]
ALL = "全部"


def _visible_items(request):
    return DutyItem.objects.for_user(request.user)


def owner_units(request):
    """Units that own an item the user can see: the unit filter offers nothing else. For the roles that see every
    item, asked unit by unit (an index probe each) rather than by collecting the owner of every item."""
    if access.sees_every_item(request.user):
        units = Unit.objects.filter(Exists(DutyItem.objects.filter(unit_id=OuterRef("pk"))))
    else:  # their own units that own an item, and the owners of the items they cooperate on
        mine = access.visible_unit_ids(request.user)
        owns = Exists(DutyItem.objects.filter(unit_id=OuterRef("pk")))
        cooperated = DutyItem.objects.cooperated_on_by(request.user).values("unit_id")
        units = Unit.objects.filter(Q(owns, pk__in=mine) | Q(pk__in=cooperated))
    return units.order_by("kind", "name")


def item_templates(request):
    if access.sees_every_item(request.user):
        templates = DutyTemplate.objects.filter(Exists(DutyItem.objects.filter(template_id=OuterRef("pk"))))
    else:
        templates = DutyTemplate.objects.filter(pk__in=_visible_items(request).values("template_id"))
    return templates.select_related("lead_unit").order_by(  # DutyTemplate.__str__ names it
        "plan_id", "paragraph", "clause"
    )


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
    pending_extension = django_filters.BooleanFilter(
        label="有待审批的延期申请", method="filter_pending_extension", widget=forms.CheckboxInput
    )

    class Meta:
        model = DutyItem
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # The templates and units that match are found once each (a few dozen rows), not joined to every item.
        templates = DutyTemplate.objects.filter(text__icontains=value).values("pk")
        units = Unit.objects.filter(Q(name__icontains=value) | Q(short_name__icontains=value)).values("pk")
        return queryset.filter(Q(title__icontains=value) | Q(template_id__in=templates) | Q(unit_id__in=units))

    def filter_cooperating(self, queryset, name, value):
        """Items one of the user's units cooperates on, a township's collective counting as its own."""
        if not value:
            return queryset
        return queryset.filter(pk__in=DutyItem.objects.cooperated_on_by(self.request.user).values("pk"))

    def filter_pending_extension(self, queryset, name, value):
        """Items with an extension request the office has not decided yet."""
        if not value:
            return queryset
        pending = ExtensionRequest.objects.filter(status=ExtensionRequest.Status.PENDING).values("item_id")
        return queryset.filter(pk__in=pending)

    def filter_queryset(self, queryset, exclude=()):
        """As django-filter's, but able to leave some filters out (the light counts ignore the light filter)."""
        for name, value in self.form.cleaned_data.items():
            if name not in exclude:
                queryset = self.filters[name].filter(queryset, value)
        return queryset
