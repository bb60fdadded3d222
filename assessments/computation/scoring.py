"""The pandas step: from the facts to every unit's lines, score and rank. No ORM objects, no loops over items.

Each line is rounded to the cent (half away from zero) and a unit's score is its base
score plus the sum of its rounded lines, so the explanation always adds up to the score.
The score is not clamped at 0 for the same reason.

- Not done on time: the points for on-time completion are shared among the unit's
  judged items in proportion to their weights (lead or cooperating); each item not
  done on time loses its share.
- Overdue days: per day late (to the accepted submission, or to ``as_of`` while still
  open), capped per item, times the item's weight. Late from the deadline in force, or from
  the one before any approved extension when the scheme says so (the lines say which).
- Rework: per return for rework, times the item's weight.
- Urging: per urging of an item the unit owns (0 by default).
- Circulars: per criticism and per praise in a circular published in the year.
- Signing time (when the scheme counts it): per day an owned item waited beyond the days
  allowed between its hand-over and its signature (or ``as_of`` while unsigned), one line
  per unit naming the items.
"""

import datetime
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .facts import LEAD, Facts
from .parameters import Parameters

ROLE_LABELS = {LEAD: "牵头", "cooperating": "配合"}


@dataclass
class Result:
    scores: pd.DataFrame
    lines: pd.DataFrame
    monthly_overdue: list


def cents(values):
    """Round to the cent, half away from zero (not numpy's half to even)."""
    values = np.asarray(values, dtype=float)
    return np.sign(values) * np.floor(np.abs(values) * 100 + 0.5 + 1e-9) / 100


def _weights(parameters, roles):
    return roles.map({LEAD: float(parameters.lead_weight), "cooperating": float(parameters.cooperating_weight)})


def _money(value):
    return f"{float(value):g}"


def score(facts: Facts, parameters: Parameters, as_of: datetime.date) -> Result:
    counts = facts.counts.astype({"unit_id": "int64", "due": "int64", "on_time": "int64"})
    counts["weight"] = _weights(parameters, counts["role"]) * counts["due"]
    total_weight = counts.groupby("unit_id")["weight"].sum()

    items = facts.imperfect.astype({"unit_id": "int64", "reworks": "int64", "urgings": "int64"})
    items["weight"] = _weights(parameters, items["role"])
    items["deadline"] = pd.to_datetime(items["deadline"])
    items["deadline_in_force"] = pd.to_datetime(items["deadline_in_force"])
    items["done_on"] = pd.to_datetime(items["done_on"])
    # Done: closed, or submitted and awaiting inspection (the unit does not pay for the inspector's days), by the
    # end of as_of. An item finished after as_of was still overdue then, late up to as_of.
    done = items["stage"].isin(["closed", "inspecting"]) & (items["done_on"] <= pd.Timestamp(as_of))
    finished = items["done_on"].where(done, pd.Timestamp(as_of))
    items["days_late"] = (finished - items["deadline"]).dt.days.clip(lower=0).astype(int)
    items["done_late"] = done & (items["days_late"] > 0)
    items["still_overdue"] = ~done
    items["not_on_time"] = items["done_late"] | items["still_overdue"]

    lines = pd.concat(
        [
            _not_on_time_lines(items, parameters, total_weight),
            _overdue_lines(items, parameters),
            _rework_lines(items, parameters),
            _urging_lines(items, parameters),
            _circular_lines(facts.criticisms, -float(parameters.per_criticism), "criticism"),
            _circular_lines(facts.praises, float(parameters.per_praise), "praise"),
            _signing_lines(facts.signing, parameters, as_of),
        ],
        ignore_index=True,
    )
    lines = lines[lines["points"] != 0].reset_index(drop=True)
    scores = _unit_scores(facts, counts, items, lines, parameters)
    return Result(scores=scores, lines=lines, monthly_overdue=_monthly_overdue(items, as_of))


def _item_lines(items, kind, quantity, points, explanation):
    frame = items[["unit_id", "item_id", "title", "role"]].copy()
    frame["kind"], frame["quantity"], frame["points"] = kind, quantity, cents(points)
    frame["circular_title"] = ""
    frame["explanation"] = explanation
    return frame


def _role_note(items, parameters):
    weights = {LEAD: parameters.lead_weight, "cooperating": parameters.cooperating_weight}
    return items["role"].map({role: f"{ROLE_LABELS[role]}，权重{float(weights[role]):g}" for role in weights})


def _chinese_dates(dates):
    return dates.dt.strftime("%Y年%m月%d日")


def _lateness_note(items):
    """For an item judged from its deadline before an approved extension: from which date, and to which it was
    extended; empty for the others."""
    rebased = items["deadline"] != items["deadline_in_force"]
    note = (
        "；自批准延期前的原截止日期"
        + _chinese_dates(items["deadline"])
        + "起算（已延期至"
        + _chinese_dates(items["deadline_in_force"])
        + "）"
    )
    return note.where(rebased, "")


