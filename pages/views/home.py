"""The home page: what each role can do, and the user's units."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render

from departments.models import Membership, Unit
from departments.roles import CrossUnitRole, roles_of
from indicators.services.county import enterable as county_measures_for
from workflows.models import Plan


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
    return render(request, "pages/home.html", context)
