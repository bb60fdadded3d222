"""The unit list and a unit's page: its people, the duty templates it leads or cooperates on, its school profile."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, render

from departments import access
from departments.models import Membership, Unit
from indicators.models import SchoolProfile
from workflows.models import DutyItem
from workflows.querysets import duty_templates_for_unit

from ..forms import UnitFilterForm

OPEN_ITEMS_SHOWN = 20  # the rest are on the board, filtered to the unit
PAGE_SIZE = 50  # units per page of the unit list


@login_required
def unit_list(request):
    """The units the person may see, by kind and name, a page at a time (5,000 schools are not one page), filtered
    by kind and name; each row's counts are read for the page's units only."""
    form = UnitFilterForm(request.GET)
    units = form.filter(Unit.objects.for_user(request.user).filter(active=True))
    page = Paginator(units.select_related("parent").order_by("kind", "name", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = list(page.object_list)
    counts = (
        Unit.objects.filter(pk__in=[unit.pk for unit in rows])
        .annotate(
            lead_duty_count=Count("led_duty_templates", filter=Q(led_duty_templates__active=True), distinct=True),
            member_count=Count("member_units", distinct=True),
        )
        .values_list("pk", "lead_duty_count", "member_count")
    )
    by_pk = {pk: (led, members) for pk, led, members in counts}
    for unit in rows:
        unit.lead_duty_count, unit.member_count = by_pk[unit.pk]
    context = {"units": rows, "form": form, "page_obj": page, "filter_params": request.GET}
    return render(request, "pages/unit_list.html", context)


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