def _not_on_time_lines(items, parameters, total_weight):
    late = items[items["not_on_time"]]
    share = float(parameters.on_time_weight) * late["weight"] / late["unit_id"].map(total_weight)
    state = np.where(late["still_overdue"], "逾期未完成", "逾期完成")
    explanation = (
        "「"
        + late["title"]
        + "」"
        + state
        + "（"
        + _role_note(late, parameters)
        + _lateness_note(late)
        + "）：按时完成分按权重分摊的一份"
    )
    lines = _item_lines(late, "not_on_time", 1, 0, explanation)
    lines["points"] = -shares_in_cents(share, late["unit_id"])
    return lines


def shares_in_cents(shares, groups):
    """Shares rounded to cents so that each group's rounded shares add up to its rounded total.

    Rounding every share on its own would let a unit lose 29.99 or 30.01 of 30 points (three shares of 10.003…),
    enough to put it a rank above or below units that lost exactly 30. Largest remainder method: every share is
    rounded down, and the cents still missing from the group's total go to the shares with the largest remainders.
    """
    exact = np.asarray(shares, dtype=float) * 100
    floor = np.floor(exact + 1e-9)
    frame = pd.DataFrame({"group": np.asarray(groups), "floor": floor, "remainder": exact - floor})
    totals = frame.assign(exact=exact).groupby("group")["exact"].sum()
    target = pd.Series(cents(totals / 100) * 100, index=totals.index)
    missing = (frame["group"].map(target) - frame["group"].map(frame.groupby("group")["floor"].sum())).round()
    order = frame.sort_values("remainder", ascending=False, kind="stable").groupby("group").cumcount()
    frame["floor"] += (order < missing.loc[order.index]).reindex(frame.index).astype(int)
    return frame["floor"].to_numpy() / 100


def _overdue_lines(items, parameters):
    late = items[items["days_late"] > 0]
    per_day, cap = float(parameters.per_overdue_day), float(parameters.overdue_cap_per_item)
    points = np.minimum(late["days_late"] * per_day, cap) * late["weight"]
    capped = np.where(late["days_late"] * per_day > cap, f"，封顶{_money(cap)}分", "")
    explanation = (
        "「"
        + late["title"]
        + "」逾期"
        + late["days_late"].astype(str)
        + f"天×{_money(per_day)}分"
        + capped
        + "（"
        + _role_note(late, parameters)
        + _lateness_note(late)
        + "）"
    )
    return _item_lines(late, "overdue_days", late["days_late"], -points, explanation)


def _rework_lines(items, parameters):
    returned = items[items["reworks"] > 0]
    per_rework = float(parameters.per_rework)
    points = returned["reworks"] * per_rework * returned["weight"]
    explanation = (
        "「"
        + returned["title"]
        + "」被退回整改"
        + returned["reworks"].astype(str)
        + f"次×{_money(per_rework)}分（"
        + _role_note(returned, parameters)
        + "）"
    )
    return _item_lines(returned, "rework", returned["reworks"], -points, explanation)


def _urging_lines(items, parameters):
    urged = items[items["urgings"] > 0]
    per_urging = float(parameters.per_urging)
    points = urged["urgings"] * per_urging * urged["weight"]
    explanation = "「" + urged["title"] + "」被催办" + urged["urgings"].astype(str) + f"次×{_money(per_urging)}分"
    return _item_lines(urged, "urging", urged["urgings"], -points, explanation)


def _signing_lines(signing, parameters, as_of):
    """One line per unit: the days its owned items waited to be signed for beyond the days allowed."""
    columns = ["unit_id", "item_id", "title", "role", "kind", "quantity", "points", "circular_title", "explanation"]
    if signing is None or signing.empty:
        return pd.DataFrame(columns=columns)
    end = pd.Timestamp(as_of)
    signed_on = pd.to_datetime(signing["signed_on"]).where(lambda dates: dates <= end, end)
    waited = (signed_on.fillna(end) - pd.to_datetime(signing["handed_on"])).dt.days
    late = signing.assign(days=(waited - parameters.signing_days_allowed).clip(lower=0).astype(int))
    late = late[late["days"] > 0].astype({"unit_id": "int64"}).sort_values(["unit_id", "handed_on", "item_id"])
    if late.empty:
        return pd.DataFrame(columns=columns)
    late["named"] = "「" + late["title"] + "」" + late["days"].astype(str) + "天"
    per_unit = late.groupby("unit_id").agg(days=("days", "sum"), items=("named", "、".join), count=("named", "size"))
    per_day = float(parameters.per_late_signing_day)
    explanation = (
        "签收超时"
        + per_unit["days"].astype(str)
        + f"天×{_money(per_day)}分（交办后{parameters.signing_days_allowed}天内应签收；"
        + per_unit["count"].astype(str)
        + "项："
        + per_unit["items"]
        + "）"
    )
    return pd.DataFrame(
        {
            "unit_id": per_unit.index.astype("int64"),
            "item_id": pd.Series([None] * len(per_unit), dtype="object"),
            "title": "",
            "role": LEAD,
            "kind": "late_signing",
            "quantity": per_unit["days"].to_numpy(),
            "points": cents(-per_unit["days"].to_numpy() * per_day),
            "circular_title": "",
            "explanation": _fit(explanation.to_numpy()),
        }
    )


