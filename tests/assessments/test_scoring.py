"""The hand-computed year (conftest.py) scored exactly: every count, line, score and rank.

Worked by hand, default scheme (base 100, on-time 30, 0.2 per overdue day capped at 5 per
item, 1 per rework, 3 per criticism, 2 per praise, lead 1, cooperating 0.3) with 0.5 per urging:

U1 县教委 — judged 1–6, cooperates on 7. Weight 6 + 0.3 = 6.3.
  3 late 5 days (00:30 on 5 July in Shanghai is still 4 July in UTC), 5 open 31 days, 6 due on as_of and still
  open at its end (not on time, 0 days overdue), 7 late 10 days (co-op).
  not on time 3: 30×1/6.3 = 4.762 → −4.76; 5: −4.76; 6: −4.76; 7: 30×0.3/6.3 = 1.4286 → −1.43
  overdue 3: 5×0.2 = −1.00; 5: 31×0.2 = 6.2 capped → −5.00; 7: 10×0.2×0.3 = −0.60; rework 4: 2×1 = −2.00
  score 100 − 24.31 = 75.69; on time 1, 2, 4 of 7 judged → 0.4286
U2 县财政局 — judged 7–11 (12 withdrawn). Weight 5. Late 7 (10 d), 11 (5 d); 10 open 61 days.
  not on time 7, 10, 11: 3 × −6.00; overdue 7 −2.00, 10 −5.00 (12.2 capped), 11 −1.00; rework 11 −1.00;
  urgings 9: 2×0.5 = −1.00, 10: −0.50; criticised in the third-quarter circular −3.00
  score 100 − 31.50 = 68.50; on time 8, 9 of 5 → 0.4
U3 县人力社保局 — 13–18 on time, cooperates on 7. Weight 6.3.
  not on time 7: 30×0.3/6.3 = 1.4286 → −1.43; overdue 7: 10×0.2×0.3 = −0.60; praised +2.00
  score 99.97; 6 of 7 → 0.8571
U4 县生态环境局 — judged 19, 20, 21, 22, 24 (23 is last year's). Weight 5.
  19 late 3 days, 20 late 5 days (28 Feb → 5 Mar), 21 open 275 days.
  not on time 19, 20, 21: 3 × −6.00; overdue −0.60, −1.00, −5.00; rework 24 −1.00; criticised −3.00
  score 100 − 28.60 = 71.40; 2 of 5 → 0.4
U5 县城管局 — judged 25–28 and 30 (29 is next year's; 28 is due on as_of but closed), cooperates on 21. Weight 5.3.
  30 (a rectification item) late 5 days; 21 open 275 days (co-op).
  not on time 30: −5.66; 21: −1.70; overdue 30: −1.00; 21: 5 (capped) × 0.3 = −1.50; praised +2.00
  deductions 9.86, score 100 − 9.86 + 2 = 92.14; 4 of 6 → 0.6667
Ranks: U3 1, U5 2, U1 3, U4 4, U2 5. The draft circular and last year's circular count for nothing.
"""

from decimal import Decimal

import pytest

from assessments.models import ScoreLine, UnitScore
from assessments.services import start_run

from .conftest import AS_OF, UNIT_NAMES, YEAR, title

D = Decimal

EXPECTED_SCORES = {
    # unit: (due, lead due, on time, late, overdue, overdue days, reworks, urgings, criticisms, praises,
    #        rate, deductions, bonuses, score, rank)
    "U1": (7, 6, 3, 2, 2, 46, 2, 0, 0, 0, D("0.4286"), D("24.31"), D("0"), D("75.69"), 3),
    "U2": (5, 5, 2, 2, 1, 76, 1, 3, 1, 0, D("0.4"), D("31.50"), D("0"), D("68.50"), 5),
    "U3": (7, 6, 6, 1, 0, 10, 0, 0, 0, 1, D("0.8571"), D("2.03"), D("2"), D("99.97"), 1),
    "U4": (5, 5, 2, 2, 1, 283, 1, 0, 1, 0, D("0.4"), D("28.60"), D("0"), D("71.40"), 4),
    "U5": (6, 5, 4, 1, 1, 280, 0, 0, 0, 1, D("0.6667"), D("9.86"), D("2"), D("92.14"), 2),
}

