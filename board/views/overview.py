"""The office's overview of a period (督办看板: unit × stage, with each unit's overdue items) and the inspectors'
queue (待检查), oldest submission first."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from departments import access
from workflows.models import DutyItem
from workflows.periods import current_period

from ..forms import PeriodForm
from ..reads import chosen_period, inspection_queue, unit_stage_matrix, with_light_display
from .board import PAGE_SIZE


@login_required
@access.required(access.sees_every_item)
@require_safe
def matrix(request):
    """The office's overview of a period: every unit's items per stage, and how many are overdue."""
    today = timezone.localdate()
    data = request.GET
    current = current_period(today) if "period" not in data else None
    if current is not None:
        data = {"period": str(current.pk)}  # the select shows the period the table is of
    form = PeriodForm(data)
    period = chosen_period(form, today)
    table, totals = unit_stage_matrix(request.user, period, timezone.localdate()) if period else ([], None)
    context = {
        "form": form,
        "period": period,
        "stages": DutyItem.Stage.choices,
        "table": table,
        "totals": totals,
    }
    return render(request, "board/matrix.html", context)


@login_required
@access.required(access.can_inspect, "只有督导检查人员可以查看待检查队列。")
@require_safe
def inspection(request):
    """Reports waiting for an inspector, oldest first."""
    page = Paginator(inspection_queue(request.user, timezone.localdate()), PAGE_SIZE).get_page(request.GET.get("page"))
    with_light_display(page.object_list)
    return render(request, "board/inspection.html", {"page_obj": page, "filter_params": request.GET})