def _fit(texts, length=300):
    """Explanations naming many items are cut to the column's length with an ellipsis inside the parenthesis."""
    return [text if len(text) <= length else text[: length - 2] + "…）" for text in texts]


def _circular_lines(frame, points_each, kind):
    lines = pd.DataFrame(
        {
            "unit_id": frame["unit_id"].astype("int64"),
            "item_id": pd.Series([None] * len(frame), dtype="object"),
            "title": frame["items"] if kind == "criticism" else "",
            "role": "",
            "kind": kind,
            "quantity": 1,
            "points": cents(np.full(len(frame), points_each)),
            "circular_title": frame["circular_title"],
        }
    )
    if kind == "criticism":
        lines["explanation"] = "被《" + frame["circular_title"] + "》点名通报（逾期事项：" + frame["items"] + "）"
    else:
        lines["explanation"] = "《" + frame["circular_title"] + "》通报表扬"
    return lines


def _unit_scores(facts, counts, items, lines, parameters):
    units = facts.units.astype({"unit_id": "int64"}).set_index("unit_id")
    scores = units.copy()

    def per_unit_sum(frame, column):
        return frame.groupby("unit_id")[column].sum().reindex(units.index, fill_value=0).astype(int)

    scores["items_due"] = per_unit_sum(counts, "due")
    scores["lead_items_due"] = per_unit_sum(counts[counts["role"] == LEAD], "due")
    scores["done_on_time"] = per_unit_sum(counts, "on_time")
    for column, source in (
        ("done_late", "done_late"),
        ("still_overdue", "still_overdue"),
        ("overdue_days", "days_late"),
        ("reworks", "reworks"),
    ):
        scores[column] = per_unit_sum(items, source)
    urgings = facts.urgings.astype({"owner_id": "int64", "urgings": "int64"}).rename(columns={"owner_id": "unit_id"})
    scores["urgings"] = per_unit_sum(urgings, "urgings")
    for column, frame in (("criticisms", facts.criticisms), ("praises", facts.praises)):
        scores[column] = frame.groupby("unit_id").size().reindex(units.index, fill_value=0).astype(int)
    due = scores["items_due"]
    scores["on_time_rate"] = (scores["done_on_time"] / due.where(due > 0)).round(4)

    def total(selected):
        return selected.groupby("unit_id")["points"].sum().reindex(units.index).fillna(0)

    scores["deductions"] = cents(-total(lines[lines["points"] < 0]))
    scores["bonuses"] = cents(total(lines[lines["points"] > 0]))
    scores["score"] = cents(float(parameters.base_score) + total(lines))
    # Ranked among the units with judged items; one named only in a circular has a score but no rank.
    ranked = scores["items_due"] > 0
    scores["rank"] = scores["score"].where(ranked).rank(method="min", ascending=False).astype("Int64")
    return scores.reset_index().sort_values(["rank", "unit_name"], ignore_index=True, na_position="last")


def _monthly_overdue(items, as_of):
    """How many judged items were overdue at the end of each month of the year, up to ``as_of``."""
    owned = items[items["role"] == LEAD].assign(done_on=lambda frame: frame["done_on"].where(~frame["still_overdue"]))
    month_ends = pd.date_range(f"{as_of.year}-01-01", pd.Timestamp(as_of), freq="ME")
    if not len(month_ends) or month_ends[-1] < pd.Timestamp(as_of):
        month_ends = month_ends.append(pd.DatetimeIndex([pd.Timestamp(as_of)]))
    deadline = owned["deadline"].to_numpy()[:, None]
    done_on = owned["done_on"].to_numpy()[:, None]
    ends = month_ends.to_numpy()[None, :]
    overdue = (deadline < ends) & (np.isnat(done_on) | (done_on > ends))
    counts = overdue.sum(axis=0) if len(owned) else np.zeros(len(month_ends), dtype=int)
    return [{"month": end.strftime("%Y-%m"), "overdue": int(count)} for end, count in zip(month_ends, counts)]
