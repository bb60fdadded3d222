"""Shared fixtures: the shipped plan imported once per session, and the personas of every permission test.

Personas (after healthchecks.io's test base): for a unit, its own liaison, the
liaison of a cooperating unit, and a stranger unit's liaison; plus one user per
cross-unit role.
"""

import os

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection

from departments.models import Membership, Unit
from departments.roles import CrossUnitRole
from departments.services import add_member, grant_role
from workflows.models import Plan
from workflows.plan_import.loader import load_plan
from workflows.plan_import.parser import parse_plan, read_plan_file

SHIPPED_PLAN = settings.BASE_DIR / "workflows" / "data" / "fengjie-2021-100.txt"


def pytest_report_header(config):
    database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    broker = settings.CELERY_BROKER_URL.split("://", 1)[0]
    return (
        f"taskboard: database={database}, celery broker={broker}, REDIS_URL={'set' if settings.REDIS_URL else 'unset'}"
    )


def pytest_collection_modifyitems(config, items):
    """Tests that need a real server skip, with the reason printed, where there is none."""
    on_postgres = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    skip_postgres = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://…")
    skip_redis = pytest.mark.skip(reason="needs Redis: set REDIS_URL=redis://…")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip_postgres)
        if "redis" in item.keywords and not os.environ.get("REDIS_URL"):
            item.add_marker(skip_redis)


@pytest.fixture(scope="session")
def parsed_plan():
    return parse_plan(read_plan_file(SHIPPED_PLAN))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, parsed_plan):
    """Import the shipped plan once; every test then runs in a transaction that is rolled back."""
    with django_db_blocker.unblock():
        load_plan(parsed_plan)


@pytest.fixture
def plan(db):
    return Plan.objects.get(doc_number="奉节府办发〔2021〕100号")


@pytest.fixture
def make_user(db):
    def make(username, *, unit=None, role=Membership.Role.LIAISON, cross_role=None, **extra):
        user = get_user_model().objects.create_user(username=username, password="pw-for-tests", **extra)
        if unit is not None:
            add_member(user, unit, role)
        if cross_role is not None:
            grant_role(user, cross_role)
        return user

    return make


@pytest.fixture
def units(db):
    """Three units of the plan: one that leads a clause, one that cooperates on it, one that has no part in it."""
    return {
        "own": Unit.objects.get(name="县生态环境局"),
        "cooperating": Unit.objects.get(name="县城管局"),
        "stranger": Unit.objects.get(name="县税务局"),
    }


@pytest.fixture
def personas(make_user, units):
    people = {
        "own_liaison": make_user("own", unit=units["own"]),
        "cooperating_liaison": make_user("cooperating", unit=units["cooperating"]),
        "stranger_liaison": make_user("stranger", unit=units["stranger"]),
        "no_unit": make_user("nobody"),
    }
    for role in CrossUnitRole:
        people[role.value] = make_user(f"role-{role.value}", cross_role=role)
    return people


@pytest.fixture
def count_queries():
    """Run a callable and return how many SQL queries it issued."""
    from django.test.utils import CaptureQueriesContext

    def count(func):
        with CaptureQueriesContext(connection) as context:
            func()
        return len(context.captured_queries)

    return count
