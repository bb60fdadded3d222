"""The scheme's working-day options on the hand-computed year (conftest.py): lateness counted from the deadline
before any approved extension, and the time taken to sign for an item. Rows are made directly (extension requests,
``signed_at``); the services that write them live in workflows.

Lateness from the original deadline (worked by hand from test_scoring.py's figures):
  item 2 (县教委, due 30 Apr, submitted 30 Apr): extended from 20 Apr (approved) → 10 days late from 20 Apr.
    U1's not-on-time shares are now 4 × 30/6.3 + 30 × 0.3/6.3 = 20.48 (was 15.71); overdue 10 × 0.2 = −2.00.
    Score 75.69 − 4.77 − 2.00 = 68.92; on time 1, 4 of 7.
  item 8 (县财政局, due 31 May, submitted 20 May): a rejected request (from 1 May), then two approved ones
    (10 May → 20 May, then 20 May → 31 May): judged from the earliest approved one's deadline, 10 May → 10 days.
  item 11 (县财政局, due 15 Dec, submitted 20 Dec): the office moved its deadline to 20 Dec without a request: that
    stands, the item is on time.
    U2: late 7, 8, 10 (3 × −6.00), overdue −2.00, −2.00, −5.00, rework 11 −1.00, urgings −1.50, criticism −3.00
    → 100 − 32.50 = 67.50; on time 9, 11 of 5.
Signing time (2 days allowed, 0.1 per day beyond), as of 31 Dec:
  县教委: item 1 handed over 1 Mar, signed 6 Mar (3 over); item 2 handed over 1 Apr 23:30, signed 3 Apr (0);
    item 4 handed over 1 Sep, signed 00:30 on 4 Sep in Shanghai (1 over); item 5 handed over 20 Nov, signed
    5 Jan next year: unsigned at as_of, 41 days (39 over); item 6 handed over 20 Dec, awaiting signature (9 over).
    52 days → −5.20: 75.69 − 5.20 = 70.49.
  县生态环境局: item 21 (it leads, 县城管局 cooperates) handed over 1 Mar, signed 7 Mar → 4 over, −0.40 → 71.00;
    县城管局 pays nothing for it. 县财政局's item 9, signed in time, costs nothing; items never signed from before
    signing existed (stage 办理中) cost nothing either.
"""

import dataclasses
import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.computation.facts import read_facts
from assessments.computation.parameters import Parameters
from assessments.models import ScoreLine, ScoringScheme, UnitScore
from assessments.services import start_run
from departments.models import Unit
from workflows.flows import DutyFlow
from workflows.models import DutyItem, ExtensionRequest

from .conftest import AS_OF, UNIT_NAMES, YEAR, local, title
from .test_scoring import EXPECTED_LINES, EXPECTED_SCORES, SCORE_FIELDS

D = Decimal


@pytest.fixture
def manager(personas):
    return personas["assessment_reader"]


def day(text):
    return datetime.date.fromisoformat(text)


def extension(item, current, requested, status=ExtensionRequest.Status.APPROVED, asked="2025-01-02", by=None):
    request = ExtensionRequest.objects.create(
        item=item,
        unit=item.unit,
        requested_by=by or item.created_by,
        current_deadline=day(current),
        requested_deadline=day(requested),
        reason="材料需要补充",
        status=status,
    )
    ExtensionRequest.objects.filter(pk=request.pk).update(created_at=local(asked))
    return request


@pytest.fixture
def extensions(assessment_year):
    items = assessment_year
    extension(items[2], "2025-04-20", "2025-04-30", asked="2025-04-15")
    extension(items[8], "2025-05-01", "2025-06-15", status=ExtensionRequest.Status.REJECTED, asked="2025-04-25")
    extension(items[8], "2025-05-20", "2025-05-31", asked="2025-05-15")  # asked second: not the original
    extension(items[8], "2025-05-10", "2025-05-20", asked="2025-05-05")
    return items


def hand_over(item, handed, signed=None, stage=None):
    changes = {"created": local(handed), "signed_at": local(signed) if signed else None}
    if stage:
        changes["stage"] = stage
    DutyItem.objects.filter(pk=item.pk).update(**changes)


