"""The unit list and a unit's page: its people, the duty templates it leads or cooperates on, its school profile."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, render

from departments import access
from departments.models import Membership, Unit
from indicators.models import SchoolProfile
from workflows.models import DutyItem
from workflows.querysets import duty_templates_for_unit

OPEN_ITEMS_SHOWN = 20  # the rest are on the board, filtered to the unit


@login_required
def unit_list(request):
    units = (
        Unit.objects.for_user(request.user)
        .filter(active=True)
        .select_related("parent")
        .annotate(
            lead_duty_count=Count("led_duty_templates", filter=Q(led_duty_templates__active=True), distinct=True),
            member_count=Count("member_units", distinct=True),
        )
        .order_by("kind", "name")
    )
    return render(request, "pages/unit_list.html", {"units": units})


@login_required
def unit_detail(request, pk):
    """A unit, its people, and the duty templates it leads or cooperates on. Other units' pages are 404."""
    unit = get_object_or_404(
        Unit.objects.for_user(request.user)
        .select_related("parent")
        .prefetch_related(
            Prefetch("member_units", queryset=Unit.objects.order_by("name")),
            Prefetch("collectives", queryset=Unit.objects.order_by("name")),
        ),
        pk=pk,
    )
    led_templates, cooperating_templates = duty_templates_for_unit(unit)
    open_items = (
        DutyItem.objects.for_user(request.user)
        .filter(unit=unit, stage__in=DutyItem.WORKING_STAGES)
        .select_related("period")
        .order_by("deadline", "pk")
    )
    memberships = list(Membership.objects.filter(unit=unit).select_related("user").order_by("role", "user__username"))
    context = {
        "unit": unit,
        "memberships": memberships,
        "resettable": access.people_whose_password_may_be_reset(request.user, {m.user_id for m in memberships}),
        "led_templates": led_templates,
        "cooperating_templates": cooperating_templates,
        "open_items": list(open_items[: OPEN_ITEMS_SHOWN + 1]),
        "open_items_shown": OPEN_ITEMS_SHOWN,
        "school_profile": SchoolProfile.objects.filter(unit=unit).first() if unit.kind == Unit.Kind.SCHOOL else None,
    }
    return render(request, "pages/unit_detail.html", context)
