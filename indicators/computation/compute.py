"""The indicators of a year: values per school part, the resource standard, the school checks, the coefficients.

Pure pandas over the frame of ``frame.year_frame`` (one query per year); thresholds come from the plan's
catalogue and the rule from ``EvaluationRule``. Nothing here writes; ``services.store.store_year`` does.

The difference coefficient (差异系数), per indicator and stage, over the parts the rule counts:
    X_i = A_i / P_i (× 100 for per-100-students indicators), A_i the part's raw total, P_i its students;
    X̄  = Σ A_i / Σ P_i (× 100 likewise)  — the county's own ratio, not the mean of the X_i;
    S   = √( Σ (P_i / P) · (X_i − X̄)² ), P = Σ P_i — weighted by enrolment, no n − 1;
    CV  = S / X̄.
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.db.models import Q

from ..models import EvaluationRule, SchoolProfile
from .catalogue import (
    ART_AREA,
    ART_ROOMS,
    CLASS_SIZE,
    COEFFICIENT,
    JUNIOR,
    MUSIC_AREA,
    MUSIC_ROOMS,
    NINE_YEAR,
    PRIMARY,
    RESOURCE_INDICATORS,
    SCHOOL_SIZE,
    load_thresholds,
)
from .frame import year_frame, years_frame

DECIMALS = 9  # values are rounded to this before they are compared, so 4.2000000001 counts as 4.2
Type = SchoolProfile.SchoolType


@dataclass
class YearResult:
    """Everything computed for one year. DataFrames, so the dashboard and the report can slice them."""

    year: int
    rule: EvaluationRule
    values: pd.DataFrame  # one row per part × resource indicator
    parts: pd.DataFrame  # one row per part: the resource standard
    schools: pd.DataFrame  # one row per school: size, class size, music and art rooms
    coefficients: pd.DataFrame  # one row per stage × indicator
    coefficient_means: dict = field(default_factory=dict)  # stage → mean of its 7 CVs (for information)


def rule_for(year):
    """The rule row for ``year``, else the default row, else the built-in defaults (unsaved). One query."""
    rules = {rule.year: rule for rule in EvaluationRule.objects.filter(Q(year=year) | Q(year__isnull=True))}
    return rules.get(year) or rules.get(None) or EvaluationRule()


def compute_year(year, *, thresholds=None, rule=None, frame=None):
    """The ``YearResult`` of ``year``: 1 query for the figures, plus 1 for the thresholds and 1 for the rule."""
    thresholds = thresholds if thresholds is not None else load_thresholds()
    rule = rule if rule is not None else rule_for(year)
    frame = frame if frame is not None else year_frame(year)
    values = indicator_values(frame, thresholds, rule)
    coefficients = difference_coefficients(values, thresholds)
    means = coefficients.groupby("stage")["coefficient"].mean().to_dict() if len(coefficients) else {}
    return YearResult(
        year=year,
        rule=rule,
        values=values,
        parts=resource_standard(values, rule),
        schools=school_checks(frame, thresholds),
        coefficients=coefficients,
        coefficient_means=means,
    )


def compute_years(years, *, thresholds=None):
    """{year: YearResult} of every year of ``years`` in 3 queries: the figures of all of them, the thresholds,
    the rules. Each result is the one ``compute_year`` gives for its year."""
    thresholds = thresholds if thresholds is not None else load_thresholds()
    years = sorted(set(years))
    rules = {rule.year: rule for rule in EvaluationRule.objects.filter(Q(year__in=years) | Q(year__isnull=True))}
    frame = years_frame(years)
    frames = {year: part.reset_index(drop=True) for year, part in frame.groupby("year", sort=True)}
    empty = frame.iloc[0:0]
    return {
        year: compute_year(
            year,
            thresholds=thresholds,
            rule=rules.get(year) or rules.get(None) or EvaluationRule(),
            frame=frames.get(year, empty),
        )
        for year in years
    }


def compare(values, comparison, threshold):
    """Vectorised ``values <comparison> threshold``; NaN never passes."""
    values = np.round(values.astype("float64"), DECIMALS)
    threshold = np.round(np.asarray(threshold, dtype="float64"), DECIMALS)
    return {"gte": values >= threshold, "lte": values <= threshold, "lt": values < threshold}.get(
        comparison, values == threshold
    )


def counted_in_coefficient(frame, rule):
    """The parts the coefficient counts: the rule leaves out special schools, small teaching points, (private)."""
    keep = pd.Series(True, index=frame.index)
    if rule.exclude_special_schools:
        keep &= frame["school_type"] != Type.SPECIAL
    keep &= ~((frame["school_type"] == Type.TEACHING_POINT) & (frame["students"] < rule.teaching_point_min_students))
    if rule.exclude_private_schools:
        keep &= frame["is_public"].astype(bool)
    return keep


def indicator_values(frame, thresholds, rule):
    """Long frame: part × indicator with its raw total A, students P, value X, threshold, reached, below_floor.

    Indicator by indicator, each in the frame's order; computed on numpy arrays (the same operations, in the same
    order, as one Series per indicator would take: the floats are identical, a tenth of the time).
    """
    if frame.empty:
        return pd.DataFrame(columns=VALUE_COLUMNS)
    floor = float(rule.floor_ratio)
    count = len(frame)
    students = frame["students"].to_numpy(dtype="float64")
    stages = frame["stage"].to_numpy(dtype=object)
    shared = [(index, keys) for index, keys in enumerate(frame["apportioned"]) if keys]
    totals, values, thresholds_of, reached, below_floor, apportioned = [], [], [], [], [], []
    for indicator in RESOURCE_INDICATORS:
        total = np.nansum(frame[list(indicator.numerator)].to_numpy(dtype="float64"), axis=1)
        value = total / students * indicator.factor
        threshold = np.full(count, np.nan)
        hit = np.zeros(count, dtype=bool)
        low = np.zeros(count, dtype=bool)
        for stage in (PRIMARY, JUNIOR):
            target = thresholds[(indicator.code, stage)]
            rows = stages == stage
            level = float(target.value)
            threshold[rows] = level
            hit[rows] = compare(value[rows], target.comparison, level)
            bound = level * floor if target.comparison in ("gte", "eq") else level / floor if floor else np.inf
            low[rows] = ~compare(value[rows], target.comparison, bound) & ~hit[rows]
        split = np.zeros(count, dtype=bool)
        for index, keys in shared:
            split[index] = any(name in keys for name in indicator.numerator)
        totals.append(total)
        values.append(value)
        thresholds_of.append(threshold)
        reached.append(hit)
        below_floor.append(low)
        apportioned.append(split)
    counted = counted_in_coefficient(frame, rule).to_numpy(dtype=bool)
    times = len(RESOURCE_INDICATORS)
    columns = {name: np.tile(frame[name].to_numpy(), times) for name in ID_COLUMNS}
    return pd.DataFrame(
        {
            **columns,
            "code": np.repeat([indicator.code for indicator in RESOURCE_INDICATORS], count),
            "total": np.concatenate(totals),
            "students": np.tile(students, times),
            "value": np.concatenate(values),
            "counted": np.tile(counted, times),
            "apportioned": np.concatenate(apportioned),
            "threshold": np.concatenate(thresholds_of),
            "reached": np.concatenate(reached),
            "below_floor": np.concatenate(below_floor),
        },
        columns=VALUE_COLUMNS,
    )


ID_COLUMNS = ["part_id", "school_id", "school_name", "stage", "school_type"]


VALUE_COLUMNS = [
    "part_id", "school_id", "school_name", "stage", "school_type", "code", "total", "students", "value", "counted",
    "apportioned", "threshold", "reached", "below_floor",
]  # fmt: skip


def resource_standard(values, rule):
    """Per part: how many of the 7 reach their threshold, how many of the others fall below the floor, pass."""
    if values.empty:
        return pd.DataFrame(columns=["part_id", "reached_count", "below_floor_count", "passes"])
    first = values.drop_duplicates("part_id").set_index("part_id")  # a part's school, stage and students
    parts = first[["school_id", "school_name", "stage", "students"]].sort_index()
    marks = values.groupby("part_id", sort=True)[["reached", "below_floor"]].sum()
    parts["reached_count"] = marks["reached"]
    parts["below_floor_count"] = marks["below_floor"]
    parts["passes"] = (parts["reached_count"] >= rule.min_reached) & (parts["below_floor_count"] == 0)
    return parts.reset_index()


def difference_coefficients(values, thresholds):
    """One row per (stage, code) over the counted parts: CV, X̄, S, parts, students, threshold, reached.

    Also ``plain_mean`` and ``plain_cv`` (the unweighted mean and n − 1 deviation of the X_i), for
    information and for the test that the weighted formula is the one used.
    """
    if values.empty:  # a year without figures: no coefficient (not a KeyError)
        return pd.DataFrame(columns=COEFFICIENT_COLUMNS)
    counted = values[values["counted"].to_numpy(dtype=bool)]
    stage_numbers, stages = pd.factorize(counted["stage"])
    code_numbers, codes = pd.factorize(counted["code"])
    groups, pairs = pd.factorize(stage_numbers * len(codes) + code_numbers)  # numbered in order of appearance
    keys = [(stages[pair // len(codes)], codes[pair % len(codes)]) for pair in pairs]
    all_students = counted["students"].to_numpy(dtype="float64")
    all_totals = counted["total"].to_numpy(dtype="float64")
    all_values = counted["value"].to_numpy(dtype="float64")
    rows = []
    for number, (stage, code) in enumerate(keys):
        rows_of = groups == number
        weights, values_of = all_students[rows_of], all_values[rows_of]
        students = weights.sum()
        county = all_totals[rows_of].sum() / students * _factor(code)
        spread = np.sqrt(((weights / students) * (values_of - county) ** 2).sum())
        coefficient = spread / county if county else np.nan
        target = thresholds[(COEFFICIENT, stage)]
        plain = pd.Series(values_of)
        plain_mean = plain.mean()
        plain_cv = plain.std(ddof=1) / plain_mean if plain_mean and len(plain) > 1 else np.nan
        rows.append(
            {
                "stage": stage,
                "code": code,
                "coefficient": coefficient,
                "county_ratio": county,
                "deviation": spread,
                "parts": len(values_of),
                "students": int(students),
                "threshold": float(target.value),
                "reached": bool(compare(np.array([coefficient]), target.comparison, float(target.value))[0]),
                "plain_mean": plain_mean,
                "plain_cv": plain_cv,
            }
        )
    order = {indicator.code: index for index, indicator in enumerate(RESOURCE_INDICATORS)}
    frame = pd.DataFrame(rows, columns=COEFFICIENT_COLUMNS)
    if frame.empty:
        return frame
    frame["order"] = frame["code"].map(order)
    return frame.sort_values(["stage", "order"], ascending=[False, True]).drop(columns="order").reset_index(drop=True)


COEFFICIENT_COLUMNS = [
    "stage", "code", "coefficient", "county_ratio", "deviation", "parts", "students", "threshold", "reached",
    "plain_mean", "plain_cv",
]  # fmt: skip


def _factor(code):
    return next(indicator.factor for indicator in RESOURCE_INDICATORS if indicator.code == code)


def school_checks(frame, thresholds):
    """Per school: size (a nine-year school against its own limit), largest class per part, music and art rooms.

    Rooms per 12 classes and the smallest room's area are checked over the whole school (a nine-year
    school's parts share their rooms) against the stricter of its stages' thresholds; no room at all
    fails the area check too. Special schools have no size limit in the plan (``size_ok`` is None).
    """
    if frame.empty:
        return pd.DataFrame()
    limit = {stage: float(thresholds[(CLASS_SIZE, stage)].value) for stage in (PRIMARY, JUNIOR)}
    parts = frame.assign(
        class_ok=compare(frame["largest_class"], "lte", frame["stage"].map(limit)),
        has_primary=frame["stage"] == PRIMARY,
        has_junior=frame["stage"] == JUNIOR,
        # the smallest room of the school: over the parts that have rooms (a part without any has no "0 m²" room)
        music_room_min_area=frame["music_room_min_area"].where(frame["music_rooms"] > 0),
        art_room_min_area=frame["art_room_min_area"].where(frame["art_rooms"] > 0),
    )
    schools = parts.groupby("school_id", sort=True).agg(
        school_name=("school_name", "first"),
        school_type=("school_type", "first"),
        students=("students", "sum"),
        classes=("classes", "sum"),
        largest_class_ok=("class_ok", "all"),
        music_rooms=("music_rooms", "sum"),
        art_rooms=("art_rooms", "sum"),
        music_room_min_area=("music_room_min_area", "min"),
        art_room_min_area=("art_room_min_area", "min"),
        has_primary=("has_primary", "any"),
        has_junior=("has_junior", "any"),
    )
    for area in ("music_room_min_area", "art_room_min_area"):
        schools[area] = schools[area].fillna(0)  # no room at all: 0, and the area check fails
    special = (schools["school_type"] == Type.SPECIAL).to_numpy()
    size_stage = np.select(
        [special, schools["school_type"] == Type.NINE_YEAR, schools["has_junior"]], ["", NINE_YEAR, JUNIOR], PRIMARY
    )
    sizes = {stage: float(thresholds[(SCHOOL_SIZE, stage)].value) for stage in (PRIMARY, JUNIOR, NINE_YEAR)}
    schools["size_limit"] = pd.Series(size_stage, index=schools.index).map(sizes)
    size_ok = compare(schools["students"], "lte", schools["size_limit"])
    schools["size_ok"] = [None if no_limit else bool(ok) for ok, no_limit in zip(size_ok, special, strict=True)]
    for code, rooms, area_code, area in ((MUSIC_ROOMS, "music_rooms", MUSIC_AREA, "music_room_min_area"),
                                         (ART_ROOMS, "art_rooms", ART_AREA, "art_room_min_area")):  # fmt: skip
        per_12 = schools[rooms] * 12 / schools["classes"]
        schools[f"{rooms}_per_12_classes"] = per_12
        schools[f"{rooms}_ok"] = compare(per_12, "gte", _strictest(schools, thresholds, code))
        area_limit = _strictest(schools, thresholds, area_code)
        schools[f"{area}_ok"] = compare(schools[area], "gte", area_limit) & (schools[rooms] > 0)
    return schools.reset_index()


def _strictest(schools, thresholds, code):
    """Per school, the higher of its stages' (at-least) thresholds for ``code``."""
    primary, junior = (float(thresholds[(code, stage)].value) for stage in (PRIMARY, JUNIOR))
    both = max(primary, junior)
    return np.where(
        schools["has_primary"] & schools["has_junior"], both, np.where(schools["has_junior"], junior, primary)
    )
