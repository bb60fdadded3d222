"""The board: a unit's items with their traffic lights, the office's unit × stage matrix, the inspection queue,
the office's bulk actions and the XLSX export.

Every list starts from ``DutyItem.objects.for_user(user)`` and runs a fixed
number of queries whatever its length (``for_list()`` and aggregates, never a
query per row). Writes go through ``workflows.services`` (催办: ``notices.services``), which authorise
themselves; the views only refuse early what the services would refuse.
"""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.views.decorators.http import require_POST, require_safe

from departments.names import display_name
from notices import services as notice_services
from notices.querysets import recent_circulars
from workflows import services
from workflows.models import DutyItem, Period
from workflows.querysets import GREEN, GREY, LIGHT_LABELS, RED, YELLOW, warning_days

from .. import exports
from ..forms import BoardFilter, PeriodForm
from ..forms import BulkForm as BaseBulkForm

PAGE_SIZE = 25
LIGHT_ORDER = (RED, YELLOW, GREEN, GREY)
DATE_FORMAT = "Y年n月j日"
LIGHT_COLOURS = {RED: "#d92d20", YELLOW: "#f79009", GREEN: "#12b76a", GREY: "#98a2b3"}


class BulkForm(BaseBulkForm):
    """The bulk actions, with the office's 催办 (urging) of the ticked items (``notices.services.urge_items``)."""

    URGE = "urge"

    action = forms.ChoiceField(choices=[*BaseBulkForm.base_fields["action"].choices, (URGE, "催办")])
    message = forms.CharField(
        label="催办内容", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if data.get("action") == self.URGE and "message" in data and not data["message"].strip():
            self.add_error("message", "请填写催办内容。")
        return data


# --- queries -----------------------------------------------------------------------------------------------------


def board_order(items):
    """Red first, then yellow, green, grey; within a light, the nearest deadline first."""
    rank = Case(
        *(When(light=light, then=Value(index)) for index, light in enumerate(LIGHT_ORDER)),
        output_field=IntegerField(),
    )
    return items.annotate(light_rank=rank).order_by("light_rank", "deadline", "pk")


@dataclass
class BoardQuery:
    filterset: BoardFilter
    items: QuerySet  # filtered, in board order; not yet select_related
    light_counts: dict  # light -> count, for the filters other than the light


def board_query(request, params, today):
    """The user's items filtered by ``params``; invalid filters give no items (and the form says why)."""
    visible = DutyItem.objects.for_user(request.user).with_light(today)
    filterset = BoardFilter(params, queryset=visible, request=request)
    if not filterset.is_valid():
        return BoardQuery(filterset, visible.none(), dict.fromkeys(LIGHT_ORDER, 0))
    counts = filterset.filter_queryset(visible, exclude={"light"}).light_counts()
    return BoardQuery(filterset, board_order(filterset.qs), counts)


def unit_stage_matrix(user, period, today):
    """Counts per owner unit and stage for one period, and each unit's overdue items, from one aggregate query."""
    overdue = Q(stage__in=DutyItem.OPEN_STAGES, deadline__lt=today)
    cells = (
        DutyItem.objects.for_user(user)
        .filter(period=period)
        .order_by()
        .values("unit", "unit__kind", "unit__name", "unit__short_name", "stage")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=overdue))
    )
    stages = [value for value, _label in DutyItem.Stage.choices]
    rows = {}
    for cell in cells:
        row = rows.setdefault(
            cell["unit"],
            {
                "unit_id": cell["unit"],
                "unit": cell["unit__short_name"] or cell["unit__name"],
                "order": (cell["unit__kind"], cell["unit__name"]),
                "counts": dict.fromkeys(stages, 0),
                "overdue": 0,
            },
        )
        row["counts"][cell["stage"]] = cell["n"]
        row["overdue"] += cell["overdue"]
    table = sorted(rows.values(), key=lambda row: row["order"])  # as the unit list: by kind, then name
    for row in table:
        row["cells"] = [(stage, row["counts"][stage]) for stage in stages]
        row["total"] = sum(row["counts"].values())
    totals = {
        "cells": [(stage, sum(row["counts"][stage] for row in table)) for stage in stages],
        "overdue": sum(row["overdue"] for row in table),
        "total": sum(row["total"] for row in table),
    }
    return table, totals


def inspection_queue(user, today):
    """Items awaiting inspection, the longest waiting first."""
    return (
        DutyItem.objects.for_user(user)
        .filter(stage=DutyItem.Stage.INSPECTING)
        .with_light(today)
        .for_list()
        .order_by(F("submitted_at").asc(nulls_last=True), "pk")
    )


