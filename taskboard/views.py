"""Pages that compose several apps: the home page and the unit pages."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, render

from departments.models import Membership, Unit
from departments.roles import CrossUnitRole, roles_of
from indicators.models import SchoolProfile
from indicators.services.county import enterable as county_measures_for
from workflows.models import Plan
from workflows.querysets import duty_templates_for_unit


@login_required
def home(request):
    user = request.user
    roles = roles_of(user)
    my_units = (
        Unit.objects.filter(memberships__user=user)
        .annotate(lead_duty_count=Count("led_duty_templates", filter=Q(led_duty_templates__active=True)))
        .distinct()
        .order_by("name")
    )
    my_memberships = Membership.objects.filter(user=user).select_related("unit").order_by("unit__name", "role")
    context = {
        "roles": sorted(CrossUnitRole(role).label for role in roles),
        "is_government_office": CrossUnitRole.GOVERNMENT_OFFICE in roles,
        "is_inspector": CrossUnitRole.INSPECTOR in roles,
        "is_plan_office": CrossUnitRole.PLAN_OFFICE in roles,
        "is_assessment_reader": CrossUnitRole.ASSESSMENT_READER in roles,
        "is_administrator": CrossUnitRole.ADMINISTRATOR in roles,
        "my_units": my_units,
        "my_memberships": my_memberships,
        "plans": Plan.objects.order_by("-issued_on"),
        "can_import_units": user.has_perm("departments.add_unit"),
        "can_import_people": user.has_perm("departments.add_membership") and user.has_perm("auth.add_user"),
        # a unit the plan makes responsible for a county-level indicator enters its figure (县级指标)
        "enters_county_figures": bool(county_measures_for(user)) if my_memberships else False,
    }
    return render(request, "taskboard/home.html", context)


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
    return render(request, "taskboard/unit_list.html", {"units": units})


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
    context = {
        "unit": unit,
        "memberships": Membership.objects.filter(unit=unit).select_related("user").order_by("role", "user__username"),
        "led_templates": led_templates,
        "cooperating_templates": cooperating_templates,
        "visible_unit_ids": set(Unit.objects.for_user(request.user).values_list("pk", flat=True)),
        "school_profile": SchoolProfile.objects.filter(unit=unit).first() if unit.kind == Unit.Kind.SCHOOL else None,
    }
    return render(request, "taskboard/unit_detail.html", context)
