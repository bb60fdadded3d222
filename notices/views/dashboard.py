"""The office's overdue dashboard and the list of deliveries that failed (with a retry for the office)."""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from departments import access
from departments.http import post_only
from departments.names import display_name

from ..models import Delivery
from ..reads import (
    BUCKET_KEYS,
    OVERDUE_BUCKETS,
    bucket_counts,
    bucket_filter,
    by_top_rung,
    by_unit,
    circular_candidate_items,
    failed_deliveries,
    overdue_items,
    with_top_rung,
)
from ..services import retry_delivery as retry_delivery_service
from .common import PAGE_SIZE, label_channels


@login_required
@access.required(access.sees_every_item)
@require_safe
def overdue(request):
    """Open overdue items by days overdue, by unit and by the highest rung reached; the circular candidates."""
    today = timezone.localdate()
    items = overdue_items(request.user, today)
    bucket = request.GET.get("bucket")
    bucket = bucket if bucket in BUCKET_KEYS else None
    listed = items.filter(bucket_filter(bucket, today)) if bucket else items
    listed = with_top_rung(listed).select_related("unit", "period").order_by("deadline", "unit__name", "pk")
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    for item in page.object_list:
        item.days_overdue = (today - item.deadline).days
    candidates = [
        (unit, list(unit_items))
        for unit, unit_items in groupby(circular_candidate_items(items), key=lambda item: item.unit)
    ]
    context = {
        "today": today,
        "buckets": bucket_counts(items, today),
        "bucket": bucket,
        "bucket_label": dict((key, label) for key, label, *_rest in OVERDUE_BUCKETS).get(bucket),
        "units": by_unit(items),
        "rungs": by_top_rung(items),
        "page_obj": page,
        "filter_params": request.GET,
        "candidates": candidates,
        "candidate_count": sum(len(unit_items) for _unit, unit_items in candidates),
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