def chosen_period(form):
    """The period asked for, else the latest; None if the form is invalid or no period was ever opened."""
    if not form.is_valid():
        return None
    return form.cleaned_data["period"] or Period.objects.order_by("-starts_on", "-pk").first()


def with_light_display(items):
    for item in items:
        item.light_label, item.light_colour = LIGHT_LABELS[item.light], LIGHT_COLOURS[item.light]
    return items


def can_assign(user):
    return user.has_perm("workflows.assign_item")


# --- views -------------------------------------------------------------------------------------------------------


@login_required
@require_safe
def mine(request):
    """My unit's items (owned or cooperating); every item for the office roles."""
    return render_board(request, request.GET)


def render_board(request, params, bulk_form=None):
    today = timezone.localdate()
    board = board_query(request, params, today)
    page = Paginator(board.items.for_list(), PAGE_SIZE).get_page(params.get("page"))
    with_light_display(page.object_list)
    can_bulk = can_assign(request.user)
    if can_bulk and bulk_form is None:
        bulk_form = BulkForm(user=request.user, initial={"querystring": params.urlencode()})
    context = {
        "filterset": board.filterset,
        "filter_params": params,
        "page_obj": page,
        "lights": [
            {
                "key": light,
                "label": LIGHT_LABELS[light],
                "colour": LIGHT_COLOURS[light],
                "count": board.light_counts[light],
            }
            for light in LIGHT_ORDER
        ],
        "active_light": board.filterset.form.cleaned_data.get("light") if board.filterset.is_valid() else None,
        "sees_all": request.user.has_perm("workflows.view_dutyitem"),
        "can_bulk": can_bulk,
        "bulk_form": bulk_form,
        "selected_ids": bulk_form.selected_ids() if bulk_form is not None and bulk_form.is_bound else set(),
        "warning_days": warning_days(),
        "circulars": recent_circulars(),
    }
    return render(request, "board/mine.html", context)


@login_required
@require_POST
def bulk(request):
    """Extend the deadline of, reassign or urge (催办) the ticked items. Errors re-show the list, ticks kept."""
    if not can_assign(request.user):
        raise PermissionDenied("只有县政府办公室或领导小组办公室可以批量调整任务。")
    form = BulkForm(request.POST, user=request.user)
    params = QueryDict(request.POST.get("querystring", ""))
    if form.is_valid():
        try:
            done = perform_bulk_action(request.user, form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, done)
            return redirect(f"{reverse('board:mine')}?{params.urlencode()}")
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return render_board(request, params, bulk_form=form)


def perform_bulk_action(user, data):
    """Call the service for the chosen action; returns the success message."""
    items = list(data["items"])
    if data["action"] == BulkForm.URGE:
        notice_services.urge_items(user, items, message=data["message"])
        return f"已催办 {len(items)} 项任务，承办单位的联络员和负责人将收到通知。"
    if data["action"] == BulkForm.EXTEND:
        count = services.extend_deadlines(user, items, new_deadline=data["new_deadline"], reason=data["reason"])
        return f"已将 {count} 项任务的截止日期调整为{dateformat.format(data['new_deadline'], DATE_FORMAT)}。"
    assignee = data["assignee"]
    count = services.reassign_items(user, items, assignee=assignee)
    return f"已将 {count} 项任务改由{display_name(assignee)}办理。"


@login_required
@require_safe
def export(request):
    """The filtered list (every page) as an XLSX workbook."""
    today = timezone.localdate()
    board = board_query(request, request.GET, today)
    if not board.filterset.is_valid():
        messages.error(request, "筛选条件有误，请修改后再导出。")
        return redirect(f"{reverse('board:mine')}?{request.GET.urlencode()}")
    workbook = exports.items_workbook(board.items.for_list())
    return exports.xlsx_response(workbook, f"任务清单-{today:%Y%m%d}.xlsx", fallback=f"tasks-{today:%Y%m%d}.xlsx")


@login_required
@permission_required("workflows.view_dutyitem", raise_exception=True)
@require_safe
def matrix(request):
    """The office's overview of a period: every unit's items per stage, and how many are overdue."""
    form = PeriodForm(request.GET)
    period = chosen_period(form)
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
@permission_required("workflows.inspect_item", raise_exception=True)
@require_safe
def inspection(request):
    """Reports waiting for an inspector, oldest first."""
    page = Paginator(inspection_queue(request.user, timezone.localdate()), PAGE_SIZE).get_page(request.GET.get("page"))
    with_light_display(page.object_list)
    return render(request, "board/inspection.html", {"page_obj": page, "filter_params": request.GET})
