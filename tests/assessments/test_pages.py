"""The assessment pages through the client: who sees what, the ranking's filters, the drill-down, the forms."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import AssessmentRun, ScoringScheme, UnitScore
from assessments.services import publish, start_run
from departments.models import Membership, Unit

from .conftest import AS_OF, YEAR


@pytest.fixture
def manager(personas):
    return personas["assessment_reader"]


@pytest.fixture
def draft(assessment_year, manager):
    return start_run(manager, YEAR, AS_OF)


@pytest.fixture
def published(draft, manager):
    return publish(manager, draft)


@pytest.fixture
def ecology_liaison(make_user, fixture_units):
    return make_user("ecology", unit=fixture_units["U4"])


def test_the_ranking_lists_units_by_rank_with_their_figures(client, manager, draft):
    client.force_login(manager)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    names = [score.unit_name for score in response.context["scores"]]
    assert names == ["县人力社保局", "县城管局", "县教委", "县生态环境局", "县财政局"]
    html = response.content.decode()
    assert "99.97" in html
    assert "草稿" in html
    assert "发布" in html
    for name in ("on-time", "scores", "overdue-trend"):
        assert reverse("assessments:chart", args=[draft.pk, name, "svg"]) in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "局"}, ["县人力社保局", "县城管局", "县生态环境局", "县财政局"]),
        ({"below": "80"}, ["县教委", "县生态环境局", "县财政局"]),
        ({"kind": Unit.Kind.EDUCATION_COMMISSION}, ["县教委"]),
    ],
)
def test_the_ranking_filters(client, manager, draft, query, expected):
    client.force_login(manager)
    response = client.get(draft.get_absolute_url(), query)
    assert [score.unit_name for score in response.context["scores"]] == expected


def test_a_bad_filter_says_what_is_wrong_and_shows_everything(client, manager, draft):
    client.force_login(manager)
    response = client.get(draft.get_absolute_url(), {"below": "很多"})
    assert len(response.context["scores"]) == 5
    assert "得分低于：输入一个数字。" in response.content.decode()


def test_the_government_office_sees_published_runs_only(client, personas, draft, manager):
    client.force_login(personas["government_office"])
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "还没有考核结果" in client.get(reverse("assessments:index")).content.decode()
    publish(manager, draft)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_a_unit_sees_its_own_published_score_and_explanation_only(client, ecology_liaison, draft, manager):
    client.force_login(ecology_liaison)
    own = reverse("assessments:unit_detail", args=[draft.pk, Unit.objects.get(name="县生态环境局").pk])
    other = reverse("assessments:unit_detail", args=[draft.pk, Unit.objects.get(name="县财政局").pk])
    assert client.get(own).status_code == 404  # a draft is nobody's business but the department's
    assert "还没有已发布的考核结果" in client.get(reverse("assessments:index")).content.decode()
    publish(manager, draft)
    response = client.get(own)
    assert response.status_code == 200
    html = response.content.decode()
    assert "71.40" in html
    assert "第 4 名" in html
    assert "「事项21」逾期275天×0.2分，封顶5分（牵头，权重1）" in html
    assert "被《2025年第一季度督查通报》点名通报" in html
    assert client.get(other).status_code == 404
    assert client.get(draft.get_absolute_url()).status_code == 404  # not the whole ranking
    index = client.get(reverse("assessments:index"))
    assert [score.unit_name for score in index.context["own_scores"]] == ["县生态环境局"]


def test_a_unit_leader_sees_the_explanation_too(client, make_user, fixture_units, published):
    leader = make_user("ecology-leader", unit=fixture_units["U4"], role=Membership.Role.LEADER)
    client.force_login(leader)
    url = reverse("assessments:unit_detail", args=[published.pk, fixture_units["U4"].pk])
    assert client.get(url).status_code == 200


def test_starting_publishing_and_recomputing_through_the_pages(client, manager, assessment_year):
    client.force_login(manager)
    response = client.post(reverse("assessments:run_start"), {"year": YEAR, "as_of": "2025-12-31"}, follow=True)
    run = AssessmentRun.objects.get(year=YEAR)
    assert response.redirect_chain[-1][0] == run.get_absolute_url()
    assert "已计算（草稿）" in response.content.decode()
    client.post(reverse("assessments:run_publish", args=[run.pk]), {"computed_at": run.computed_at.isoformat()})
    run.refresh_from_db()
    assert run.status == AssessmentRun.Status.PUBLISHED
    response = client.post(reverse("assessments:run_recompute", args=[run.pk]), follow=True)
    assert "已发布的考核结果不能重新计算" in response.content.decode()


def test_bad_run_input_says_what_is_wrong(client, manager, db):
    client.force_login(manager)
    response = client.post(reverse("assessments:run_start"), {"year": "去年"}, follow=True)
    assert "考核年度：输入整数。" in response.content.decode()
    response = client.post(reverse("assessments:run_start"), {"year": 2025, "as_of": "2024-06-30"}, follow=True)
    assert "截止日期必须在2025年内。" in response.content.decode()
    assert not AssessmentRun.objects.exists()


def test_the_office_cannot_start_or_publish(client, personas, draft):
    client.force_login(personas["government_office"])
    assert client.post(reverse("assessments:run_start"), {"year": YEAR}).status_code == 403
    assert client.post(reverse("assessments:run_publish", args=[draft.pk])).status_code == 404
    draft.refresh_from_db()
    assert draft.is_draft


def posted(data):
    """Form data as a browser sends it: unticked boxes and empty values are left out."""
    return {key: value for key, value in data.items() if value is not None and value is not False and value != ""}


def test_the_scheme_is_edited_by_the_department_with_clear_errors(client, manager, db):
    client.force_login(manager)
    url = reverse("assessments:scheme_edit", args=[2026])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields if name != "periods"}
    data.update({"per_rework": "-1", "count_plan_duties": "", "count_ad_hoc": "", "count_rectifications": ""})
    response = client.post(url, posted(data))
    html = response.content.decode()
    assert "不能为负数。" in html
    assert "至少要计入一类任务。" in html
    assert not ScoringScheme.objects.filter(year=2026).exists()
    data.update({"per_rework": "2", "count_plan_duties": "on"})
    response = client.post(url, posted(data))
    assert response.status_code == 302
    scheme = ScoringScheme.objects.get(year=2026)
    assert (scheme.per_rework, scheme.count_plan_duties, scheme.count_ad_hoc) == (Decimal("2"), True, False)
    assert scheme.updated_by == manager


def test_the_ranking_query_count_does_not_grow_with_units(client, manager, count_queries, draft):
    client.force_login(manager)
    url = draft.get_absolute_url()
    client.get(url)
    few = count_queries(lambda: client.get(url))
    template = UnitScore.objects.filter(run=draft).first()
    for unit in Unit.objects.exclude(pk__in=UnitScore.objects.filter(run=draft).values("unit_id"))[:15]:
        template.pk, template.unit, template.unit_name = None, unit, unit.name
        template.save()
    assert count_queries(lambda: client.get(url)) == few


def test_the_explanation_query_count_does_not_grow_with_lines(client, manager, count_queries, draft):
    client.force_login(manager)
    score = UnitScore.objects.get(run=draft, unit_name="县财政局")
    url = reverse("assessments:unit_detail", args=[draft.pk, score.unit_id])
    client.get(url)
    few = count_queries(lambda: client.get(url))
    line = score.lines.first()
    for _ in range(20):
        line.pk = None
        line.save()
    assert count_queries(lambda: client.get(url)) == few


def test_the_runs_list_query_count_does_not_grow_with_runs(client, manager, count_queries, assessment_year):
    client.force_login(manager)
    url = reverse("assessments:index")
    publish(manager, start_run(manager, YEAR, AS_OF))
    few = count_queries(lambda: client.get(url))
    for year in (2022, 2023, 2024):
        publish(manager, start_run(manager, year, datetime.date(year, 12, 31)))
    assert count_queries(lambda: client.get(url)) == few
