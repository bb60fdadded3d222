"""The organisation department's API tokens on its own page (/assessments/tokens/): issued with the key shown once
(only its digest stored), listed, revoked after a confirmation; 403 for every other role; the list costs the same
queries for 2 and 12 tokens.
"""

import pytest
from django.urls import reverse

from assessments.models import ApiToken
from assessments.services.tokens import issue_token, token_user

pytestmark = pytest.mark.django_db

MANAGER = "assessment_reader"
OTHERS = [
    "government_office",
    "inspector",
    "plan_office",
    "administrator",
    "leadership",
    "own_liaison",
    "cooperating_liaison",
    "stranger_liaison",
    "no_unit",
]


def test_the_department_opens_its_token_pages(client, personas):
    token_key = issue_token(personas[MANAGER], "旧系统")
    token = ApiToken.objects.get(digest=ApiToken.digest_of(token_key))
    client.force_login(personas[MANAGER])
    assert client.get(reverse("assessments:tokens")).status_code == 200
    assert client.get(reverse("assessments:token_revoke", args=[token.pk])).status_code == 200
    index = client.get(reverse("assessments:index")).content.decode()
    assert reverse("assessments:tokens") in index


@pytest.mark.parametrize("persona", OTHERS)
def test_no_other_role_sees_issues_or_revokes_tokens(client, personas, persona):
    key = issue_token(personas[MANAGER], "组织部考核系统")
    token = ApiToken.objects.get()
    client.force_login(personas[persona])
    assert client.get(reverse("assessments:tokens")).status_code == 403
    assert client.get(reverse("assessments:token_revoke", args=[token.pk])).status_code == 403
    assert client.post(reverse("assessments:tokens"), {"name": "偷偷生成"}).status_code == 403
    assert client.post(reverse("assessments:token_revoke", args=[token.pk])).status_code == 403
    assert ApiToken.objects.count() == 1
    assert token_user(key) == personas[MANAGER]


def test_the_key_is_shown_once_and_only_its_digest_is_stored(client, personas):
    client.force_login(personas[MANAGER])
    response = client.post(reverse("assessments:tokens"), {"name": "组织部考核系统"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    key = page.split('<code id="token-key">')[1].split("</code>")[0]
    token = ApiToken.objects.get()
    assert (token.name, token.user, token.active) == ("组织部考核系统", personas[MANAGER], True)
    assert token.digest == ApiToken.digest_of(key)
    assert key not in {token.digest, token.prefix}
    assert token_user(key) == personas[MANAGER]  # the key works on the API
    again = client.get(reverse("assessments:tokens")).content.decode()
    assert key not in again
    assert f"{token.prefix}…" in again


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "请填写令牌的用途。"), ("   ", "请填写令牌的用途。"), ("长" * 101, "用途最多 100 个字。")],
)
def test_a_token_without_a_proper_name_is_refused_in_chinese(client, personas, name, message):
    client.force_login(personas[MANAGER])
    response = client.post(reverse("assessments:tokens"), {"name": name})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_asks_first_then_the_key_stops_working(client, personas):
    key = issue_token(personas[MANAGER], "组织部考核系统")
    token = ApiToken.objects.get()
    client.force_login(personas[MANAGER])
    confirm = client.get(reverse("assessments:token_revoke", args=[token.pk])).content.decode()
    assert "确认吊销" in confirm
    assert token_user(key) is not None  # a GET revokes nothing
    response = client.post(reverse("assessments:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    assert response.url == reverse("assessments:tokens")
    token.refresh_from_db()
    assert token.active is False
    assert token_user(key) is None
    listing = client.get(reverse("assessments:tokens")).content.decode()
    assert "已吊销" in listing
    assert reverse("assessments:token_revoke", args=[token.pk]) not in listing  # nothing left to revoke
    assert client.post(reverse("assessments:token_revoke", args=[token.pk])).status_code == 302  # twice: harmless


def test_the_token_list_costs_the_same_queries_for_2_and_12_tokens(client, personas, make_user, count_queries):
    client.force_login(personas[MANAGER])
    url = reverse("assessments:tokens")
    for index in range(2):
        issue_token(personas[MANAGER], f"系统{index}")
    client.get(url)
    few = count_queries(lambda: client.get(url))
    for index in range(10):
        issue_token(make_user(f"api-{index}"), f"系统甲{index}")
    ApiToken.objects.filter(name="系统甲3").update(active=False)
    many = count_queries(lambda: client.get(url))
    assert few == many
