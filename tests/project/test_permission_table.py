"""Every view, every persona: who gets what status code, and no GET writes to the database.

The table must name every URL the project serves outside the admin (which has its own
tests), viewflow's own pages included: a new view without a row here fails
``test_every_url_is_in_the_table``. Objects in URLs belong to the persona "own_liaison"'s
unit; "cooperating_liaison"'s unit cooperates on the item; "stranger_liaison"'s has no part.
``MORE_OBJECTS`` asks some URLs again about other objects (another unit's item, an item of the
plan's cycle, a published circular, a draft assessment).

The world (personas and objects) is built once per module, in a transaction rolled back when the
module ends; each test runs in a savepoint of it (pytest-django's ``db``), so what a test writes is undone.
"""

import re
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from assessments import services as assessment_services
from assessments.models import ApiToken, UnitScore
from notices.models import Circular
from workflows import services
from workflows.models import DutyItem, Evidence

from ..conftest import built_once, create_personas, fresh, shipped_plan, three_units, year_period

ANONYMOUS = "anonymous"
LIAISONS = ["own_liaison", "cooperating_liaison", "stranger_liaison", "no_unit"]
ROLES = ["government_office", "inspector", "plan_office", "assessment_reader", "administrator"]
EVERYONE = [ANONYMOUS, *LIAISONS, *ROLES]
OPEN_CYCLES = ["government_office", "plan_office"]  # hold workflows.open_cycle
OFFICE = ["government_office"]  # holds workflows.assign_item: assigns, urges, circulars

LOGIN_REDIRECT = 302


def statuses(default, **overrides):
    table = dict.fromkeys(EVERYONE, default)
    table[ANONYMOUS] = LOGIN_REDIRECT
    table.update(overrides)
    return table


def item_pk(ctx):
    return {"pk": ctx["item"].pk}


def notification_pk(ctx):
    return {"pk": ctx["notification"].pk}


def circular_pk(ctx):
    return {"pk": ctx["circular"].pk}


def school_pk(ctx):
    """A school of nobody's persona: liaisons do not see it; the cross-unit roles do."""
    return {"pk": ctx["school"].pk}


def report_pk(ctx):
    """A generated self-evaluation report."""
    return {"pk": ctx["report"].pk}


def export_pk(ctx):
    """A finished board export the own liaison asked for."""
    return {"pk": ctx["export"].pk}


def notification_slug(ctx):
    return {"slug": ctx["notification"].pk}


def run_pk(ctx):
    return {"pk": ctx["run"].pk}


def own_unit_score(ctx):
    return {"pk": ctx["run"].pk, "unit_id": ctx["units"]["own"].pk}


def rung_pk(ctx):
    """A rung of the default ladder (created by migrate)."""
    from notices.models import Rung

    return {"pk": Rung.objects.order_by("pk").first().pk}


def token_pk(ctx):
    """The department's API token."""
    return {"pk": ctx["token"].pk}


def stranger_item_pk(ctx):
    return {"pk": ctx["stranger_item"].pk}


def draft_run_pk(ctx):
    return {"pk": ctx["draft_run"].pk}


SEES_ITEM = statuses(404, own_liaison=200, cooperating_liaison=200, **dict.fromkeys(ROLES, 200))
POST_ONLY = statuses(302)  # a GET (a reload after a failed form) goes to the form's page (departments.http)
OVERSEERS = statuses(403, **dict.fromkeys(ROLES, 200))  # hold workflows.view_dutyitem
# The notifications library's own pages: login is required first (LoginRequiredMiddleware), then the method.
LIBRARY_POST_ONLY = POST_ONLY
LIBRARY_JSON = statuses(200)
ASSESSMENT_READERS = ["government_office", "assessment_reader"]  # see every unit's published result
SEES_RUN = statuses(404, **dict.fromkeys(ASSESSMENT_READERS, 200))
TOKEN_ONLY = dict.fromkeys(EVERYONE, 401)  # the JSON API takes an API token, never a session
STRANGER_SEES_ITEM = statuses(404, stranger_liaison=200, **dict.fromkeys(ROLES, 200))
DRAFT_RUN = statuses(404, assessment_reader=200)
ASKED_FOR_EXPORT = statuses(404, own_liaison=200)
PLAN_PROGRESS = statuses(403, government_office=200, plan_office=200)  # and the leadership group (not a persona here)

