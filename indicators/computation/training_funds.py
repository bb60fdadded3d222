"""Teacher-training funds against each school's public-funds budget, checked per school, and the county's rate of
schools that meet it (二（三）: 所有学校按照不低于学校年度公用经费预算总额的5%安排教师培训经费).

A school's share is Σ 教师培训经费 ÷ Σ 年度公用经费预算总额 × 100 over its parts: the school's own budget. A nine-year
school's 全校 totals, apportioned between its parts, so give back exactly the school's ratio (each amount's
shares add up to its total; a ratio per part would drift with each share's rounding). A school reports the
two amounts when every part of it has both and the budget is above 0; otherwise it is *not reported* —
neither meeting the target nor short of it.
"""

from decimal import Decimal

import pandas as pd

from .catalogue import COUNTY, TRAINING_SHARE
from .compute import compare

BUDGET, TRAINING = "public_funds_budget", "teacher_training_funds"
COLUMNS = ["school_id", "school_name", "budget", "training", "reported", "share", "ok"]


def training_threshold(thresholds):
    """The catalogue's threshold of the share (a ``Threshold``), or None when the plan sets none."""
    return thresholds.get((TRAINING_SHARE, COUNTY))


def school_training_funds(frame, threshold):
    """One row per school of ``frame`` (``year_frame``'s): budget, training, reported, share (%), ok.

    ``ok`` is True or False for a school that reported both amounts, None otherwise (or without a threshold).
    """
    if frame.empty:
        return pd.DataFrame(columns=COLUMNS)
    schools = frame.groupby("school_id", sort=True).agg(
        school_name=("school_name", "first"),
        parts=("part_id", "count"),
        budget=(BUDGET, "sum"),
        budget_parts=(BUDGET, "count"),
        training=(TRAINING, "sum"),
        training_parts=(TRAINING, "count"),
    )
    schools["reported"] = (
        (schools["budget_parts"] == schools["parts"])
        & (schools["training_parts"] == schools["parts"])
        & (schools["budget"] > 0)
    )
    schools["share"] = (schools["training"] / schools["budget"] * 100).where(schools["reported"])
    if threshold is None:
        schools["ok"] = None
    else:
        met = compare(schools["share"], threshold.comparison, float(threshold.value))
        schools["ok"] = [bool(ok) if reported else None for ok, reported in zip(met, schools["reported"], strict=True)]
    return schools.reset_index()[COLUMNS]


def county_rate(schools):
    """(rate %, met, short, not reported) over ``school_training_funds``'s rows; rate None when none reported."""
    met = int((schools["ok"] == True).sum())  # noqa: E712 (an object column: True, False or None)
    short = int((schools["ok"] == False).sum())  # noqa: E712
    unreported = len(schools) - met - short
    if not met + short:
        return None, met, short, unreported
    rate = (Decimal(met) / Decimal(len(schools)) * 100).quantize(Decimal("0.01"))
    return rate, met, short, unreported
