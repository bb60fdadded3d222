"""The office's overdue dashboard and the list of deliveries that failed (with a retry for the office)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from departments import access
from departments.http import post_only
from departments.names import display_name
from workflows.models import DutyItem

from ..models import Delivery
from ..reads import (
    BUCKET_KEYS,
    OVERDUE_BUCKETS,
    bucket_counts,
    bucket_filter,
    by_top_rung,
    by_unit,
    candidates_by_unit,
    circular_candidate_items,
    failed_deliveries,
    overdue_items,
    top_rungs_of,
)
from ..services import retry_delivery as retry_delivery_service
from .common import PAGE_SIZE, label_channels


def _positive_int(value):
    return int(value) if isinstance(value, str) and value.isdigit() and 0 < int(value) < 2**31 else None


@login_required
@access.required(access.sees_every_item)
@require_safe
def overdue(request):
    """Open overdue items by days overdue, by unit and by the highest rung reached; the circular candidates by unit
    (their count and first items, the rest a link to the list below filtered on the unit's candidates); the list of
    overdue items, narrowed to a span of days, a unit, a period or the candidates. A fixed number of queries, and
    only the page's rows loaded, whatever the number of overdue items."""
    today = timezone.localdate()
    items = overdue_items(request.user, today)
    bucket = request.GET.get("bucket")
    bucket = bucket if bucket in BUCKET_KEYS else None
    unit, period = _positive_int(request.GET.get("unit")), _positive_int(request.GET.get("period"))
    only_candidates = request.GET.get("candidates") == "1"
    buckets = bucket_counts(items, today)
    total = sum(count for _key, _label, count in buckets)
    units = by_unit(items)
    listed = items.filter(bucket_filter(bucket, today)) if bucket else items
    if unit:
        listed = listed.filter(unit_id=unit)
    if period:
        listed = listed.filter(period_id=period)
    if only_candidates:
        listed = circular_candidate_items(listed)
    # The page's ids first (the order and OFFSET over narrow rows), then its rows with their units and periods.
    paginator = Paginator(listed.order_by("deadline", "unit__name", "pk").values_list("pk", flat=True), PAGE_SIZE)
    if not (unit or period or only_candidates):  # the count is on the page already: no second COUNT
        paginator.count = dict((key, count) for key, _label, count in buckets)[bucket] if bucket else total
    page = paginator.get_page(request.GET.get("page"))
    ids = list(page.object_list)
    rows = DutyItem.objects.select_related("unit", "period").in_bulk(ids)
    page.object_list = [rows[pk] for pk in ids]
    tops = top_rungs_of(item.pk for item in page.object_list)
    for item in page.object_list:
        item.days_overdue = (today - item.deadline).days
        item.top_rung_name = tops.get(item.pk)
    candidates = candidates_by_unit(circular_candidate_items(items))
    filtered_unit = next((row for row in units if row["unit"] == unit), None) if unit else None
    context = {
        "today": today,
        "buckets": buckets,
        "bucket": bucket,
        "bucket_label": dict((key, label) for key, label, *_rest in OVERDUE_BUCKETS).get(bucket),
        "filtered_unit": filtered_unit,
        "filtered": bool(unit or period or only_candidates),
        "only_candidates": only_candidates,
        "units": units,
        "rungs": by_top_rung(items, total),
        "page_obj": page,
        "filter_params": request.GET,
        "candidates": candidates,
        "candidate_count": sum(group.count for group in candidates),
        "can_urge": access.is_office(request.user),
        "here": request.get_full_path(),
        "active": "overdue",
    }
    return render(request, "notices/overdue.html", context)


@login_required
@access.required(access.sees_every_item)
@require_safe
def failures(request):
    """Deliveries that failed, and those waiting for another attempt, with the recipient, channel and error."""
    page = Paginator(failed_deliveries(), PAGE_SIZE).get_page(request.GET.get("page"))
    label_channels(page.object_list)
    context = {
        "page_obj": page,
        "filter_params": request.GET,
        "can_retry": access.is_office(request.user),
        "active": "failures",
    }
    return render(request, "notices/failures.html", context)


@login_required
@post_only("notices:failures")
def retry_delivery(request, pk):
    """Put a failed delivery back in the queue, with its attempts reset."""
    delivery = get_object_or_404(Delivery.objects.select_related("recipient"), pk=pk)
    if retry_delivery_service(request.user, delivery):
        name = display_name(delivery.recipient)
        messages.success(request, f"已重新排队发送给{name}的通知。")
    else:
        messages.error(request, "这条通知不是发送失败状态，无需重试。")
    return redirect("notices:failures")