# unit: {(kind, item number or circular title): points}
EXPECTED_LINES = {
    "U1": {
        ("not_on_time", 3): D("-4.76"),
        ("not_on_time", 5): D("-4.76"),
        ("not_on_time", 6): D("-4.76"),
        ("not_on_time", 7): D("-1.43"),
        ("overdue_days", 3): D("-1.00"),
        ("overdue_days", 5): D("-5.00"),
        ("overdue_days", 7): D("-0.60"),
        ("rework", 4): D("-2.00"),
    },
    "U2": {
        ("not_on_time", 7): D("-6.00"),
        ("not_on_time", 10): D("-6.00"),
        ("not_on_time", 11): D("-6.00"),
        ("overdue_days", 7): D("-2.00"),
        ("overdue_days", 10): D("-5.00"),
        ("overdue_days", 11): D("-1.00"),
        ("rework", 11): D("-1.00"),
        ("urging", 9): D("-1.00"),
        ("urging", 10): D("-0.50"),
        ("criticism", "2025年第三季度督查通报"): D("-3.00"),
    },
    "U3": {
        ("not_on_time", 7): D("-1.43"),
        ("overdue_days", 7): D("-0.60"),
        ("praise", "2025年第一季度督查通报"): D("2.00"),
    },
    "U4": {
        ("not_on_time", 19): D("-6.00"),
        ("not_on_time", 20): D("-6.00"),
        ("not_on_time", 21): D("-6.00"),
        ("overdue_days", 19): D("-0.60"),
        ("overdue_days", 20): D("-1.00"),
        ("overdue_days", 21): D("-5.00"),
        ("rework", 24): D("-1.00"),
        ("criticism", "2025年第一季度督查通报"): D("-3.00"),
    },
    "U5": {
        ("not_on_time", 30): D("-5.66"),
        ("not_on_time", 21): D("-1.70"),
        ("overdue_days", 30): D("-1.00"),
        ("overdue_days", 21): D("-1.50"),
        ("praise", "2025年第三季度督查通报"): D("2.00"),
    },
}

SCORE_FIELDS = (
    "items_due",
    "lead_items_due",
    "done_on_time",
    "done_late",
    "still_overdue",
    "overdue_days",
    "reworks",
    "urgings",
    "criticisms",
    "praises",
    "on_time_rate",
    "deductions",
    "bonuses",
    "score",
    "rank",
)


@pytest.fixture
def run(assessment_year, personas):
    return start_run(personas["assessment_reader"], YEAR, AS_OF)


def test_every_count_score_and_rank_is_as_computed_by_hand(run):
    scores = {score.unit_name: score for score in UnitScore.objects.filter(run=run)}
    assert set(scores) == set(UNIT_NAMES.values())
    for key, expected in EXPECTED_SCORES.items():
        actual = scores[UNIT_NAMES[key]]
        assert tuple(getattr(actual, field) for field in SCORE_FIELDS) == expected, key


def test_every_deduction_and_bonus_is_a_line_naming_its_item(run, assessment_year):
    number_of = {item.pk: number for number, item in assessment_year.items()}
    for key, expected in EXPECTED_LINES.items():
        lines = ScoreLine.objects.filter(score__run=run, score__unit_name=UNIT_NAMES[key])
        actual = {}
        for line in lines:
            if line.item_id:
                assert line.item_title == title(number_of[line.item_id])
                assert line.item_title in line.explanation
                actual[(line.kind, number_of[line.item_id])] = line.points
            else:
                assert line.circular_title in line.explanation
                actual[(line.kind, line.circular_title)] = line.points
        assert actual == expected, key


def test_the_lines_add_up_to_the_score(run):
    for score in UnitScore.objects.filter(run=run).prefetch_related("lines"):
        assert Decimal("100") + sum(line.points for line in score.lines.all()) == score.score


def test_explanations_say_why_in_chinese(run):
    lines = ScoreLine.objects.filter(score__run=run)
    overdue = lines.get(kind="overdue_days", item_title=title(5))
    assert overdue.explanation == "「事项05」逾期31天×0.2分，封顶5分（牵头，权重1）"
    assert overdue.quantity == 31
    shared = lines.get(kind="not_on_time", item_title=title(7), score__unit_name="县教委")
    assert shared.explanation == "「事项07」逾期完成（配合，权重0.3）：按时完成分按权重分摊的一份"
    criticism = lines.get(kind="criticism", score__unit_name="县生态环境局")
    assert criticism.explanation == "被《2025年第一季度督查通报》点名通报（逾期事项：事项19、事项21）"