# url name -> (kwargs builder, expected GET status per persona)
TABLE = {
    "login": (None, dict.fromkeys(EVERYONE, 200)),
    "logout": (None, POST_ONLY),  # logout is a POST: a GET goes to the home page (anonymous: to the login)
    "favicon": (None, dict.fromkeys(EVERYONE, 301)),
    "home": (None, statuses(200)),
    "unit_list": (None, statuses(200)),
    "unit_detail": (
        lambda ctx: {"pk": ctx["units"]["own"].pk},
        statuses(404, own_liaison=200, **dict.fromkeys(ROLES, 200)),
    ),
    "departments:import_units": (None, statuses(403, plan_office=200, administrator=200)),
    "departments:import_people": (None, statuses(403, plan_office=200, administrator=200)),
    "departments:reset_password": (lambda ctx: {"pk": ctx["personas"]["own_liaison"].pk}, POST_ONLY),
    "password_change": (None, statuses(200)),
    "plan_list": (None, statuses(200)),
    "plan_detail": (lambda ctx: {"pk": ctx["plan"].pk}, statuses(200)),
    "plan_progress": (None, PLAN_PROGRESS),
    "plan_progress_of": (lambda ctx: {"pk": ctx["plan"].pk}, PLAN_PROGRESS),
    "plan_progress_chart": (lambda ctx: {"pk": ctx["plan"].pk, "name": "completion", "fmt": "svg"}, PLAN_PROGRESS),
    "workflows:open_cycle": (
        lambda ctx: {"plan_pk": ctx["plan"].pk},
        statuses(403, **dict.fromkeys(OPEN_CYCLES, 200)),
    ),
    "workflows:item_create": (None, statuses(403, **dict.fromkeys(OFFICE, 200))),
    "workflows:item_detail": (item_pk, SEES_ITEM),
    "workflows:item_report": (item_pk, POST_ONLY),
    "workflows:item_contribute": (item_pk, POST_ONLY),
    "workflows:item_inspect": (item_pk, POST_ONLY),
    "workflows:item_assign": (item_pk, POST_ONLY),
    "workflows:item_withdraw": (item_pk, POST_ONLY),
    "workflows:item_sign": (item_pk, POST_ONLY),
    "workflows:item_hand_back": (item_pk, POST_ONLY),
    "workflows:item_resolve_hand_back": (item_pk, POST_ONLY),
    "workflows:item_request_extension": (item_pk, POST_ONLY),
    "workflows:item_decide_extension": (item_pk, POST_ONLY),
    "workflows:item_instruct": (item_pk, POST_ONLY),
    "workflows:pending_requests": (None, statuses(403, **dict.fromkeys(OFFICE, 200))),
    "workflows:evidence_download": (lambda ctx: {"pk": ctx["evidence"].pk}, SEES_ITEM),
    # A file of an extension request on the plan's item (the cooperating unit is named on its clause).
    "workflows:extension_attachment_download": (lambda ctx: {"pk": ctx["extension_attachment"].pk}, SEES_ITEM),
    "board:mine": (None, statuses(200)),
    "board:matrix": (None, statuses(403, **dict.fromkeys(ROLES, 200))),
    "board:inspection": (None, statuses(403, inspector=200)),
    "board:export": (None, statuses(200)),
    "board:export_start": (None, POST_ONLY),
    "board:export_detail": (export_pk, ASKED_FOR_EXPORT),  # only the person who asked, whatever their role
    "board:export_status": (export_pk, ASKED_FOR_EXPORT),
    "board:export_download": (export_pk, ASKED_FOR_EXPORT),
    "board:bulk": (None, POST_ONLY),
    "workdays:calendar": (None, statuses(403, **dict.fromkeys(OFFICE, 200))),
    "workdays:add_day": (None, POST_ONLY),
    "workdays:remove_day": (None, POST_ONLY),
    "workdays:mark_covered": (None, POST_ONLY),
    "workdays:load": (None, POST_ONLY),
    "notices:inbox": (None, statuses(200)),
    "notices:open": (notification_pk, statuses(404, own_liaison=302)),  # only the recipient's own notice
    "notices:mark_all_read": (None, POST_ONLY),
    "notices:preferences": (None, statuses(200)),  # each person's own settings
    "notices:item_notices": (item_pk, SEES_ITEM),
    "notices:urge_item": (item_pk, POST_ONLY),
    "notices:urge_unit": (lambda ctx: {"pk": ctx["units"]["own"].pk}, POST_ONLY),
    "notices:overdue": (None, OVERSEERS),
    "notices:failures": (None, OVERSEERS),
    "notices:retry_delivery": (notification_pk, POST_ONLY),
    "notices:ladder": (None, statuses(403, **dict.fromkeys(OFFICE, 200))),  # access.maintains_ladder
    "notices:rung_create": (None, statuses(403, **dict.fromkeys(OFFICE, 200))),
    "notices:rung_edit": (rung_pk, statuses(403, **dict.fromkeys(OFFICE, 200))),
    "notices:rung_delete": (rung_pk, statuses(403, **dict.fromkeys(OFFICE, 200))),  # GET asks to confirm
    "notices:circular_list": (None, statuses(200)),
    "notices:circular_create": (None, statuses(403, **dict.fromkeys(OFFICE, 200))),
    "notices:circular_detail": (circular_pk, statuses(404, **dict.fromkeys(OFFICE, 200))),  # a draft
    "notices:circular_publish": (circular_pk, POST_ONLY),
    "assessments:index": (
        None,
        statuses(403, **dict.fromkeys([*LIAISONS[:3], *ASSESSMENT_READERS], 200)),  # liaisons: their own unit's
    ),
    "assessments:scheme_edit": (lambda ctx: {"year": 2025}, statuses(403, assessment_reader=200)),
    "assessments:run_start": (None, POST_ONLY),
    "assessments:run_detail": (run_pk, SEES_RUN),
    "assessments:run_recompute": (run_pk, POST_ONLY),
    "assessments:run_publish": (run_pk, POST_ONLY),
    "assessments:unit_detail": (
        own_unit_score,
        statuses(404, own_liaison=200, **dict.fromkeys(ASSESSMENT_READERS, 200)),
    ),
    "assessments:export_xlsx": (run_pk, SEES_RUN),
    "assessments:export_csv": (run_pk, SEES_RUN),
    "assessments:chart": (lambda ctx: {**run_pk(ctx), "name": "scores", "fmt": "svg"}, SEES_RUN),
    "assessments:tokens": (None, statuses(403, assessment_reader=200)),  # access.manages_api_tokens
    "assessments:token_revoke": (token_pk, statuses(403, assessment_reader=200)),  # GET asks to confirm
    "assessments_api:run_list": (None, TOKEN_ONLY),
    "assessments_api:year_results": (lambda ctx: {"year": 2025}, TOKEN_ONLY),
    "assessments_api:not_found": (lambda ctx: {"rest": "abc/"}, TOKEN_ONLY),
    "indicators:dashboard": (None, OVERSEERS),  # hold indicators.view_schoolyearfigures
    "indicators:dashboard_chart": (lambda ctx: {"name": "cv-trend", "fmt": "svg"}, OVERSEERS),
    "indicators:county_figures": (None, statuses(403, plan_office=200, administrator=200)),
    "indicators:import_figures": (None, statuses(403, plan_office=200, administrator=200)),
    "indicators:confirm_import": (None, POST_ONLY),
    "indicators:figures_template": (None, statuses(403, plan_office=200, administrator=200)),
    "indicators:school_detail": (school_pk, statuses(404, **dict.fromkeys(ROLES, 200))),
    "indicators:edit_school_figure": (school_pk, POST_ONLY),
    "indicators:shortfalls": (None, statuses(403, plan_office=200)),
    # Liaisons of schools and of 县教委 see their own rows (tests/indicators/test_rectification.py).
    "indicators:ledger": (None, statuses(403, **dict.fromkeys(ROLES, 200))),
    "indicators:ledger_export": (None, statuses(403, **dict.fromkeys(ROLES, 200))),
    "indicators:report_list": (None, OVERSEERS),  # every cross-unit role reads and downloads the reports
    "indicators:report_request": (None, POST_ONLY),  # the plan office and administrators generate
    "indicators:report_detail": (report_pk, OVERSEERS),
    "indicators:report_status": (report_pk, OVERSEERS),
    "indicators:report_download": (report_pk, OVERSEERS),
    # The notifications library's own pages and JSON endpoints (the inbox is notices:inbox).
    "notifications:all": (None, statuses(200)),
    "notifications:unread": (None, statuses(200)),
    "notifications:mark_all_as_read": (None, LIBRARY_POST_ONLY),
    "notifications:mark_as_read": (notification_slug, LIBRARY_POST_ONLY),
    "notifications:mark_as_unread": (notification_slug, LIBRARY_POST_ONLY),
    "notifications:delete": (notification_slug, LIBRARY_POST_ONLY),
    "notifications:live_unread_notification_count": (None, LIBRARY_JSON),
    "notifications:live_all_notification_count": (None, LIBRARY_JSON),
    "notifications:live_unread_notification_list": (None, LIBRARY_JSON),
    "notifications:live_all_notification_list": (None, LIBRARY_JSON),
    # The audit trail: administrators (系统管理员) and superusers only.
    "audit:changes": (None, statuses(403, administrator=200)),
    "audit:events": (None, statuses(403, administrator=200)),
    "audit:lockouts": (None, statuses(403, administrator=200)),
    "audit:unlock": (None, POST_ONLY),
}

