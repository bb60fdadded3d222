"""The read-only JSON endpoint: a token is required, it acts as its person, only published runs are served."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessments.models import ApiToken
from assessments.services import publish, start_run
from assessments.services.tokens import issue_token

from .conftest import AS_OF, YEAR


@pytest.fixture
def manager(personas):
    return personas["assessment_reader"]


@pytest.fixture
def published(assessment_year, manager):
    return publish(manager, start_run(manager, YEAR, AS_OF))


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def year_url(year=YEAR):
    return reverse("assessments_api:year_results", args=[year])


def test_the_year_results_with_a_token(client, manager, published):
    key = issue_token(manager, "组织部考核系统")
    response = client.get(year_url(), **bearer(key))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["run"]["id"] == published.pk
    assert body["run"]["status"] == "published"
    assert body["run"]["parameters"]["per_urging"] == "0.5"
    first = body["units"][0]
    assert (first["rank"], first["unit_name"], first["score"]) == (1, "县人力社保局", 99.97)
    assert first["on_time_rate"] == 0.8571
    assert [unit["score"] for unit in body["units"]] == [99.97, 92.14, 75.69, 71.4, 68.5]
    assert "lines" not in body
    with_lines = client.get(year_url(), {"lines": "1"}, **bearer(key)).json()
    assert len(with_lines["lines"]) == 34
    line = next(line for line in with_lines["lines"] if line["kind"] == "urging" and line["points"] == -0.5)
    assert line["item_title"] == "事项10"
    assert line["explanation"] == "「事项10」被催办1次×0.5分"
    assert ApiToken.objects.get().last_used_at is not None


def test_the_list_of_runs(client, personas, published):
    key = issue_token(personas["government_office"], "县政府办")
    runs = client.get(reverse("assessments_api:run_list"), **bearer(key)).json()["runs"]
    assert [(run["year"], run["status"]) for run in runs] == [(YEAR, "published")]


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer not-a-token", "Token abc", "Basic cm9sZTpwdw=="],
)
def test_no_or_a_wrong_token_is_401_with_a_chinese_message(client, published, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get(year_url(), **extra)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "API 令牌" in response.json()["error"]


def test_a_session_is_not_a_token(client, manager, published):
    client.force_login(manager)
    assert client.get(year_url()).status_code == 401


def test_a_revoked_token_or_a_deactivated_person_is_refused(client, manager, published):
    key = issue_token(manager, "组织部考核系统")
    assert client.get(year_url(), **bearer(key)).status_code == 200
    ApiToken.objects.update(active=False)
    assert client.get(year_url(), **bearer(key)).status_code == 401
    ApiToken.objects.update(active=True)
    manager.is_active = False
    manager.save()
    assert client.get(year_url(), **bearer(key)).status_code == 401


def test_a_token_of_someone_who_may_not_see_every_unit_is_403(client, personas, published):
    for name in ("own_liaison", "inspector", "plan_office"):
        key = issue_token(personas[name], "试图读取")
        response = client.get(year_url(), **bearer(key))
        assert response.status_code == 403, name
        assert response.json()["error"] == "该令牌所属账号无权查看全县考核结果。"


def test_a_draft_is_not_served(client, manager, assessment_year):
    start_run(manager, YEAR, AS_OF)
    key = issue_token(manager, "组织部考核系统")
    response = client.get(year_url(), **bearer(key))
    assert response.status_code == 404
    assert response.json()["error"] == "2025年度还没有发布的考核结果。"


def test_only_the_digest_is_stored(manager):
    key = issue_token(manager, "组织部考核系统")
    token = ApiToken.objects.get()
    assert key not in (token.digest, token.prefix)
    assert token.digest == ApiToken.digest_of(key)
    assert token.prefix == key[:8]


def test_the_command_prints_the_key_once_and_refuses_people_who_may_not_read(capsys, manager, personas):
    call_command("create_api_token", manager.username, name="组织部考核系统")
    printed = capsys.readouterr().out
    key = printed.strip().rsplit("：", 1)[1]
    assert ApiToken.objects.get(digest=ApiToken.digest_of(key)).user == manager
    with pytest.raises(CommandError, match="无权查看全县考核结果"):
        call_command("create_api_token", personas["own_liaison"].username, name="x")
    with pytest.raises(CommandError, match="没有名为"):
        call_command("create_api_token", "nobody-here", name="x")


def test_the_api_query_count_does_not_grow_with_units(client, manager, published, count_queries):
    from assessments.models import UnitScore
    from departments.models import Unit

    key = issue_token(manager, "组织部考核系统")
    few = count_queries(lambda: client.get(year_url(), {"lines": "1"}, **bearer(key)))
    score = UnitScore.objects.filter(run=published).first()
    for unit in Unit.objects.exclude(pk__in=UnitScore.objects.filter(run=published).values("unit_id"))[:10]:
        score.pk, score.unit, score.unit_name = None, unit, unit.name
        score.save()
    assert count_queries(lambda: client.get(year_url(), {"lines": "1"}, **bearer(key))) == few


# --- every answer JSON, demo tokens, rate limit ----------------------------------------------------------------


def test_every_method_and_every_path_is_answered_in_json(client, manager, published):
    key = issue_token(manager, "组织部考核系统")
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(year_url(), **bearer(key))  # no CSRF page: the API takes a token
        assert response.status_code == 405, method
        assert response["Content-Type"] == "application/json"
        assert "GET" in response["Allow"]
        assert "只支持 GET" in response.json()["error"]
    for path in ("/api/assessments/abc/", "/api/assessments/2025/lines/", "/api/assessments/%00/"):
        response = client.get(path, **bearer(key))
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/json"
        assert "没有这个接口" in response.json()["error"]
    assert client.get("/api/assessments/abc/").status_code == 401  # the token comes first, in JSON too
    assert client.get("/api/assessments/abc/")["Content-Type"] == "application/json"


@pytest.mark.parametrize(("debug", "status"), [(True, 200), (False, 401)])
def test_a_demo_accounts_token_works_only_with_debug(client, manager, published, settings, debug, status):
    from django.contrib.auth.models import Group

    from departments.backends import DEMO_GROUP_NAME

    manager.groups.add(Group.objects.get_or_create(name=DEMO_GROUP_NAME)[0])
    key = issue_token(manager, "演示")
    settings.DEBUG = debug
    assert client.get(year_url(), **bearer(key)).status_code == status


def test_the_api_is_rate_limited_per_token(client, manager, published, settings):
    settings.API_REQUESTS_PER_MINUTE = 3
    from django.core.cache import cache

    cache.clear()
    key, other = issue_token(manager, "轮询"), issue_token(manager, "另一个系统")
    statuses = [client.get(reverse("assessments_api:run_list"), **bearer(key)).status_code for _ in range(5)]
    assert statuses[:3] == [200, 200, 200]
    assert statuses[3:] == [429, 429]
    limited = client.get(reverse("assessments_api:run_list"), **bearer(key))
    assert limited["Content-Type"] == "application/json"
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert "请求过于频繁" in limited.json()["error"]
    assert client.get(reverse("assessments_api:run_list"), **bearer(other)).status_code == 200  # its own count