def test_monthly_overdue_trend_counts_owned_items_overdue_at_each_month_end(run):
    assert [month["overdue"] for month in run.monthly_overdue] == [0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 2, 3]
    assert run.monthly_overdue[0]["month"] == "2025-01"
    assert run.monthly_overdue[-1]["month"] == "2025-12"


def test_cooperating_weight_zero_scores_units_only_on_what_they_lead(assessment_year, personas):
    from assessments.models import ScoringScheme

    ScoringScheme.objects.filter(year=YEAR).update(cooperating_weight=0)
    run = start_run(personas["assessment_reader"], YEAR, AS_OF)
    education = UnitScore.objects.get(run=run, unit_name="县教委")
    # weight 6 now: each of 3, 5 and 6 costs 30/6 = 5; overdue 1 + 5; rework 2 → 100 − 23 = 77
    assert (education.items_due, education.score) == (6, D("77.00"))
    assert not ScoreLine.objects.filter(score__run=run, role="cooperating").exists()


def test_a_scheme_that_counts_only_plan_duties_judges_no_ad_hoc_items(assessment_year, personas):
    from assessments.models import ScoringScheme

    ScoringScheme.objects.filter(year=YEAR).update(count_ad_hoc=False)
    run = start_run(personas["assessment_reader"], YEAR, AS_OF)
    # only item 30 (a rectification) is left, and the circulars
    scores = {score.unit_name: score for score in UnitScore.objects.filter(run=run)}
    assert scores["县城管局"].items_due == 1
    assert scores["县城管局"].score == D("100") - D("30.00") - D("1.00") + D("2")
    assert scores["县财政局"].items_due == 0
    assert scores["县财政局"].criticisms == 1


def test_with_the_default_urging_weight_urgings_are_counted_but_cost_nothing(assessment_year, personas):
    from assessments.models import ScoringScheme

    ScoringScheme.objects.filter(year=YEAR).update(per_urging=0)
    run = start_run(personas["assessment_reader"], YEAR, AS_OF)
    finance = UnitScore.objects.get(run=run, unit_name="县财政局")
    assert (finance.urgings, finance.score) == (3, D("68.50") + D("1.50"))
    assert not ScoreLine.objects.filter(score__run=run, kind="urging").exists()


def test_a_scheme_limited_to_some_periods_leaves_other_periods_items_out(assessment_year, personas, plan):
    import datetime as dt

    from assessments.models import ScoringScheme
    from workflows.models import DutyItem, ItemEvent, Period

    year_period = Period.objects.get(plan=plan, year=YEAR)
    phase = plan.phases.order_by("pk").first()
    other = Period.objects.create(
        plan=plan, kind=Period.Kind.PHASE, phase=phase, label="阶段", starts_on=phase.starts_on, ends_on=phase.ends_on
    )
    outside = assessment_year[8]  # 县财政局, on time: moved to another period, made late and urged
    DutyItem.objects.filter(pk=outside.pk).update(period=other, reworks=3, deadline=dt.date(2025, 5, 1))
    ItemEvent.objects.create(item=outside, kind=ItemEvent.Kind.URGED, text="再催")
    ScoringScheme.objects.get(year=YEAR).periods.set([year_period])
    run = start_run(personas["assessment_reader"], YEAR, AS_OF)
    finance = UnitScore.objects.get(run=run, unit_name="县财政局")
    # item 8 no longer counts: 4 judged, the rest as before (its urging is not counted either)
    assert (finance.items_due, finance.urgings, finance.reworks) == (4, 3, 1)
    assert not ScoreLine.objects.filter(score__run=run, item_id=outside.pk).exists()


def test_shares_of_the_on_time_points_add_up_to_the_units_total():
    from assessments.computation.scoring import shares_in_cents

    # A unit with two lead items (1) and one cooperating item (0.3), none on time: 30 × 1/2.3 twice and 30 × 0.3/2.3.
    # Each rounded alone: 13.04 + 13.04 + 3.91 = 29.99, a cent better than a unit that lost all 30 with one item.
    shares = [30 / 2.3, 30 / 2.3, 9 / 2.3, 30.0, 10 / 3, 10 / 3, 10 / 3]
    units = ["a", "a", "a", "b", "c", "c", "c"]
    rounded = shares_in_cents(shares, units)
    assert [round(value, 2) for value in rounded] == [13.05, 13.04, 3.91, 30.0, 3.34, 3.33, 3.33]
    assert round(sum(rounded[:3]), 2) == 30.0
    assert round(sum(rounded[4:]), 2) == 10.0