# Some URLs again, about other objects: (url name, which object) -> (kwargs builder, expected GET status per persona).
MORE_OBJECTS = {
    # An item of the stranger unit, with nobody cooperating: the own and cooperating units do not see it.
    ("workflows:item_detail", "stranger_item"): (stranger_item_pk, STRANGER_SEES_ITEM),
    ("notices:item_notices", "stranger_item"): (stranger_item_pk, STRANGER_SEES_ITEM),
    # An item of the plan, opened with its year's cycle: the clause names the cooperating unit.
    ("workflows:item_detail", "plan_duty"): (lambda ctx: {"pk": ctx["plan_duty"].pk}, SEES_ITEM),
    # A published circular: everyone signed in reads it (the draft of TABLE is the office's alone).
    ("notices:circular_detail", "published"): (lambda ctx: {"pk": ctx["published_circular"].pk}, statuses(200)),
    # The year's draft next to its published run: the department alone, not even the government office.
    ("assessments:run_detail", "draft"): (draft_run_pk, DRAFT_RUN),
    ("assessments:export_xlsx", "draft"): (draft_run_pk, DRAFT_RUN),
    ("assessments:export_csv", "draft"): (draft_run_pk, DRAFT_RUN),
    ("assessments:unit_detail", "draft"): (
        lambda ctx: {"pk": ctx["draft_run"].pk, "unit_id": ctx["units"]["own"].pk},
        DRAFT_RUN,
    ),
    # Another unit's published score: its liaison reads it, the own liaison does not.
    ("assessments:unit_detail", "cooperating_unit_score"): (
        lambda ctx: {"pk": ctx["run"].pk, "unit_id": ctx["units"]["cooperating"].pk},
        statuses(404, cooperating_liaison=200, **dict.fromkeys(ASSESSMENT_READERS, 200)),
    ),
}

