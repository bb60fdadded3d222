"""Queries for plan pages: fixed query counts whatever the number of rows."""

from django.db.models import Prefetch, Q

from departments.models import Unit

from .models import DutyTemplate


def owner_ids(unit):
    """The unit itself and the collectives it belongs to: a township carries 各乡镇（街道）'s duties."""
    return {unit.pk, *unit.collectives.values_list("pk", flat=True)}


def duty_templates_for_unit(unit):
    """Active templates the unit (or a collective it belongs to) leads or cooperates on.

    Returns (led, cooperating), each a list in document order.
    """
    owners = owner_ids(unit)
    templates = list(
        DutyTemplate.objects.filter(active=True)
        .filter(Q(lead_unit_id__in=owners) | Q(cooperating_units__in=owners))
        .distinct()
        .select_related("lead_unit", "plan")
        .prefetch_related(Prefetch("cooperating_units", queryset=Unit.objects.order_by("name")))
        .order_by("plan_id", "paragraph", "clause")
    )
    led = [t for t in templates if t.lead_unit_id in owners]
    cooperating = [t for t in templates if t.lead_unit_id not in owners]
    return led, cooperating
