"""The home page: the person's to-do list, one section per role they hold (``pages.reads.home``), then what
each role can open (the template asks ``can``) and the user's units."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from departments.models import Membership
from departments.roles import CrossUnitRole, roles_of
from indicators.reads.county import enterable as county_measures_for
from workflows.models import Plan

from ..reads.home import sections


@login_required
def home(request):
    user = request.user
    my_memberships = Membership.objects.filter(user=user).select_related("unit").order_by("unit__name", "role")
    todo = sections(user)
    context = {
        "roles": sorted(CrossUnitRole(role).label for role in roles_of(user)),
        "my_memberships": my_memberships,
        "plans": Plan.objects.order_by("-issued_on"),
        # a unit the plan makes responsible for a county-level indicator enters its figure (县级指标)
        "enters_county_figures": bool(county_measures_for(user)) if my_memberships else False,
        "todo": todo,
        "has_todo": any(section is not None for section in todo.values()),
    }
    return render(request, "pages/home.html", context)
