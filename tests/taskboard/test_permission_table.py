"""Every view, every persona: who gets what status code.

The table must name every URL the project serves (outside the admin, which has
its own test below): a new view without a row here fails
``test_every_url_is_in_the_table``.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

ANONYMOUS = "anonymous"
LIAISONS = ["own_liaison", "cooperating_liaison", "stranger_liaison", "no_unit"]
ROLES = ["government_office", "inspector", "plan_office", "assessment_reader", "administrator"]
EVERYONE = [ANONYMOUS, *LIAISONS, *ROLES]

LOGIN_REDIRECT = 302


def statuses(default, **overrides):
    table = dict.fromkeys(EVERYONE, default)
    table[ANONYMOUS] = LOGIN_REDIRECT
    table.update(overrides)
    return table


# url name -> (kwargs builder, expected status per persona)
TABLE = {
    "login": (None, dict.fromkeys(EVERYONE, 200)),
    "logout": (None, dict.fromkeys(EVERYONE, 405)),  # GET is refused: logout is a POST
    "home": (None, statuses(200)),
    "unit_list": (None, statuses(200)),
    "unit_detail": (
        lambda ctx: {"pk": ctx["units"]["own"].pk},
        statuses(404, own_liaison=200, **dict.fromkeys(ROLES, 200)),
    ),
    "workflows:plan_list": (None, statuses(200)),
    "workflows:plan_detail": (lambda ctx: {"pk": ctx["plan"].pk}, statuses(200)),
    "departments:import_units": (None, statuses(403, plan_office=200, administrator=200)),
    "departments:import_people": (None, statuses(403, plan_office=200, administrator=200)),
}


def project_url_names(patterns=None, namespace=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            child = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from project_url_names(pattern.url_patterns, child)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_is_in_the_table():
    assert set(project_url_names()) == set(TABLE)


CASES = [(name, persona) for name in TABLE for persona in EVERYONE]


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "persona"), CASES, ids=[f"{n}-{p}" for n, p in CASES])
def test_get_status(client, personas, units, plan, url_name, persona):
    kwargs_builder, expected = TABLE[url_name]
    kwargs = kwargs_builder({"units": units, "plan": plan}) if kwargs_builder else {}
    if persona != ANONYMOUS:
        client.force_login(personas[persona])
    response = client.get(reverse(url_name, kwargs=kwargs))
    assert response.status_code == expected[persona]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", LIAISONS)
def test_liaisons_cannot_enter_the_admin(client, personas, persona):
    client.force_login(personas[persona])
    for url in [reverse("admin:index"), reverse("admin:departments_unit_changelist")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_plan_office_configures_templates_in_the_admin_but_not_users_groups(client, personas):
    client.force_login(personas["plan_office"])
    # The plan office gets the admin through its role: it may keep templates and units ...
    assert client.get(reverse("admin:workflows_dutytemplate_changelist")).status_code == 200
    assert client.get(reverse("admin:departments_unit_changelist")).status_code == 200
    # ... but not give itself more rights.
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403