@pytest.fixture
def signatures(assessment_year):
    items = assessment_year
    hand_over(items[1], "2025-03-01", "2025-03-06 09:00")
    hand_over(items[2], "2025-04-01 23:30", "2025-04-03 08:00")
    hand_over(items[4], "2025-09-01", "2025-09-04 00:30")
    hand_over(items[5], "2025-11-20", "2026-01-05")
    hand_over(items[6], "2025-12-20", stage=DutyItem.Stage.SIGNING)
    hand_over(items[9], "2025-08-01", "2025-08-03 18:00")
    hand_over(items[21], "2025-03-01", "2025-03-07")
    hand_over(items[29], "2025-01-05", "2025-02-20")  # next year's item: not judged
    return items


def scheme(**options):
    ScoringScheme.objects.filter(year=YEAR).update(**options)


def scores_of(run):
    return {score.unit_name: score for score in UnitScore.objects.filter(run=run)}


def lines_by_unit(run, items):
    """{unit key: {(kind, item number or circular title): points}}, as EXPECTED_LINES."""
    number_of = {item.pk: number for number, item in items.items()}
    found = {}
    for key, name in UNIT_NAMES.items():
        lines = ScoreLine.objects.filter(score__run=run, score__unit_name=name)
        found[key] = {
            (line.kind, number_of[line.item_id] if line.item_id else line.circular_title): line.points for line in lines
        }
    return found


def test_with_both_options_off_the_scores_and_lines_are_exactly_as_before(extensions, signatures, manager):
    run = start_run(manager, YEAR, AS_OF)
    scores = scores_of(run)
    for key, values in EXPECTED_SCORES.items():
        assert tuple(getattr(scores[UNIT_NAMES[key]], field) for field in SCORE_FIELDS) == values, key
    assert lines_by_unit(run, extensions) == EXPECTED_LINES
    assert not ScoreLine.objects.filter(score__run=run, kind="late_signing").exists()
    assert "自批准延期前" not in "".join(ScoreLine.objects.filter(score__run=run).values_list("explanation", flat=True))
    assert run.parameters["lateness_from"] == "approved"
    assert run.parameters["count_signing_time"] is False


def test_an_unchanged_year_scores_the_same_under_the_options_when_nothing_was_extended_or_signed(
    assessment_year, manager
):
    scheme(lateness_from=ScoringScheme.LatenessFrom.ORIGINAL, count_signing_time=True)
    run = start_run(manager, YEAR, AS_OF)
    scores = scores_of(run)
    for key, values in EXPECTED_SCORES.items():
        assert tuple(getattr(scores[UNIT_NAMES[key]], field) for field in SCORE_FIELDS) == values, key
    for key, lines in EXPECTED_LINES.items():
        assert ScoreLine.objects.filter(score__run=run, score__unit_name=UNIT_NAMES[key]).count() == len(lines)


def test_lateness_from_the_original_deadline_starts_at_the_earliest_approved_request(extensions, manager):
    DutyItem.objects.filter(pk=extensions[11].pk).update(deadline=day("2025-12-20"))  # the office's own extension
    scheme(lateness_from=ScoringScheme.LatenessFrom.ORIGINAL)
    run = start_run(manager, YEAR, AS_OF)
    scores = scores_of(run)
    education, finance = scores["县教委"], scores["县财政局"]
    assert (education.done_on_time, education.done_late, education.overdue_days, education.score) == (
        3 - 1,
        3,
        46 + 10,
        D("68.92"),
    )
    assert (finance.done_on_time, finance.done_late, finance.still_overdue, finance.overdue_days, finance.score) == (
        2,
        2,
        1,
        81,
        D("67.50"),
    )
    for key in ("U3", "U4", "U5"):  # no extension requests: as before
        assert scores[UNIT_NAMES[key]].score == EXPECTED_SCORES[key][13]
    lines = ScoreLine.objects.filter(score__run=run)
    overdue = lines.get(kind="overdue_days", item_title=title(2))
    assert (overdue.quantity, overdue.points) == (10, D("-2.00"))
    assert overdue.explanation == (
        "「事项02」逾期10天×0.2分（牵头，权重1；自批准延期前的原截止日期2025年04月20日起算（已延期至2025年04月30日））"
    )
    shared = lines.get(kind="not_on_time", item_title=title(8))
    assert shared.explanation == (
        "「事项08」逾期完成（牵头，权重1；自批准延期前的原截止日期2025年05月10日起算（已延期至2025年05月31日））"
        "：按时完成分按权重分摊的一份"
    )
    assert lines.get(kind="overdue_days", item_title=title(8)).quantity == 10
    assert not lines.filter(item_title=title(11), kind__in=["not_on_time", "overdue_days"]).exists()
    # an item late without any extension says nothing about one
    assert (
        lines.get(kind="overdue_days", item_title=title(5)).explanation
        == "「事项05」逾期31天×0.2分，封顶5分（牵头，权重1）"
    )
    for score in UnitScore.objects.filter(run=run).prefetch_related("lines"):
        assert D("100") + sum(line.points for line in score.lines.all()) == score.score
    assert run.parameters["lateness_from"] == "original"


