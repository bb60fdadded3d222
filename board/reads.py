"""The board's reads: the user's items filtered and in board order with a count per light, the office's
unit × stage matrix of a period, and the inspection queue.

Every one starts from ``DutyItem.objects.for_user(user)`` and runs a fixed number of queries whatever its length
(``for_list()`` and aggregates, never a query per row).
"""

from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When

from workflows.models import DutyItem
from workflows.periods import current_period
from workflows.querysets import GREEN, GREY, LIGHT_LABELS, RED, YELLOW

from .filters import BoardFilter

LIGHT_ORDER = (RED, YELLOW, GREEN, GREY)
LIGHT_COLOURS = {RED: "#d92d20", YELLOW: "#f79009", GREEN: "#12b76a", GREY: "#98a2b3"}


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


def chosen_period(form, today):
    """The period asked for, else the one in progress (``current_period``: not the one opened last, which may
    not have started); None if the form is invalid or no period was ever opened."""
    if not form.is_valid():
        return None
    return form.cleaned_data["period"] or current_period(today)


def with_light_display(items):
    for item in items:
        item.light_label, item.light_colour = LIGHT_LABELS[item.light], LIGHT_COLOURS[item.light]
    return items
