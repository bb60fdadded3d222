"""What a school's page shows: its parts' figures for a year, their indicator values (computed from the figures as
they are now), the edit history, and whether the year's stored values — the dashboard's — are being recomputed."""

from ..computation.catalogue import INDICATOR_BY_CODE, CatalogueIncomplete, load_thresholds
from ..computation.compute import indicator_values, resource_standard, rule_for
from ..computation.frame import year_frame
from ..models import FIGURE_FIELDS, FigureEdit, SchoolYearFigures
from .dashboard import is_being_recomputed


def school_page(profile, year=None):
    years = list(
        SchoolYearFigures.objects.filter(part__school=profile)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
    try:
        year = int(year) if year else (years[0] if years else None)
    except ValueError:
        year = years[0] if years else None
    figures = list(
        SchoolYearFigures.objects.filter(part__school=profile, year=year)
        .select_related("part")
        .order_by("-part__stage")
    )
    context = {"school": profile, "years": years, "year": year, "figures": figures, "rows": [], "indicators": []}
    if not figures:
        return context
    context["recomputing"] = is_being_recomputed(year)
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
    values = indicator_values(year_frame(year, school=profile), thresholds, rule)
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
    context["junior_weight"] = f"{rule.junior_weight.normalize():f}"
    context["floor_ratio"] = f"{rule.floor_ratio.normalize():f}"
    context["any_apportioned"] = any(f.apportioned for f in figures)
    context["history"] = (
        FigureEdit.objects.filter(figures__part__school=profile)
        .select_related("figures__part", "edited_by")
        .order_by("-edited_at", "-pk")[:50]
    )
    return context
