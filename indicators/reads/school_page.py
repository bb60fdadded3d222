"""What a school's page shows: its parts' figures for a year, their indicator values (computed from the figures as
they are now), the training funds' share of its budget, the plan's funding rule beside a part it applies to, the
edit history, and whether the year's stored values — the dashboard's — are being recomputed."""

from django.utils import timezone

from workflows.periods import default_year

from ..computation.catalogue import INDICATOR_BY_CODE, CatalogueIncomplete, current_plan, load_thresholds
from ..computation.compute import indicator_values, resource_standard, rule_for
from ..computation.frame import year_frame
from ..computation.training_funds import school_training_funds, training_threshold
from ..models import FIGURE_FIELDS, FigureEdit, FundingRule, SchoolProfile, SchoolYearFigures
from .dashboard import is_being_recomputed
from .reporting import reporting


def school_page(profile, year=None):
    years = list(
        SchoolYearFigures.objects.filter(part__school=profile)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
    try:
        year = int(year) if year else default_year(years, timezone.localdate())
    except ValueError:
        year = default_year(years, timezone.localdate())
    figures = list(
        SchoolYearFigures.objects.filter(part__school=profile, year=year)
        .select_related("part__school")
        .order_by("-part__stage")
    )
    context = {"school": profile, "years": years, "year": year, "figures": figures, "rows": [], "indicators": []}
    context["reporting"] = reporting(year) if year is not None else None
    if not figures:
        return context
    context["recomputing"] = is_being_recomputed(year)
    notes = funding_notes(figures)
    for f in figures:
        f.funding_note = notes.get(f.pk, "")
    fields = {name: SchoolYearFigures._meta.get_field(name) for name in FIGURE_FIELDS}
    context["rows"] = [
        {
            "label": fields[name].verbose_name,
            "cells": [(getattr(f, name), name in f.apportioned, f.apportioned.get(name)) for f in figures],
        }
        for name in FIGURE_FIELDS
    ]
    rule = rule_for(year)
    try:
        thresholds = load_thresholds()
    except CatalogueIncomplete as error:
        context["catalogue_error"] = str(error)
        return context
    frame = year_frame(year, school=profile)
    values = indicator_values(frame, thresholds, rule)
    by_code = {}
    for row in values.itertuples(index=False):
        by_code.setdefault(row.code, {})[row.stage] = row
    stages = [f.part.stage for f in figures]
    context["indicators"] = [
        {"name": INDICATOR_BY_CODE[code].name, "unit": INDICATOR_BY_CODE[code].unit,
         "cells": [by_code[code].get(stage) for stage in stages]}
        for code in INDICATOR_BY_CODE
    ]  # fmt: skip
    context["standard"] = [row for row in resource_standard(values, rule).itertuples(index=False)]
    context["rule"] = rule
    context["training"] = training_funds(frame, thresholds)
    context["junior_weight"] = f"{rule.junior_weight.normalize():f}"
    context["floor_ratio"] = f"{rule.floor_ratio.normalize():f}"
    context["any_apportioned"] = any(f.apportioned for f in figures)
    context["history"] = (
        FigureEdit.objects.filter(figures__part__school=profile)
        .select_related("figures__part", "edited_by")
        .order_by("-edited_at", "-pk")[:50]
    )
    return context


def funding_notes(figures):
    """{figures pk: note} for the parts a funding rule of the plan in force applies to (one query), e.g. a primary
    part of fewer than 100 students: 按100名学生核定公用经费（方案规则）."""
    plan = current_plan()
    rules = list(FundingRule.objects.filter(plan=plan)) if plan else []
    notes = {}
    for f in figures:
        special = f.part.school.school_type == SchoolProfile.SchoolType.SPECIAL
        applying = [rule.note for rule in rules if rule.applies(f.part.stage, f.students, special_school=special)]
        if applying:
            notes[f.pk] = "；".join(applying)
    return notes


def training_funds(frame, thresholds):
    """The school's training funds against its budget: a dict for the page, or None when the plan sets no target."""
    threshold = training_threshold(thresholds)
    if threshold is None:
        return None
    rows = school_training_funds(frame, threshold)
    if rows.empty:
        return None
    row = rows.iloc[0]
    return {
        "reported": bool(row["reported"]),
        "budget": row["budget"],
        "training": row["training"],
        "share": row["share"],
        "ok": row["ok"],
        "threshold": threshold.label() + "%",
        "parts": len(frame),
    }
