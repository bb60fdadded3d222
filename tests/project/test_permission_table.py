"""Every view, every persona: who gets what status code.

The table must name every URL the project serves outside the admin (which has its own
tests), viewflow's own pages included: a new view without a row here fails
``test_every_url_is_in_the_table``. Objects in URLs belong to the persona "own_liaison"'s
unit; "cooperating_liaison"'s unit cooperates on the item; "stranger_liaison"'s has no part.
"""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assessments import services as assessment_services
from assessments.models import UnitScore
from notices.models import Circular
from workflows import services
from workflows.models import Evidence, Period

ANONYMOUS = "anonymous"
LIAISONS = ["own_liaison", "cooperating_liaison", "stranger_liaison", "no_unit"]
ROLES = ["government_office", "inspector", "plan_office", "assessment_reader", "administrator"]
EVERYONE = [ANONYMOUS, *LIAISONS, *ROLES]
OFFICE = ["government_office", "plan_office"]  # hold workflows.assign_item

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
    from departments.models import Unit
    from indicators.services.schools import register_school

    unit, _created = Unit.objects.get_or_create(name="表内小学", kind=Unit.Kind.SCHOOL)
    return {"pk": register_school(unit, "primary").pk}


def report_pk(ctx):
    """A generated self-evaluation report (written directly: only access is tested)."""
    from django.core.files.base import ContentFile

    from indicators.models import SelfEvaluationReport

    report = SelfEvaluationReport(year=2025, status=SelfEvaluationReport.Status.DONE, progress=100)
    report.file.save("report.docx", ContentFile(b"PK"), save=True)
    return {"pk": report.pk}


def notification_slug(ctx):
    return {"slug": ctx["notification"].pk}


def run_pk(ctx):
    return {"pk": ctx["run"].pk}


def own_unit_score(ctx):
    return {"pk": ctx["run"].pk, "unit_id": ctx["units"]["own"].pk}


SEES_ITEM = statuses(404, own_liaison=200, cooperating_liaison=200, **dict.fromkeys(ROLES, 200))
POST_ONLY = statuses(405)
OVERSEERS = statuses(403, **dict.fromkeys(ROLES, 200))  # hold workflows.view_dutyitem
LIBRARY_POST_ONLY = dict.fromkeys(EVERYONE, 405)  # the notifications library checks the method before the login
LIBRARY_JSON = dict.fromkeys(EVERYONE, 200)  # anonymous users get zeros
ASSESSMENT_READERS = ["government_office", "assessment_reader"]  # see every unit's published result
SEES_RUN = statuses(404, **dict.fromkeys(ASSESSMENT_READERS, 200))
TOKEN_ONLY = dict.fromkeys(EVERYONE, 401)  # the JSON API takes an API token, never a session

