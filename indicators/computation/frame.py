"""The raw figures of a year as a pandas DataFrame: one query per year (or per set of years), one row per school part.

On PostgreSQL the rows come out as CSV through ``COPY … TO STDOUT`` and pandas parses them in C: for 5,000
parts that is a tenth of the time of the driver's rows and Django's converters (bench/indicators.py). The
numbers are parsed from their exact decimal text, so each float is the one ``float(Decimal)`` would give (the
test compares both paths). Elsewhere (SQLite, the quick start) the ORM reads them.
"""

import io
import json

import pandas as pd
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import FloatField
from django.db.models.functions import Cast

from outputs.pgcopy import copy_out_csv

from ..models import FIGURE_FIELDS, SchoolYearFigures

ID_COLUMNS = {
    "id": "figures_id",
    "year": "year",
    "part_id": "part_id",
    "part__stage": "stage",
    "part__school_id": "school_id",
    "part__school__unit__name": "school_name",
    "part__school__school_type": "school_type",
    "part__school__is_public": "is_public",
    "apportioned": "apportioned",
}
FRAME_COLUMNS = [*ID_COLUMNS.values(), *FIGURE_FIELDS]
TEXT_COLUMNS = ("stage", "school_name", "school_type")


def year_frame(year, *, school=None):
    """The figures of ``year`` (one query), of one school if given. Figures are floats; ``apportioned`` is a dict."""
    figures = SchoolYearFigures.objects.filter(year=year)
    if school is not None:
        figures = figures.filter(part__school=school)
    return _frame(figures.order_by("part_id"))


def years_frame(years):
    """The figures of every year of ``years`` in one frame (one query), by year then part."""
    return _frame(SchoolYearFigures.objects.filter(year__in=list(years)).order_by("year", "part_id"))


def _frame(figures):
    return copied_frame(figures) if connection.vendor == "postgresql" else orm_frame(figures)


def orm_frame(figures):
    """``figures`` through the ORM. Cast in SQL: the driver then hands over floats, not Decimals."""
    as_float = {f"float_{name}": Cast(name, FloatField()) for name in FIGURE_FIELDS}
    return _frame_of(list(figures.annotate(**as_float).values_list(*ID_COLUMNS, *as_float)))


def copied_frame(figures):
    """``figures`` read with ``COPY (query) TO STDOUT (FORMAT csv)`` and parsed by pandas."""
    try:
        query = figures.values_list(*ID_COLUMNS, *FIGURE_FIELDS).query.sql_with_params()
    except EmptyResultSet:  # e.g. a year beyond the column's range: Django knows no row can match
        return _frame_of([])
    data = copy_out_csv(*query)
    if not data:
        return _frame_of([])
    frame = pd.read_csv(
        io.BytesIO(data),
        header=None,
        names=FRAME_COLUMNS,
        dtype={**dict.fromkeys(FIGURE_FIELDS, "float64"), **dict.fromkeys(TEXT_COLUMNS, str), "apportioned": str},
        keep_default_na=False,  # a school named "NA" stays a name; only a figure's empty cell is NULL
        na_values={name: [""] for name in FIGURE_FIELDS},
    )
    frame["is_public"] = frame["is_public"] == "t"
    frame["apportioned"] = [{} if text == "{}" else json.loads(text) for text in frame["apportioned"]]
    return frame


def year_columns(year, fields):
    """Only ``fields`` of the year's figures (floats, cast in SQL as ``orm_frame`` does), with each part's id, its
    school's id and name, by part (one query): for a check that reads two figures, not the whole ``year_frame``."""
    as_float = {f"float_{name}": Cast(name, FloatField()) for name in fields}
    figures = SchoolYearFigures.objects.filter(year=year).order_by("part_id").annotate(**as_float)
    rows = figures.values_list("part_id", "part__school_id", "part__school__unit__name", *as_float)
    columns = ["part_id", "school_id", "school_name", *fields]
    return pd.DataFrame.from_records(list(rows), columns=columns).astype(dict.fromkeys(fields, "float64"))


def _frame_of(rows):
    return pd.DataFrame.from_records(rows, columns=FRAME_COLUMNS).astype(dict.fromkeys(FIGURE_FIELDS, "float64"))


def years_with_figures():
    return list(SchoolYearFigures.objects.order_by("year").values_list("year", flat=True).distinct())
