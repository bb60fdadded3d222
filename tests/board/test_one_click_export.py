"""The board's 导出 is one click: a POST form on the board (with its CSRF token and its filters) that downloads the
file when the list is small and, above TASKBOARD_EXPORT_SYNC_ROWS, starts the background job and lands on its
progress page. A second identical click while the job runs lands on the same job; a GET of the POST-only address
goes back to the board; the job's rows are the board's filtered rows, in its order, and only the person who asked
sees the job."""

import re
from html import unescape
from io import BytesIO

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from board import services
from board.models import BoardExport
from workflows.models import DutyItem

from ..conftest import year_period
from .board_fixtures import make_items

pytestmark = pytest.mark.django_db

MINE, START = reverse("board:mine"), reverse("board:export_start")
FILTERS = {"period": "", "light": "red"}  # every period, overdue only: a subset of the person's items
FORM = re.compile(r'<form method="post" action="(?P<action>[^"]+)"[^>]*id="export-form">(?P<body>.*?)</form>', re.S)


@pytest.fixture
def items(units, plan):
    make_items(30, [units["own"], units["cooperating"], units["stranger"]], period=year_period(plan, 2026))
    return DutyItem.objects.all()


def export_form(page):
    """(action, {name: value}) of the board's 导出 form."""
    form = FORM.search(page.content.decode())
    assert form, "the board has no 导出 form"
    fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form["body"])
    return form["action"], {name: unescape(value) for name, value in fields}


def board_ids(client, **params):
    """The ids the board shows for ``params``, in its order (all on one page here)."""
    page = client.get(MINE, params)
    assert not page.context["page_obj"].has_other_pages()
    return [item.pk for item in page.context["page_obj"]]


def click_export(client, **params):
    """Open the board with ``params`` and press its 导出, as the browser would: the form's own fields."""
    action, fields = export_form(client.get(MINE, params))
    return client.post(action, fields)


def test_the_board_export_is_a_post_form_with_its_csrf_token_and_filters(personas, items):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["own_liaison"])
    action, fields = export_form(client.get(MINE, {**FILTERS, "page": "1"}))
    assert action == START
    assert fields["querystring"] == "period=&light=red"  # every page of the list, not the one open
    assert fields["csrfmiddlewaretoken"]
    assert client.post(action, {"querystring": fields["querystring"]}).status_code == 403  # no token, no export
    assert client.post(action, fields).status_code == 200


def test_one_click_above_the_threshold_starts_the_job_and_lands_on_its_progress_page(client, personas, items, settings):
    liaison = personas["own_liaison"]
    client.force_login(liaison)
    shown = board_ids(client, **FILTERS)
    settings.TASKBOARD_EXPORT_SYNC_ROWS = len(shown) - 1
    response = click_export(client, **FILTERS)
    job = BoardExport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("board:export_detail", args=[job.pk])
    assert job.item_ids == shown  # exactly the board's filtered rows, in its order
    assert 0 < len(shown) < DutyItem.objects.for_user(liaison).count()
    assert (job.requested_by, job.query, job.status) == (liaison, "period=&light=red", BoardExport.Status.QUEUED)
    page = client.get(response.url)
    assert page.status_code == 200
    assert f"正在后台导出 {len(shown)} 项任务" in page.content.decode()


def test_one_click_under_the_threshold_downloads_the_boards_rows(client, personas, items, settings):
    client.force_login(personas["own_liaison"])
    shown = board_ids(client, **FILTERS)
    settings.TASKBOARD_EXPORT_SYNC_ROWS = len(shown)
    response = click_export(client, **FILTERS)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(BytesIO(response.content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == shown
    assert not BoardExport.objects.exists()


def test_a_second_identical_click_while_the_job_runs_lands_on_the_same_job(client, personas, items, settings):
    settings.TASKBOARD_EXPORT_SYNC_ROWS = 1
    client.force_login(personas["own_liaison"])
    first = click_export(client, **FILTERS)
    second = click_export(client, **FILTERS)
    job = BoardExport.objects.get()
    assert first.url == second.url == reverse("board:export_detail", args=[job.pk])
    assert [str(m) for m in get_messages(second.wsgi_request)] == ["同样的导出正在进行，请等待完成，不必重复提交。"]
    BoardExport.objects.filter(pk=job.pk).update(status=BoardExport.Status.RUNNING)
    assert click_export(client, **FILTERS).url == first.url
    assert BoardExport.objects.count() == 1

    other_filters = click_export(client, period="")  # another list: another job
    assert other_filters.url != first.url
    assert services.run_export(job.pk) == BoardExport.Status.DONE
    again = click_export(client, **FILTERS)  # the first one is done: a new click writes a new file
    assert again.url not in (first.url, other_filters.url)
    assert BoardExport.objects.count() == 3


def test_the_database_refuses_a_second_running_job_for_the_same_file(personas):
    """What makes the second click find the first job even when both requests run side by side."""
    user, today = personas["own_liaison"], timezone.localdate()
    job, created = services.request_export(user, [3, 1, 2], today=today)
    assert created
    with pytest.raises(IntegrityError), transaction.atomic():
        BoardExport.objects.create(
            requested_by=user, item_ids=[3, 1, 2], as_of=today, fingerprint=job.fingerprint, status="running"
        )
    assert services.request_export(user, [3, 1, 2], today=today) == (job, False)
    assert services.request_export(user, [1, 2, 3], today=today)[1]  # another order is another file


def test_two_people_with_the_same_list_get_a_job_each_and_see_only_their_own(
    client, personas, units, items, settings, make_user
):
    settings.TASKBOARD_EXPORT_SYNC_ROWS = 1
    colleague = make_user("colleague", unit=units["own"])  # sees exactly what the own liaison sees
    client.force_login(personas["own_liaison"])
    mine = click_export(client, **FILTERS)
    client.force_login(colleague)
    theirs = click_export(client, **FILTERS)
    assert mine.url != theirs.url
    first, second = BoardExport.objects.order_by("pk")
    assert first.item_ids == second.item_ids
    for job in (first, second):
        services.run_export(job.pk)
    for stranger in (personas["stranger_liaison"], colleague):
        client.force_login(stranger)
        for name in ("board:export_detail", "board:export_status", "board:export_download"):
            assert client.get(reverse(name, args=[first.pk])).status_code == 404, name
    assert client.get(reverse("board:export_download", args=[second.pk])).status_code == 200


def test_a_get_of_the_start_address_goes_back_to_the_board_and_writes_nothing(client, personas, items, settings):
    settings.TASKBOARD_EXPORT_SYNC_ROWS = 1
    client.force_login(personas["own_liaison"])
    response = client.get(START, {"querystring": "period=&light=red"})
    assert (response.status_code, response.url) == (302, MINE)
    assert not BoardExport.objects.exists()


def test_filters_that_do_not_validate_go_back_to_the_board_with_a_message(client, personas, items, settings):
    settings.TASKBOARD_EXPORT_SYNC_ROWS = 1
    client.force_login(personas["own_liaison"])
    response = client.post(START, {"querystring": "light=purple"})
    assert (response.status_code, response.url) == (302, f"{MINE}?light=purple")
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["筛选条件有误，请修改后再导出。"]
    assert not BoardExport.objects.exists()