def test_an_item_extended_past_the_as_of_date_is_judged_from_its_original_deadline(assessment_year, manager):
    extension(assessment_year[29], "2025-12-20", "2026-01-31", asked="2025-12-10")  # 县城管局, open
    run = start_run(manager, YEAR, AS_OF)
    assert scores_of(run)["县城管局"].items_due == 6  # in force: due next year, not judged
    scheme(lateness_from=ScoringScheme.LatenessFrom.ORIGINAL)
    run = start_run(manager, YEAR, AS_OF)
    assert (scores_of(run)["县城管局"].items_due, scores_of(run)["县城管局"].still_overdue) == (7, 2)
    overdue = ScoreLine.objects.get(score__run=run, kind="overdue_days", item_title=title(29))
    assert overdue.quantity == 11
    assert "自批准延期前的原截止日期2025年12月20日起算（已延期至2026年01月31日）" in overdue.explanation
    assert [month["overdue"] for month in run.monthly_overdue][-1] == 4  # 5, 10, 21 and now 29


def test_signing_time_deducts_each_day_beyond_those_allowed_in_one_line_per_unit(signatures, manager):
    scheme(count_signing_time=True)
    run = start_run(manager, YEAR, AS_OF)
    scores = scores_of(run)
    assert scores["县教委"].score == D("70.49")
    assert scores["县生态环境局"].score == D("71.00")
    for key in ("U2", "U3", "U5"):
        assert scores[UNIT_NAMES[key]].score == EXPECTED_SCORES[key][13], key
    lines = ScoreLine.objects.filter(score__run=run, kind="late_signing")
    assert lines.count() == 2
    education = lines.get(score__unit_name="县教委")
    assert (education.quantity, education.points, education.item_id) == (52, D("-5.20"), None)
    assert education.explanation == (
        "签收超时52天×0.1分（交办后2天内应签收；4项：「事项01」3天、「事项04」1天、「事项05」39天、「事项06」9天）"
    )
    ecology = lines.get(score__unit_name="县生态环境局")
    assert ecology.explanation == "签收超时4天×0.1分（交办后2天内应签收；1项：「事项21」4天）"
    assert scores["县教委"].deductions == EXPECTED_SCORES["U1"][11] + D("5.20")
    for score in UnitScore.objects.filter(run=run).prefetch_related("lines"):
        assert D("100") + sum(line.points for line in score.lines.all()) == score.score


def test_signing_time_follows_the_scheme_days_and_rate(signatures, manager):
    scheme(count_signing_time=True, signing_days_allowed=4, per_late_signing_day=D("0.25"))
    run = start_run(manager, YEAR, AS_OF)
    line = ScoreLine.objects.get(score__run=run, kind="late_signing", score__unit_name="县教委")
    # item 1: 5 days (1 over), item 4: 3 (0), item 5: 41 (37), item 6: 11 (7)
    assert (line.quantity, line.points) == (45, D("-11.25"))
    assert line.explanation.startswith("签收超时45天×0.25分（交办后4天内应签收；3项：「事项01」1天、")
    ecology = ScoreLine.objects.get(score__run=run, kind="late_signing", score__unit_name="县生态环境局")
    assert (ecology.quantity, ecology.points) == (2, D("-0.50"))


def test_both_options_together_add_up(extensions, signatures, manager):
    DutyItem.objects.filter(pk=extensions[11].pk).update(deadline=day("2025-12-20"))
    scheme(lateness_from=ScoringScheme.LatenessFrom.ORIGINAL, count_signing_time=True)
    run = start_run(manager, YEAR, AS_OF)
    assert scores_of(run)["县教委"].score == D("68.92") - D("5.20")
    assert scores_of(run)["县财政局"].score == D("67.50")


