"""Shared fixtures: the shipped plan imported once per session, and the personas of every permission test.

Personas (after healthchecks.io's test base): for a unit, its own liaison, the
liaison of a cooperating unit, and a stranger unit's liaison; plus one user per
cross-unit role.

Rows that every test of a module only reads can be built once per module with ``built_once``
(tests/project/test_permission_table.py, tests/project/test_admin.py, tests/demo/test_demo.py).
"""

import functools
import os

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from pytest_django.plugin import blocking_manager_key

from departments.models import Membership, Unit
from departments.roles import CrossUnitRole
from departments.services import add_member, grant_role
from indicators.models import EvaluationRule
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


@functools.cache
def shipped_parsed_plan():
    return parse_plan(read_plan_file(SHIPPED_PLAN))


@pytest.fixture(scope="session")
def parsed_plan():
    return shipped_parsed_plan()


def load_baseline(parsed_plan):
    """What every test starts from: a migrated database (its one data row, the default evaluation rule) and the
    shipped plan. post_migrate's rows (role groups, the default ladder) come back with a flush by themselves."""
    EvaluationRule.objects.get_or_create(year=None)
    load_plan(parsed_plan)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, parsed_plan):
    """Import the shipped plan once; every test then runs in a transaction that is rolled back."""
    with django_db_blocker.unblock():
        load_baseline(parsed_plan)


def flushed_the_database(item):
    """Whether ``item`` was a transactional test that ran (skipped ones set nothing up and flush nothing)."""
    marker = item.get_closest_marker("django_db")
    transactional = marker is not None and marker.kwargs.get("transaction", False)
    transactional = transactional or "transactional_db" in getattr(item, "fixturenames", ())
    return transactional and "_django_db_helper" in getattr(item, "funcargs", {})


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test's flush, load the baseline again for the tests the worker runs next.

    Without it they would find an empty database: pytest-xdist's ``--dist loadfile`` hands out modules largest
    first, not in pytest-django's order (database tests first, transactional ones after).
    """
    result = yield
    if nextitem is not None and flushed_the_database(item):  # after the last test the database is gone
        with item.config.stash[blocking_manager_key].unblock():
            load_baseline(shipped_parsed_plan())
    return result


def built_once(django_db_blocker, build):
    """The body of a module-scoped fixture whose rows every test of the module reads: ``yield from built_once(…)``.

    ``build()`` runs once, in a transaction that is rolled back when the fixture ends (the end of the module, or
    of an xdist worker's share of it). Each test still runs in a savepoint of it through pytest-django's ``db``,
    so what one test writes is undone before the next; database access stays blocked between tests. A test
    that changes one of the built Python objects in memory must fetch it again instead (the next test sees the
    same objects): function-scoped fixtures that hand out fresh copies from the database do that.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        built = build()
        with django_db_blocker.block():
            yield built
        transaction.set_rollback(True)


def shipped_plan():
    return Plan.objects.get(doc_number="奉节府办发〔2021〕100号")


def fresh(objects):
    """The same rows, read again from the database (one query per model): ``{key: instance}`` in, the same out."""
    fetched = {}
    for model in {type(obj) for obj in objects.values()}:
        rows = model.objects.in_bulk([obj.pk for obj in objects.values() if type(obj) is model])
        fetched.update({key: rows[obj.pk] for key, obj in objects.items() if type(obj) is model})
    return {key: fetched[key] for key in objects}


@pytest.fixture
def plan(db):
    return shipped_plan()


def create_user(username, *, unit=None, role=Membership.Role.LIAISON, cross_role=None, **extra):
    """A user with the tests' password, a member of ``unit`` and holding ``cross_role`` if given."""
    user = get_user_model().objects.create_user(username=username, password="pw-for-tests", **extra)
    if unit is not None:
        add_member(user, unit, role)
    if cross_role is not None:
        grant_role(user, cross_role)
    return user


def three_units():
    """Three units of the plan: one that leads a clause, one that cooperates on it, one that has no part in it."""
    return {
        "own": Unit.objects.get(name="县生态环境局"),
        "cooperating": Unit.objects.get(name="县城管局"),
        "stranger": Unit.objects.get(name="县税务局"),
    }


def create_personas(units):
    """One liaison of each of the three units, one person of no unit, one person per cross-unit role."""
    people = {
        "own_liaison": create_user("own", unit=units["own"]),
        "cooperating_liaison": create_user("cooperating", unit=units["cooperating"]),
        "stranger_liaison": create_user("stranger", unit=units["stranger"]),
        "no_unit": create_user("nobody"),
    }
    for role in CrossUnitRole:
        people[role.value] = create_user(f"role-{role.value}", cross_role=role)
    return people


@pytest.fixture
def make_user(db):
    return create_user


@pytest.fixture
def units(db):
    return three_units()


@pytest.fixture
def personas(db, units):
    return create_personas(units)


@pytest.fixture
def count_queries():
    """Run a callable and return how many SQL queries it issued."""
    from django.test.utils import CaptureQueriesContext

    def count(func):
        with CaptureQueriesContext(connection) as context:
            func()
        return len(context.captured_queries)

    return count


def year_period(plan, year):
    """The plan's period of ``year``, saved without opening its cycle (any year: the plan's range is not checked)."""
    from datetime import date

    from workflows.models import Period

    return Period.objects.create(
        plan=plan,
        kind=Period.Kind.YEAR,
        year=year,
        label=f"{year}年度",
        starts_on=date(year, 1, 1),
        ends_on=date(year, 12, 31),
    )