# viewflow's own pages (/workflow/): nobody without workflows.view_dutyitem gets in. Liaisons never
# hold it, so they get 403 everywhere; the cross-unit roles see every unit's items anyway, and may use
# what viewflow offers them (200, a redirect, or 403 for actions they may not take — never 404 or 500).
VIEWFLOW_PREFIXES = ("duty:",)
VIEWFLOW_NAMES = {"index"}


def project_url_patterns(patterns=None, namespace=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            child = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from project_url_patterns(pattern.url_patterns, child)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", str(pattern.pattern)


def is_viewflow(name):
    return name in VIEWFLOW_NAMES or name.startswith(VIEWFLOW_PREFIXES)


def test_every_url_is_in_the_table():
    names = {name for name, _pattern in project_url_patterns()}
    assert {name for name in names if not is_viewflow(name)} == set(TABLE)
    assert {name for name, _which in MORE_OBJECTS} <= set(TABLE)
    assert any(is_viewflow(name) for name in names), "viewflow's pages are mounted"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The personas and objects every test of this module reads, built once (tests/conftest.py's built_once)."""
    yield from built_once(django_db_blocker, build_world)


def build_world():
    """An item of the own unit with the cooperating unit on it, reported with a file, awaiting inspection (and an
    extension request with a file on the plan's item of the own unit);
    an in-app notice about it for the own liaison; a draft and a published circular; an item of the stranger
    unit; the plan's 2026 cycle; a published 2025 assessment scoring the own and the cooperating unit, and the
    year's draft; a school; a generated self-evaluation report."""
    from notifications.models import Notification

    from board.models import BoardExport
    from departments.models import Unit
    from indicators.models import SelfEvaluationReport
    from indicators.services.schools import register_school

    plan = shipped_plan()
    units = three_units()
    personas = create_personas(units)
    office, manager = personas["government_office"], personas["assessment_reader"]
    item = services.create_ad_hoc_item(
        office,
        unit=units["own"],
        title="校园周边环境整治",
        deadline=date(2030, 1, 1),
        cooperating_units=[units["cooperating"]],
    )
    pdf = SimpleUploadedFile("整治报告.pdf", b"%PDF-1.4\n%%EOF\n")
    services.submit_report(personas["own_liaison"], item, text="已整治", files=[pdf])
    stranger_item = services.create_ad_hoc_item(
        office, unit=units["stranger"], title="落实教育收费减免", deadline=date(2030, 1, 1)
    )
    services.open_cycle(office, plan, year=2026)
    plan_duty = DutyItem.objects.get(unit=units["own"], period__year=2026)
    extension = services.request_extension(
        personas["own_liaison"],
        plan_duty,
        requested_deadline=date(2027, 1, 31),
        reason="汛期",
        files=[SimpleUploadedFile("延期说明.pdf", b"%PDF-1.4\n%%EOF\n")],
    )
    notification = Notification.objects.create(
        recipient=personas["own_liaison"],
        actor=units["own"],
        verb="催办：校园周边环境整治",
        data={"url": item.get_absolute_url()},
    )
    period = year_period(plan, 2030)
    circular = Circular.objects.create(
        title="关于2030年度工作推进情况的通报",
        period=period,
        rectification_deadline=date(2030, 6, 30),
        created_by=office,
    )
    published_circular = Circular.objects.create(
        title="关于2030年度第一季度工作推进情况的通报",
        period=period,
        rectification_deadline=date(2030, 6, 30),
        created_by=office,
        status=Circular.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    run = assessment_services.start_run(manager, 2025, date(2025, 12, 31))
    add_score(run, units["own"], rank=1)
    add_score(run, units["cooperating"], rank=2)
    run = assessment_services.publish(manager, run)
    draft_run = assessment_services.start_run(manager, 2025, date(2025, 12, 31))
    add_score(draft_run, units["own"], rank=1)
    school_unit = Unit.objects.create(name="表内小学", kind=Unit.Kind.SCHOOL)
    assessment_services.issue_token(manager, "组织部考核系统")
    report = SelfEvaluationReport(year=2025, status=SelfEvaluationReport.Status.DONE, progress=100)
    report.file.save("report.docx", ContentFile(b"PK"), save=True)
    export = BoardExport(
        requested_by=personas["own_liaison"], as_of=date(2030, 1, 1), status=BoardExport.Status.DONE, progress=100
    )
    export.file.save("tasks.xlsx", ContentFile(b"PK"), save=True)
    return {
        "personas": personas,
        "run": run,
        "draft_run": draft_run,
        "units": units,
        "plan": plan,
        "item": item,
        "stranger_item": stranger_item,
        "plan_duty": plan_duty,
        "evidence": Evidence.objects.get(report__item=item),
        "extension_attachment": extension.attachments.get(),
        "notification": notification,
        "circular": circular,
        "published_circular": published_circular,
        "school": register_school(school_unit, "primary"),
        "report": report,  # written directly: only access is tested
        "export": export,  # the same
        "token": ApiToken.objects.get(),
    }


def add_score(run, unit, *, rank):
    """A unit's line in an assessment (written directly: only access is tested)."""
    counts = [field.name for field in UnitScore._meta.fields if isinstance(field, models.PositiveIntegerField)]
    UnitScore.objects.create(
        run=run,
        unit=unit,
        unit_name=unit.name,
        unit_kind=unit.kind,
        rank=rank,
        score=100,
        deductions=0,
        bonuses=0,
        **dict.fromkeys(counts, 0),
    )


@pytest.fixture
def personas(world, db):
    """The module's personas (tests/conftest.py's, built once), fresh from the database for each test."""
    return fresh(world["personas"])


@pytest.fixture
def context(world, db):
    return world


def log_in_as(client, personas, persona):
    client.logout()
    if persona != ANONYMOUS:
        client.force_login(personas[persona])


def get_as(client, personas, persona, url):
    log_in_as(client, personas, persona)
    return client.get(url)


WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|MERGE)\b|\b(INSERT\s+INTO|DELETE\s+FROM)\b", re.IGNORECASE)


AUDIT_RECORD = re.compile(r"\bINSERT\s+INTO\s+\W?audit_accessevent\b", re.IGNORECASE)


def writes(queries):
    """The statements among ``queries`` (CaptureQueriesContext's) that change rows, except the audit trail's record
    of a refused page (a 403, or a 404 on an object's URL: audit.middleware)."""
    return [query["sql"] for query in queries if WRITE.search(query["sql"]) and not AUDIT_RECORD.search(query["sql"])]


ROWS = {**{(name, None): row for name, row in TABLE.items()}, **MORE_OBJECTS}
CASES = [(name, which, persona) for name, which in ROWS for persona in EVERYONE]


def case_id(name, which, persona):
    return f"{name}[{which}]-{persona}" if which else f"{name}-{persona}"


@pytest.mark.parametrize(("url_name", "which", "persona"), CASES, ids=[case_id(*case) for case in CASES])
def test_get_status(client, personas, context, url_name, which, persona):
    kwargs_builder, expected = ROWS[url_name, which]
    kwargs = kwargs_builder(context) if kwargs_builder else {}
    url = reverse(url_name, kwargs=kwargs)
    log_in_as(client, personas, persona)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == expected[persona]
    if persona == ANONYMOUS and expected[persona] == LOGIN_REDIRECT and url_name != "logout":  # logout: to home
        assert response.url.startswith(f"{reverse('login')}?next="), response.url
    assert writes(queries.captured_queries) == [], f"GET {url} wrote to the database"


def viewflow_urls(item):
    tasks = {task.flow_task.name: task for task in item.task_set.all()}
    for name, pattern in project_url_patterns():
        if not is_viewflow(name):
            continue
        kwargs = {}
        if "process_pk" in pattern:
            kwargs["process_pk"] = item.pk
        if "task_pk" in pattern:
            kwargs["task_pk"] = tasks.get(name.split(":")[1], tasks["report"]).pk
        yield name, reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("persona", [ANONYMOUS, *LIAISONS])
def test_viewflow_pages_are_closed_to_liaisons(client, personas, context, persona):
    for name, url in viewflow_urls(context["item"]):
        status = get_as(client, personas, persona, url).status_code
        # Anonymous people are sent to the login page; the site index only redirects to the flow's page.
        expected = 302 if name == "index" or persona == ANONYMOUS else 403
        assert status == expected, f"{name} {url}"


@pytest.mark.parametrize("persona", ROLES)
def test_viewflow_pages_for_cross_unit_roles(client, personas, context, persona):
    seen = {}
    for name, url in viewflow_urls(context["item"]):
        seen[name] = get_as(client, personas, persona, url).status_code
        assert seen[name] in (200, 302, 403), f"{name} {url}: {seen[name]}"
    assert seen["duty:process_list"] == seen["duty:inbox"] == seen["duty:process_detail"] == 200
    assert seen["duty:process_cancel"] == 403  # withdrawal goes through Taskboard, with a reason


def test_viewflow_task_link_leads_to_the_item_page(client, personas, context):
    """An inspector claims the task in viewflow's queue; its page is Taskboard's item page, where the step is done."""
    item = context["item"]
    task = item.task_set.get(flow_task__endswith=".inspect")
    client.force_login(personas["inspector"])
    client.post(reverse("duty:inspect:assign", kwargs={"process_pk": item.pk, "task_pk": task.pk}))
    response = client.get(reverse("duty:inspect:execute", kwargs={"process_pk": item.pk, "task_pk": task.pk}))
    assert response.status_code == 302
    assert response.url == item.get_absolute_url()


@pytest.mark.parametrize("persona", LIAISONS)
def test_liaisons_cannot_enter_the_admin(client, personas, persona):
    client.force_login(personas[persona])
    for url in [reverse("admin:index"), reverse("admin:departments_unit_changelist")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


def test_plan_office_configures_templates_in_the_admin_but_not_users_groups(client, personas):
    client.force_login(personas["plan_office"])
    # The plan office gets the admin through its role: it may keep templates and units ...
    assert client.get(reverse("admin:workflows_dutytemplate_changelist")).status_code == 200
    assert client.get(reverse("admin:departments_unit_changelist")).status_code == 200
    # ... but not give itself more rights.
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403


# --- POST: who may post to each URL that takes a POST, and that a refused or invalid post writes nothing ----------
#
# Each persona posts an empty form (the fuzzer, tests/project/test_fuzzer.py, posts hostile ones). Expected: the
# status, and whether the post may write (only the actions that need no field: logging out, marking notices read,
# publishing a draft circular, a unit person's password reset). Every other refused or invalid post writes nothing.

ACTS_ON_ITEM = statuses(400, stranger_liaison=404, no_unit=404)  # sees it: the form says what is missing
POST_TABLE = {
    "logout": (None, dict.fromkeys(EVERYONE, 302), set(EVERYONE) - {ANONYMOUS}),
    "departments:import_units": (None, statuses(403, plan_office=200, administrator=200), set()),
    "departments:import_people": (None, statuses(403, plan_office=200, administrator=200), set()),
    "departments:reset_password": (
        lambda ctx: {"pk": ctx["personas"]["own_liaison"].pk},
        statuses(403, plan_office=200, administrator=200),
        {"plan_office", "administrator"},
    ),
    "password_change": (None, statuses(200), set()),
    "workflows:open_cycle": (
        lambda ctx: {"plan_pk": ctx["plan"].pk},
        statuses(403, **dict.fromkeys(OPEN_CYCLES, 200)),
        set(),
    ),
    "workflows:item_create": (None, statuses(403, government_office=200), set()),
    "workflows:item_report": (item_pk, ACTS_ON_ITEM, set()),
    "workflows:item_contribute": (item_pk, ACTS_ON_ITEM, set()),
    "workflows:item_inspect": (item_pk, ACTS_ON_ITEM, set()),
    "workflows:item_assign": (item_pk, ACTS_ON_ITEM, set()),
    "workflows:item_withdraw": (item_pk, ACTS_ON_ITEM, set()),
    # One click, no field: the owner's liaison is told the item is not awaiting signing (it awaits inspection).
    "workflows:item_sign": (item_pk, statuses(403, own_liaison=400, stranger_liaison=404, no_unit=404), set()),
    "workflows:item_hand_back": (item_pk, ACTS_ON_ITEM, set()),
    # No field required: the office is told nothing is handed back; everyone else is refused.
    "workflows:item_resolve_hand_back": (
        item_pk,
        statuses(403, government_office=400, stranger_liaison=404, no_unit=404),
        set(),
    ),
    "workflows:item_request_extension": (item_pk, ACTS_ON_ITEM, set()),
    "workflows:item_decide_extension": (item_pk, ACTS_ON_ITEM, set()),
    "workflows:item_instruct": (item_pk, ACTS_ON_ITEM, set()),
    "board:bulk": (None, statuses(403, government_office=200), set()),
    # The calendar's forms: the office is told what is missing (400); the rest are refused.
    "workdays:add_day": (None, statuses(403, government_office=400), set()),
    "workdays:remove_day": (None, statuses(403, government_office=400), set()),
    "workdays:mark_covered": (None, statuses(403, government_office=400), set()),
    "workdays:load": (None, statuses(403, government_office=400), set()),
    "notices:open": (notification_pk, statuses(404, own_liaison=302), {"own_liaison"}),
    "notices:mark_all_read": (None, statuses(302), set(EVERYONE) - {ANONYMOUS}),
    "notices:preferences": (None, statuses(400), set()),  # every kind needs a choice: nothing saved
    "notices:urge_item": (item_pk, statuses(403, government_office=400), set()),
    "notices:urge_unit": (lambda ctx: {"pk": ctx["units"]["own"].pk}, statuses(403, government_office=400), set()),
    "notices:retry_delivery": (notification_pk, statuses(404), set()),  # no such delivery: nothing to resend
    "notices:circular_create": (None, statuses(403, government_office=400), set()),
    "notices:rung_create": (None, statuses(403, government_office=400), set()),  # the form says what is missing
    "notices:rung_edit": (rung_pk, statuses(403, government_office=400), set()),
    "notices:rung_delete": (rung_pk, statuses(403, government_office=302), {"government_office"}),  # confirmed
    "notices:circular_publish": (circular_pk, statuses(403, government_office=302), {"government_office"}),
    "assessments:scheme_edit": (lambda ctx: {"year": 2025}, statuses(403, assessment_reader=200), set()),
    "assessments:run_start": (None, statuses(403, assessment_reader=302), set()),  # the errors, as messages
    "assessments:tokens": (None, statuses(403, assessment_reader=400), set()),  # a token needs a name
    "assessments:token_revoke": (token_pk, statuses(403, assessment_reader=302), {"assessment_reader"}),
    "assessments:run_recompute": (run_pk, statuses(404, government_office=403, assessment_reader=302), set()),
    "assessments:run_publish": (run_pk, statuses(404, government_office=403, assessment_reader=302), set()),
    "indicators:county_figures": (None, statuses(403, plan_office=200, administrator=200), set()),
    "indicators:import_figures": (None, statuses(403, plan_office=200, administrator=200), set()),
    "indicators:confirm_import": (None, statuses(403, plan_office=302, administrator=302), set()),
    "indicators:edit_school_figure": (school_pk, statuses(404), set()),  # no figures named
    "indicators:shortfalls": (None, statuses(403, plan_office=200), set()),
    "indicators:report_request": (None, statuses(403, plan_office=302, administrator=302), set()),
    "audit:unlock": (None, statuses(403, administrator=302), set()),
    # The board's 导出 on a list under TASKBOARD_EXPORT_SYNC_ROWS: no job, the download itself.
    "board:export_start": (None, statuses(200), set()),
}
POST_CASES = [(name, persona) for name in POST_TABLE for persona in EVERYONE]


def test_every_url_that_takes_a_post_is_in_the_post_table():
    takes_post = {name for name, (_builder, expected) in TABLE.items() if expected == POST_ONLY}
    takes_post -= {name for name in takes_post if name.startswith("notifications:")}  # the library's own
    assert takes_post <= set(POST_TABLE), takes_post - set(POST_TABLE)


@pytest.mark.parametrize(("url_name", "persona"), POST_CASES, ids=[f"{n}-{p}" for n, p in POST_CASES])
def test_post_status(client, personas, context, url_name, persona):
    kwargs_builder, expected, may_write = POST_TABLE[url_name]
    url = reverse(url_name, kwargs=kwargs_builder(context) if kwargs_builder else {})
    log_in_as(client, personas, persona)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {})
    assert response.status_code == expected[persona]
    if persona not in may_write:
        assert writes(queries.captured_queries) == [], f"POST {url} as {persona} wrote to the database"