# url name -> (kwargs builder, expected GET status per persona)
TABLE = {
    "login": (None, dict.fromkeys(EVERYONE, 200)),
    "logout": (None, dict.fromkeys(EVERYONE, 405)),  # GET is refused: logout is a POST
    "home": (None, statuses(200)),
    "unit_list": (None, statuses(200)),
    "unit_detail": (
        lambda ctx: {"pk": ctx["units"]["own"].pk},
        statuses(404, own_liaison=200, **dict.fromkeys(ROLES, 200)),
    ),
    "departments:import_units": (None, statuses(403, plan_office=200, administrator=200)),
    "departments:import_people": (None, statuses(403, plan_office=200, administrator=200)),
    "plan_list": (None, statuses(200)),
    "plan_detail": (lambda ctx: {"pk": ctx["plan"].pk}, statuses(200)),
    "workflows:open_cycle": (lambda ctx: {"plan_pk": ctx["plan"].pk}, statuses(403, **dict.fromkeys(OFFICE, 200))),
    "workflows:item_create": (None, statuses(403, **dict.fromkeys(OFFICE, 200))),
    "workflows:item_detail": (item_pk, SEES_ITEM),
    "workflows:item_report": (item_pk, POST_ONLY),
    "workflows:item_contribute": (item_pk, POST_ONLY),
    "workflows:item_inspect": (item_pk, POST_ONLY),
    "workflows:item_assign": (item_pk, POST_ONLY),
    "workflows:item_withdraw": (item_pk, POST_ONLY),
    "workflows:evidence_download": (lambda ctx: {"pk": ctx["evidence"].pk}, SEES_ITEM),
    "board:mine": (None, statuses(200)),
    "board:matrix": (None, statuses(403, **dict.fromkeys(ROLES, 200))),
    "board:inspection": (None, statuses(403, inspector=200)),
    "board:export": (None, statuses(200)),
    "board:bulk": (None, POST_ONLY),
    "notices:inbox": (None, statuses(200)),
    "notices:open": (notification_pk, statuses(404, own_liaison=302)),  # only the recipient's own notice
    "notices:mark_all_read": (None, POST_ONLY),
    "notices:item_notices": (item_pk, SEES_ITEM),
    "notices:urge_item": (item_pk, POST_ONLY),
    "notices:urge_unit": (lambda ctx: {"pk": ctx["units"]["own"].pk}, POST_ONLY),
    "notices:overdue": (None, OVERSEERS),
    "notices:failures": (None, OVERSEERS),
    "notices:retry_delivery": (notification_pk, POST_ONLY),
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
    "assessments_api:run_list": (None, TOKEN_ONLY),
    "assessments_api:year_results": (lambda ctx: {"year": 2025}, TOKEN_ONLY),
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
    assert any(is_viewflow(name) for name in names), "viewflow's pages are mounted"


@pytest.fixture
def context(plan, personas, units):
    """An item of the own unit with the cooperating unit on it, reported with a file, awaiting inspection;
    an in-app notice about it for the own liaison; a draft circular."""
    item = services.create_ad_hoc_item(
        personas["government_office"],
        unit=units["own"],
        title="校园周边环境整治",
        deadline=date(2030, 1, 1),
        cooperating_units=[units["cooperating"]],
    )
    pdf = SimpleUploadedFile("整治报告.pdf", b"%PDF-1.4\n%%EOF\n")
    services.submit_report(personas["own_liaison"], item, text="已整治", files=[pdf])
    from notifications.models import Notification

    notification = Notification.objects.create(
        recipient=personas["own_liaison"],
        actor=units["own"],
        verb="催办：校园周边环境整治",
        data={"url": item.get_absolute_url()},
    )
    period = Period.objects.create(
        plan=plan,
        kind=Period.Kind.YEAR,
        year=2030,
        label="2030年度",
        starts_on=date(2030, 1, 1),
        ends_on=date(2030, 12, 31),
    )
    circular = Circular.objects.create(
        title="关于2030年度工作推进情况的通报",
        period=period,
        rectification_deadline=date(2030, 6, 30),
        created_by=personas["government_office"],
    )
    run = published_run_with_own_unit(personas["assessment_reader"], units["own"])
    return {
        "run": run,
        "units": units,
        "plan": plan,
        "item": item,
        "evidence": Evidence.objects.get(report__item=item),
        "notification": notification,
        "circular": circular,
    }


def published_run_with_own_unit(manager, unit):
    """A published 2025 assessment in which the own unit has a score (written directly: only access is tested)."""
    run = assessment_services.start_run(manager, 2025, date(2025, 12, 31))
    UnitScore.objects.create(
        run=run,
        unit=unit,
        unit_name=unit.name,
        unit_kind=unit.kind,
        rank=1,
        score=100,
        deductions=0,
        bonuses=0,
        **dict.fromkeys(
            [
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
            ],
            0,
        ),
    )
    return assessment_services.publish(manager, run)


def get_as(client, personas, persona, url):
    client.logout()
    if persona != ANONYMOUS:
        client.force_login(personas[persona])
    return client.get(url)


CASES = [(name, persona) for name in TABLE for persona in EVERYONE]


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "persona"), CASES, ids=[f"{n}-{p}" for n, p in CASES])
def test_get_status(client, personas, context, url_name, persona):
    kwargs_builder, expected = TABLE[url_name]
    kwargs = kwargs_builder(context) if kwargs_builder else {}
    response = get_as(client, personas, persona, reverse(url_name, kwargs=kwargs))
    assert response.status_code == expected[persona]


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


@pytest.mark.django_db
@pytest.mark.parametrize("persona", [ANONYMOUS, *LIAISONS])
def test_viewflow_pages_are_closed_to_liaisons(client, personas, context, persona):
    for name, url in viewflow_urls(context["item"]):
        status = get_as(client, personas, persona, url).status_code
        expected = 302 if name == "index" else 403  # the site index only redirects to the flow's page
        assert status == expected, f"{name} {url}"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ROLES)
def test_viewflow_pages_for_cross_unit_roles(client, personas, context, persona):
    seen = {}
    for name, url in viewflow_urls(context["item"]):
        seen[name] = get_as(client, personas, persona, url).status_code
        assert seen[name] in (200, 302, 403), f"{name} {url}: {seen[name]}"
    assert seen["duty:process_list"] == seen["duty:inbox"] == seen["duty:process_detail"] == 200
    assert seen["duty:process_cancel"] == 403  # withdrawal goes through Taskboard, with a reason


@pytest.mark.django_db
def test_viewflow_task_link_leads_to_the_item_page(client, personas, context):
    """An inspector claims the task in viewflow's queue; its page is Taskboard's item page, where the step is done."""
    item = context["item"]
    task = item.task_set.get(flow_task__endswith=".inspect")
    client.force_login(personas["inspector"])
    client.post(reverse("duty:inspect:assign", kwargs={"process_pk": item.pk, "task_pk": task.pk}))
    response = client.get(reverse("duty:inspect:execute", kwargs={"process_pk": item.pk, "task_pk": task.pk}))
    assert response.status_code == 302 and response.url == item.get_absolute_url()


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
