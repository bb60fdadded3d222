"""The plan's progress year by year (pages.reads.plan_progress and its page), on a small hand-made history.

Today is 30 June 2026. The shipped plan runs from its first phase (宣传启动, 2021) to its target year 2028.

2024: items due — A on time (submitted 23:30 on its deadline, Shanghai), B late (00:30 the day after, Shanghai:
still the deadline day in UTC), C still open (overdue), D a rectification item on time; an ad-hoc task and a
withdrawn duty are not counted. Items 4, on time 2, late 2 (done late 1, overdue 1). B was returned once (an
ad-hoc task's return does not count); C's extension was asked and approved; one urging; one circular published
(a draft does not count); a published assessment whose ranked units scored 80 and 90 (an unranked 100 left
out): 85. Two primary schools with figures, one meeting the standard (7 of 7) and one not (5 of 7); two
coefficients, 0.3 (within 0.5) and 0.6: mean 0.45, 1 of 2.
2025: only an urging, made at 00:30 on 1 January in Shanghai (still 2024 in UTC); a draft assessment (未发布).
2026: G submitted on time but still awaiting inspection after its deadline (overdue: open), H due in December
(neither on time nor late yet); an extension asked on G, pending.
2021–2023, 2027, 2028: nothing (—).
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from assessments.models import AssessmentRun, ScoringScheme
from departments.models import Unit
from indicators.computation.catalogue import RESOURCE_CODES
from indicators.models import CoefficientValue, IndicatorValue, SchoolPart
from indicators.services.schools import register_school
from notices.models import Circular, Urging
from pages.reads import plan_progress_charts as charts
from pages.reads.plan_progress import yearly_progress
from workflows.flows import DutyFlow
from workflows.models import DutyItem, ExtensionRequest, Inspection

from ..conftest import year_period
from .home_fixtures import add_score, school_figures

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = datetime.date(2026, 6, 30)
Stage = DutyItem.Stage
Kind = DutyItem.Kind


def at(text):
    """A moment in Shanghai: "2024-03-31 23:30"."""
    return datetime.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=SHANGHAI)


def item(unit, deadline, *, stage=Stage.REPORTING, submitted=None, kind=Kind.DUTY, period=None, title="任务"):
    closed = stage == Stage.CLOSED
    return DutyItem.objects.create(
        flow_class=DutyFlow,
        kind=kind,
        period=period,
        unit=unit,
        title=title,
        deadline=datetime.date.fromisoformat(deadline),
        stage=stage,
        submitted_at=at(submitted) if submitted else None,
        closed_at=at(submitted) + datetime.timedelta(days=3) if closed else None,
    )


def dated(model, row, field, moment):
    """Set an auto_now_add field to ``moment`` (the history is written after the fact)."""
    model.objects.filter(pk=row.pk).update(**{field: at(moment)})


def inspection(target, inspector, moment, verdict=Inspection.Verdict.RETURNED):
    made = Inspection.objects.create(item=target, inspector=inspector, verdict=verdict, reasons="材料不全")
    dated(Inspection, made, "created_at", moment)


def extension(target, by, moment, status):
    made = ExtensionRequest.objects.create(
        item=target,
        unit=target.unit,
        requested_by=by,
        current_deadline=target.deadline,
        requested_deadline=target.deadline + datetime.timedelta(days=30),
        reason="需要补充材料",
        status=status,
    )
    dated(ExtensionRequest, made, "created_at", moment)


def urging(by, moment):
    made = Urging.objects.create(message="请抓紧办理", created_by=by)
    dated(Urging, made, "created_at", moment)


def assessment(year, by, *, published, scores=()):
    run = AssessmentRun.objects.create(
        scheme=ScoringScheme.objects.get_or_create(year=year)[0],
        year=year,
        as_of=datetime.date(year, 12, 31),
        created_by=by,
        status=AssessmentRun.Status.PUBLISHED if published else AssessmentRun.Status.DRAFT,
        published_at=at(f"{year + 1}-01-15 10:00") if published else None,
    )
    units = Unit.objects.exclude(kind__in=[Unit.Kind.SCHOOL, Unit.Kind.COLLECTIVE]).order_by("pk")
    for unit, (rank, score) in zip(units, scores, strict=False):
        add_score(run, unit, rank=rank, score=score)
    return run


def primary_school(name):
    unit = Unit.objects.create(name=name, kind=Unit.Kind.SCHOOL)
    register_school(unit, "primary")
    return SchoolPart.objects.get(school__unit=unit, stage="primary")


def indicator_values(part, year, reached):
    """The 7 resource indicators of ``part``, the first ``reached`` of them reaching their threshold."""
    IndicatorValue.objects.bulk_create(
        IndicatorValue(part=part, year=year, code=code, value=1, threshold=1, reached=n < reached, below_floor=False)
        for n, code in enumerate(RESOURCE_CODES)
    )


def coefficient(year, code, value, threshold=Decimal("0.5")):
    return CoefficientValue.objects.create(
        year=year,
        stage="primary",
        code=code,
        coefficient=value,
        county_ratio=1,
        parts=2,
        students=100,
        threshold=threshold,
        reached=value <= threshold,
    )


@pytest.fixture
def history(plan, units, personas):
    office, inspector = personas["government_office"], personas["inspector"]
    own = units["own"]
    p2024, p2026 = year_period(plan, 2024), year_period(plan, 2026)
    b = item(own, "2024-03-31", stage=Stage.CLOSED, submitted="2024-04-01 00:30", period=p2024, title="B")
    c = item(own, "2024-06-30", period=p2024, title="C")
    item(own, "2024-03-31", stage=Stage.CLOSED, submitted="2024-03-31 23:30", period=p2024, title="A")
    item(own, "2024-09-30", stage=Stage.CLOSED, submitted="2024-09-29 10:00", kind=Kind.RECTIFICATION, title="D")
    ad_hoc = item(own, "2024-05-01", kind=Kind.AD_HOC, title="临时任务")
    item(own, "2024-05-01", stage=Stage.WITHDRAWN, period=p2024, title="已撤销")
    g = item(own, "2026-03-31", stage=Stage.INSPECTING, submitted="2026-03-30 10:00", period=p2026, title="G")
    item(own, "2026-12-31", period=p2026, title="H")

    inspection(b, inspector, "2024-03-20 10:00")
    inspection(ad_hoc, inspector, "2024-04-20 10:00")
    extension(c, personas["own_liaison"], "2024-06-20 10:00", ExtensionRequest.Status.APPROVED)
    extension(g, personas["own_liaison"], "2026-03-25 10:00", ExtensionRequest.Status.PENDING)
    urging(office, "2024-07-01 10:00")
    urging(office, "2025-01-01 00:30")
    for status, published in [(Circular.Status.PUBLISHED, "2024-08-01 10:00"), (Circular.Status.DRAFT, None)]:
        Circular.objects.create(
            title="督查通报",
            period=p2024,
            rectification_deadline=datetime.date(2024, 9, 30),
            status=status,
            created_by=office,
            published_at=at(published) if published else None,
        )
    assessment(2024, personas["assessment_reader"], published=True, scores=[(1, 90), (2, 80), (None, 100)])
    assessment(2025, personas["assessment_reader"], published=False, scores=[(1, 95)])

    passing, failing = primary_school("样例小学一"), primary_school("样例小学二")
    indicator_values(passing, 2024, reached=7)
    indicator_values(failing, 2024, reached=5)
    school_figures(passing, 2024)
    school_figures(failing, 2024)
    coefficient(2024, RESOURCE_CODES[0], Decimal("0.3"))
    coefficient(2024, RESOURCE_CODES[1], Decimal("0.6"))
    return plan


def by_year(plan, **options):
    return {row.year: row for row in yearly_progress(plan, today=TODAY, **options)}


def test_one_row_per_year_from_the_first_phase_to_the_target_year(history):
    assert list(by_year(history)) == [2021, 2022, 2023, 2024, 2025, 2026, 2027, 2028]


def test_the_items_of_a_year_on_time_and_late_in_shanghai_dates(history):
    row = by_year(history)[2024]
    assert (row.items, row.on_time, row.done_late, row.overdue, row.late) == (4, 2, 1, 1, 2)
    assert row.on_time_rate == 0.5


def test_an_item_awaiting_inspection_past_its_deadline_is_overdue_and_one_not_yet_due_is_neither(history):
    row = by_year(history)[2026]
    assert (row.items, row.on_time, row.done_late, row.overdue) == (2, 0, 0, 1)


def test_returns_extensions_urgings_and_circulars_fall_in_the_year_they_were_made(history):
    rows = by_year(history)
    counts = {
        year: (row.returned, row.extensions, row.extensions_approved, row.urgings, row.circulars)
        for year, row in rows.items()
    }
    assert counts == {
        2021: (None, None, None, None, None),
        2022: (None, None, None, None, None),
        2023: (None, None, None, None, None),
        2024: (1, 1, 1, 1, 1),
        2025: (0, 0, 0, 1, 0),  # the urging at 00:30 on New Year's Day in Shanghai
        2026: (0, 1, 0, 0, 0),
        2027: (None, None, None, None, None),
        2028: (None, None, None, None, None),
    }
    assert rows[2025].items == 0  # a year with work recorded shows its zeros


def test_the_average_score_of_the_ranked_units_of_a_published_assessment(history):
    rows = by_year(history)
    assert rows[2024].average_score == 85
    assert rows[2025].average_score is None  # a draft
    assert by_year(history, with_scores=False)[2024].average_score is None


def test_schools_meeting_the_standard_and_the_coefficients_from_the_stored_values(history):
    rows = by_year(history)
    primary = rows[2024].primary
    assert (primary.passing, primary.schools, primary.passing_share, primary.provisional) == (1, 2, 0.5, False)
    assert (primary.coefficients, primary.coefficients_reached, primary.threshold) == (2, 1, 0.5)
    assert primary.coefficient_mean == pytest.approx(0.45)
    assert rows[2024].junior is None
    assert rows[2025].primary is None
    assert [row.year for row in rows.values() if row.is_blank] == [2021, 2022, 2023, 2027, 2028]


def test_the_query_count_does_not_grow_with_items_years_or_schools(history, personas, units, count_queries):
    few = count_queries(lambda: yearly_progress(history, today=TODAY))
    office, own = personas["government_office"], units["own"]
    for year in (2022, 2023, 2025, 2027):
        period = year_period(history, year)
        for month in range(1, 7):
            made = item(own, f"{year}-{month:02d}-10", stage=Stage.CLOSED, submitted=f"{year}-{month:02d}-12 09:00")
            made.period = period
            made.save(update_fields=["period"])
            inspection(made, personas["inspector"], f"{year}-{month:02d}-05 10:00")
            extension(made, personas["own_liaison"], f"{year}-{month:02d}-01 10:00", ExtensionRequest.Status.REJECTED)
            urging(office, f"{year}-{month:02d}-11 10:00")
    assessment(2022, personas["assessment_reader"], published=True, scores=[(1, 70), (2, 60)])
    for n in range(5):
        part = primary_school(f"新增小学{n}")
        indicator_values(part, 2025, reached=6)
    coefficient(2025, RESOURCE_CODES[0], Decimal("0.2"))
    many = count_queries(lambda: yearly_progress(history, today=TODAY))
    assert many == few
    assert by_year(history)[2023].items == 6


# --- the page ----------------------------------------------------------------------------------------------------


def page(client, user, url=None):
    client.force_login(user)
    return client.get(url or reverse("plan_progress"))


@pytest.mark.parametrize("role", ["government_office", "leadership", "plan_office"])
def test_the_office_the_leadership_group_and_the_plan_office_see_the_page(client, personas, history, role):
    response = page(client, personas[role])
    assert response.status_code == 200
    content = response.content.decode()
    assert "方案实施进度" in content
    assert "口径说明" in content
    assert [row.year for row in response.context["rows"]] == list(range(2021, 2029))
    assert reverse("plan_progress_chart", args=[history.pk, "completion", "svg"]) in content


def test_the_page_of_a_plan_by_its_id_and_a_missing_plan_is_404(client, personas, history):
    office = personas["government_office"]
    assert page(client, office, reverse("plan_progress_of", args=[history.pk])).status_code == 200
    assert page(client, office, reverse("plan_progress_of", args=[99999])).status_code == 404


@pytest.mark.parametrize("persona", ["own_liaison", "inspector", "assessment_reader", "administrator", "no_unit"])
def test_others_are_refused_with_the_chinese_error_page(client, personas, history, persona):
    response = page(client, personas[persona])
    assert response.status_code == 403
    assert "没有权限" in response.content.decode()
    chart = reverse("plan_progress_chart", args=[history.pk, "completion", "svg"])
    assert page(client, personas[persona], chart).status_code == 403


def test_a_year_without_records_shows_a_dash_and_an_unpublished_assessment_says_so(client, personas, history):
    content = page(client, personas["government_office"]).content.decode()
    blank = content.split('data-year="2022"')[1].split("</tr>")[0]
    assert blank.count(">—<") == 11
    assert "暂无记录" in blank
    assert "未发布" in blank
    year_2024 = content.split('data-year="2024"')[1].split("</tr>")[0]
    assert "85.00" in year_2024
    assert "1/2" in year_2024
    assert "0.450" in year_2024


def test_only_those_who_read_every_units_result_see_the_average_score(client, personas, history):
    leader = page(client, personas["leadership"])
    assert "85.00" not in leader.content.decode()
    assert charts.SCORES not in leader.context["chart_names"]
    scores = reverse("plan_progress_chart", args=[history.pk, charts.SCORES, "svg"])
    assert page(client, personas["leadership"], scores).status_code == 403
    assert page(client, personas["government_office"], scores).status_code == 200


@pytest.mark.parametrize("name", charts.CHART_NAMES)
def test_every_chart_renders_as_svg_and_png(client, personas, history, name):
    client.force_login(personas["government_office"])
    svg = client.get(reverse("plan_progress_chart", args=[history.pk, name, "svg"]))
    assert svg.status_code == 200
    assert svg["Content-Type"] == "image/svg+xml"
    assert b"<svg" in svg.content
    png = client.get(reverse("plan_progress_chart", args=[history.pk, name, "png"]))
    assert png.status_code == 200
    assert png.content.startswith(b"\x89PNG")


def test_the_charts_follow_the_rows(history):
    rows = yearly_progress(history, today=TODAY)
    with_data = charts.draw(charts.COMPLETION, rows, "svg")
    for row in rows:
        row.on_time = row.done_late = row.overdue = None
    assert charts.draw(charts.COMPLETION, rows, "svg") != with_data


def test_an_unknown_chart_is_404(client, personas, history):
    client.force_login(personas["government_office"])
    assert client.get(reverse("plan_progress_chart", args=[history.pk, "nothing", "svg"])).status_code == 404
    assert client.get(reverse("plan_progress_chart", args=[history.pk, "completion", "gif"])).status_code == 404


def test_the_nav_and_the_plan_page_link_the_page_for_those_who_may_see_it(client, personas, history):
    link = reverse("plan_progress")
    assert link in page(client, personas["leadership"], reverse("home")).content.decode()
    assert link not in page(client, personas["inspector"], reverse("home")).content.decode()
    plan_page = page(client, personas["plan_office"], history.get_absolute_url()).content.decode()
    assert reverse("plan_progress_of", args=[history.pk]) in plan_page