def test_an_old_runs_parameters_read_as_both_options_off(assessment_year):
    old = Parameters.of(ScoringScheme.objects.get(year=YEAR)).to_json()
    for name in ("lateness_from", "count_signing_time", "signing_days_allowed", "per_late_signing_day"):
        del old[name]
    parameters = Parameters.from_json(old)
    assert (parameters.lateness_from, parameters.count_signing_time, parameters.signing_days_allowed) == (
        "approved",
        False,
        2,
    )
    assert parameters.per_late_signing_day == D("0.1")
    assert Parameters.from_json(Parameters.of(ScoringScheme.objects.get(year=YEAR)).to_json()) == parameters


def add_items(office, units, count, start):
    """``count`` more judged items per unit, each extended (approved) and signed late."""
    for unit in units:
        for number in range(start, start + count):
            item = DutyItem.objects.create(
                flow_class=DutyFlow,
                kind=DutyItem.Kind.AD_HOC,
                unit=unit,
                title=f"增补{number}",
                deadline=day("2025-06-30"),
                stage=DutyItem.Stage.REPORTING,
                created=local("2025-05-01"),
                signed_at=local("2025-05-09"),
                created_by=office,
            )
            extension(item, "2025-06-10", "2025-06-30", asked="2025-06-01")
            extension(item, "2025-06-30", "2025-07-30", status=ExtensionRequest.Status.PENDING, asked="2025-06-20")


def test_the_computation_query_count_does_not_grow_with_items(extensions, signatures, personas, count_queries):
    scheme(lateness_from=ScoringScheme.LatenessFrom.ORIGINAL, count_signing_time=True)
    parameters = Parameters.of(ScoringScheme.objects.get(year=YEAR))
    units = list(Unit.objects.filter(name__in=UNIT_NAMES.values()))
    office = personas["government_office"]
    add_items(office, units, 1, 100)
    few = count_queries(lambda: read_facts(parameters, YEAR, AS_OF))
    facts = read_facts(parameters, YEAR, AS_OF)
    add_items(office, units, 6, 200)
    assert count_queries(lambda: read_facts(parameters, YEAR, AS_OF)) == few
    more = read_facts(parameters, YEAR, AS_OF)
    assert len(more.signing) == len(facts.signing) + 6 * len(units)
    assert len(more.imperfect) > len(facts.imperfect)
    off = dataclasses.replace(parameters, lateness_from="approved", count_signing_time=False)
    # with both options off the signing time is not even read (nor the collectives it would be shared by)
    assert count_queries(lambda: read_facts(off, YEAR, AS_OF)) == few - 2


def test_the_scheme_page_shows_and_saves_the_options_in_chinese(client, manager, db):
    client.force_login(manager)
    url = reverse("assessments:scheme_edit", args=[2026])
    response = client.get(url)
    html = response.content.decode()
    for text in (
        "逾期起算",
        "现行截止日期（含已批准的延期）",
        "批准延期前的原截止日期",
        "计入签收用时",
        "签收允许天数",
        "逾期签收每天扣分",
        "从第一次获批的延期申请提出时的截止日期算起",
        "交办当天之后的自然日数",
    ):
        assert text in html, text
    form = response.context["form"]
    data = {name: form[name].value() for name in form.fields if name != "periods"}
    data = {key: value for key, value in data.items() if value is not None and value is not False and value != ""}
    data.update(lateness_from="original", count_signing_time="on", signing_days_allowed="3", per_late_signing_day="-1")
    response = client.post(url, data)
    assert "不能为负数。" in response.content.decode()
    data.update(per_late_signing_day="0.5", lateness_from="someday")
    assert client.post(url, data).status_code == 200
    data.update(lateness_from="original")
    assert client.post(url, data).status_code == 302
    saved = ScoringScheme.objects.get(year=2026)
    assert (saved.lateness_from, saved.count_signing_time, saved.signing_days_allowed, saved.per_late_signing_day) == (
        "original",
        True,
        3,
        D("0.5"),
    )


def test_the_ranking_states_the_options_it_was_computed_with(assessment_year, manager, client):
    scheme(lateness_from=ScoringScheme.LatenessFrom.ORIGINAL, count_signing_time=True)
    run = start_run(manager, YEAR, AS_OF)
    client.force_login(manager)
    html = client.get(run.get_absolute_url()).content.decode()
    assert "逾期自批准延期前的原截止日期起算" in html
    assert "签收超过交办后2天的，每天扣0.1分" in html
