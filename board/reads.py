"""The board's reads: the user's items filtered and in board order with a count per light, the office's
unit × stage matrix of a period, and the inspection queue.

Every one starts from ``DutyItem.objects.for_user(user)`` and runs a fixed number of queries whatever its length
(``for_list()`` and aggregates, never a query per row).
"""

from dataclasses import dataclass

from django.db import connection
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


class BoardPages:
    """The board's items in board order, for ``Paginator``: a light at a time, in deadline order.

    Its length is the sum of the light counts the board shows anyway (no COUNT of its own). A page is one query:
    a ``LIMIT`` branch for each light the page reaches (``DutyItemQuerySet.of_light``, which follows the partial
    indexes on open and on finished items), their ids united in a subquery, the rows with what the list shows.
    Sorting every row on the light's CASE to keep 25 cost a full sort of the table, spilling to disk."""

    def __init__(self, items, counts, lights, today):
        self.items, self.counts, self.lights, self.today = items, counts, lights, today

    def count(self):
        return sum(self.counts[light] for light in self.lights)

    def __len__(self):
        return self.count()

    def values_list(self, *fields, **options):
        """Every item of the list, in no particular order (for callers that want them all, not a page)."""
        return self.items.values_list(*fields, **options)

    def __getitem__(self, window):
        if not connection.features.supports_slicing_ordering_in_compound:  # SQLite: the quick start's size
            return list(board_order(self.items).for_list()[window])
        branches, before = [], 0
        for light in self.lights:
            start, stop = max(window.start - before, 0), min(window.stop - before, self.counts[light])
            if start < stop:
                ids = self.items.of_light(light, self.today).order_by("deadline", "pk").values("pk")
                branches.append(ids[start:stop])
            before += self.counts[light]
        if not branches:
            return []
        page = self.items.filter(pk__in=branches[0].union(*branches[1:], all=True)).for_list().order_by()
        rank = {light: index for index, light in enumerate(LIGHT_ORDER)}
        return sorted(page, key=lambda item: (rank[item.light], item.deadline, item.pk))


@dataclass
class BoardQuery:
    filterset: BoardFilter
    items: QuerySet  # filtered, in board order; not yet select_related
    light_counts: dict  # light -> count, for the filters other than the light
    pages: BoardPages  # the same items, for the Paginator


def board_query(request, params, today):
    """The user's items filtered by ``params``; invalid filters give no items (and the form says why)."""
    visible = DutyItem.objects.for_user(request.user).with_light(today)
    filterset = BoardFilter(params, queryset=visible, request=request)
    if not filterset.is_valid():
        counts = dict.fromkeys(LIGHT_ORDER, 0)
        return BoardQuery(filterset, visible.none(), counts, BoardPages(visible.none(), counts, (), today))
    counts = filterset.filter_queryset(visible, exclude={"light"}).light_counts()
    light = filterset.form.cleaned_data.get("light")
    pages = BoardPages(filterset.qs, counts, (light,) if light else LIGHT_ORDER, today)
    return BoardQuery(filterset, board_order(filterset.qs), counts, pages)


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
