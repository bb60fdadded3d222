"""Circulars (通报): the list, drafting one from a period's candidates, the printable page, publishing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from departments import access
from departments.http import post_only
from workflows.models import DutyItem
from workflows.periods import current_period

from ..forms import DEFAULT_CIRCULAR_TITLE, CircularForm, PeriodForm
from ..models import Circular, Criticism
from ..reads import circular_candidates, praisable_units, suggested_criticism, units_closed_on_time
from ..services import draft_circular, publish_circular
from .common import PAGE_SIZE, add_service_errors

SERIES_TITLE = "{county}义务教育优质均衡发展工作通报"  # the county is the plan's (its issuer's)


@login_required
@require_safe
def circular_list(request):
    """Published circulars for everyone signed in; the office sees its drafts too."""
    circulars = Circular.objects.for_user(request.user).for_list()
    page = Paginator(circulars, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page_obj": page, "filter_params": request.GET, "can_draft": access.is_office(request.user)}
    return render(request, "notices/circular_list.html", {**context, "active": "circulars"})


def _suggested_praise(period, candidates):
    """Units whose items of the period were all closed on time, and that are not named for overdue items."""
    named = {unit.pk for unit in candidates}
    closed = units_closed_on_time(period) - named
    return list(praisable_units().filter(pk__in=closed))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def circular_create(request):
    """Step 1 (GET ?period=): choose the period. Step 2: the draft, prefilled with the period's candidates."""
    access.require(access.is_office(request.user), "只有县政府办公室可以起草通报。")
    data = request.POST if request.method == "POST" else request.GET
    period_form = PeriodForm(
        data if request.method == "POST" or "period" in data else None,
        initial={"period": current_period(timezone.localdate())},  # step 1 opens on the period in progress
    )
    if not period_form.is_valid():
        status = 400 if period_form.is_bound else 200
        return render(request, "notices/circular_create.html", {"period_form": period_form}, status=status)
    period = period_form.cleaned_data["period"]
    candidates = circular_candidates(period)
    suggested = _suggested_praise(period, candidates)
    if request.method != "POST":
        initial = {
            "period": period,
            "title": DEFAULT_CIRCULAR_TITLE.format(period=period.label),
            "criticised": [unit.pk for unit in candidates],
            "praised_units": suggested,
        }
        form = CircularForm(initial=initial, candidates=candidates)
        return _render_form(request, period_form, form, period, suggested)
    form = CircularForm(request.POST, candidates=candidates)
    if form.is_valid():
        data = form.cleaned_data
        try:
            circular = draft_circular(
                request.user,
                title=data["title"],
                period=period,
                rectification_deadline=data["rectification_deadline"],
                criticised=form.criticised_units(),
                praised_units=list(data["praised_units"]),
                summary=data["summary"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "通报草稿已保存。请核对后发布；发布后将通知各单位，并为被点名单位生成整改任务。")
            return redirect(circular.get_absolute_url())
    return _render_form(request, period_form, form, period, suggested, status=400)


def _render_form(request, period_form, form, period, suggested, status=200):
    context = {
        "period_form": period_form,
        "form": form,
        "period": period,
        "suggested": suggested,
        "to_criticise": suggested_criticism(period),
    }
    return render(request, "notices/circular_create.html", context, status=status)


CIRCULAR_ITEMS_SHOWN = 20  # items printed under each named unit; ``?unit=`` lists all of one unit's, page by page
UNIT_ITEMS_PAGE = 100


@login_required
@require_safe
def circular_detail(request, pk):
    """The circular as it is printed and sent: praised units, units named with their overdue items (the first
    ``CIRCULAR_ITEMS_SHOWN`` of each, and how many more; ``?unit=<id>`` pages through all of one unit's), deadline.
    A fixed number of queries however many items the circular names."""
    circular = get_object_or_404(
        Circular.objects.for_user(request.user).select_related("period__plan", "created_by"), pk=pk
    )
    first_items = DutyItem.objects.order_by("deadline", "pk")[:CIRCULAR_ITEMS_SHOWN]
    criticisms = list(
        Criticism.objects.filter(circular=circular)
        .select_related("unit", "rectification_item")
        .annotate(item_count=Count("items"))
        .prefetch_related(Prefetch("items", queryset=first_items, to_attr="shown_items"))
        .order_by("unit__name")
    )
    unit_id = request.GET.get("unit", "")
    expanded = next((c for c in criticisms if str(c.unit_id) == unit_id), None)
    unit_page = None
    if expanded is not None:
        paginator = Paginator(expanded.items.order_by("deadline", "pk"), UNIT_ITEMS_PAGE)
        paginator.count = expanded.item_count  # known already: no COUNT query (set before get_page reads it)
        unit_page = paginator.get_page(request.GET.get("page"))
        expanded.shown_items = list(unit_page.object_list)
    for criticism in criticisms:
        criticism.more_items = 0 if criticism is expanded else criticism.item_count - len(criticism.shown_items)
    rectification_ids = [c.rectification_item_id for c in criticisms if c.rectification_item_id]
    visible = set(DutyItem.objects.for_user(request.user).filter(pk__in=rectification_ids).values_list("pk", flat=True))
    context = {
        "circular": circular,
        "series_title": SERIES_TITLE.format(county=circular.period.plan.county_name),
        "praised": circular.praised_units.order_by("kind", "name"),
        "criticisms": criticisms,
        "expanded": expanded,
        "page_obj": unit_page,
        "filter_params": request.GET,
        "visible_rectifications": visible,
        "can_publish": access.is_office(request.user) and circular.status == Circular.Status.DRAFT,
    }
    return render(request, "notices/circular_detail.html", context)


@login_required
@post_only("notices:circular_detail", kwargs=["pk"])
def circular_publish(request, pk):
    access.require(access.is_office(request.user), "只有县政府办公室可以发布通报。")
    circular = get_object_or_404(Circular, pk=pk)
    try:
        publish_circular(request.user, circular)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, "通报已发布：已通知各单位，并为被点名的单位生成了整改任务。")
    return redirect(circular.get_absolute_url())
