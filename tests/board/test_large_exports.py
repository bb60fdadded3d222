"""The board's export above TASKBOARD_EXPORT_SYNC_ROWS: a background job (Celery, eager here; a real worker in
tests/notices/test_queues.py) whose workbook is the very one the small export downloads, which only the person who
asked may see or download, holding exactly the rows they could see when they asked; a constant number of
queries however many rows."""

from datetime import timedelta
from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from board import services
from board.models import BoardExport
from board.tasks import build_export_task
from departments.models import Membership
from taskboard.celery import app
from workflows.models import DutyItem

from ..conftest import year_period
from .board_fixtures import make_item, make_items

pytestmark = pytest.mark.django_db

EXPORT, START = "board:export", "board:export_start"
Status = BoardExport.Status


@pytest.fixture
def eager():
    """Celery runs the task in the caller, as a worker would (the broker is not used)."""
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def items(units, personas, plan):
    """Items of every stage and light, cooperating units, an assignee with a Chinese name, a period."""
    liaison = personas["own_liaison"]
    liaison.last_name, liaison.first_name = "张", "伟"
    liaison.save()
    period = year_period(plan, 2026)
    make_items(
        12, [units["own"], units["cooperating"]], period=period, assignee=liaison, cooperating=[units["stranger"]]
    )
    make_item(units["own"], title='=HYPERLINK("http://example.com","点我")', cooperating=[units["cooperating"]])
    make_item(units["stranger"], title="其他单位的任务")  # the own liaison never sees it
    return DutyItem.objects.all()


def sheet_values(content):
    sheet = openpyxl.load_workbook(BytesIO(content)).active
    return sheet, [[cell.value for cell in row] for row in sheet.iter_rows()]


def export_in_background(client, user, settings, django_capture_on_commit_callbacks, **params):
    """Ask for the export as the board does (its 导出 posts its filters); the job, run by Celery after commit."""
    settings.TASKBOARD_EXPORT_SYNC_ROWS = 2
    client.force_login(user)
    board = client.get(reverse("board:mine"), params)
    assert board.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(reverse(START), {"querystring": board.context["export_querystring"]})
    job = BoardExport.objects.get()
    assert started.status_code == 302
    assert started.url == reverse("board:export_detail", args=[job.pk])
    job.refresh_from_db()
    return job


def test_the_large_export_is_the_same_workbook_as_the_small_one(
    client, personas, items, settings, eager, django_capture_on_commit_callbacks
):
    liaison = personas["own_liaison"]
    client.force_login(liaison)
    small = client.get(reverse(EXPORT), {"period": ""})
    assert small["Content-Type"].startswith("application/vnd.openxmlformats")
    small_sheet, small_rows = sheet_values(small.content)

    job = export_in_background(client, liaison, settings, django_capture_on_commit_callbacks, period="")
    assert (job.status, job.progress, job.step, job.error) == (Status.DONE, 100, "已写入 7 项任务", "")
    assert job.rows == len(small_rows) - 1 == 7  # the own unit's items (6 of the 12, and one more), no other unit's
    download = client.get(reverse("board:export_download", args=[job.pk]))
    assert download.status_code == 200
    assert "filename*=UTF-8''%E4%BB%BB%E5%8A%A1%E6%B8%85%E5%8D%95-" in download["Content-Disposition"]  # 任务清单-
    large_sheet, large_rows = sheet_values(b"".join(download.streaming_content))

    assert large_rows == small_rows
    assert small_rows[0][:3] == ["编号", "信号灯", "任务"]
    assert any(row[11] == "张伟" for row in small_rows[1:])  # 经办人, family name first
    assert "其他单位的任务" not in [row[2] for row in small_rows]
    for sheet in (small_sheet, large_sheet):
        assert sheet.freeze_panes == "A2"
        formula_like = next(row for row in sheet.iter_rows(min_row=2) if str(row[2].value).startswith("=HYPER"))
        assert formula_like[2].data_type == "s"
    widths = [
        [sheet.column_dimensions[letter].width for letter in "ABCDEFGHIJKLM"] for sheet in (small_sheet, large_sheet)
    ]
    assert widths[0] == widths[1]


def test_the_progress_page_and_status_show_the_download_link(
    client, personas, items, settings, eager, django_capture_on_commit_callbacks
):
    job = export_in_background(client, personas["government_office"], settings, django_capture_on_commit_callbacks)
    page = client.get(reverse("board:export_detail", args=[job.pk]))
    assert page.status_code == 200
    assert f"共 {job.rows} 项任务" in page.content.decode()
    status = client.get(reverse("board:export_status", args=[job.pk])).json()
    assert status["status"] == "done"
    assert status["status_label"] == "已完成"
    assert status["download_url"] == reverse("board:export_download", args=[job.pk])


def test_the_old_get_address_offers_the_job_and_writes_nothing(client, personas, items, settings):
    """Links and bookmarks of the export's GET address, from before the board's 导出 became a form: the page that
    offers the job (a POST), with the filters kept."""
    settings.TASKBOARD_EXPORT_SYNC_ROWS = 2
    client.force_login(personas["own_liaison"])
    offer = client.get(reverse(EXPORT), {"period": "", "stage": "reporting"})
    assert offer.status_code == 200
    assert "开始导出" in offer.content.decode()
    assert offer.context["querystring"] == "period=&stage=reporting"
    assert not BoardExport.objects.exists()
    assert client.get(reverse(START)).status_code == 302  # a GET of the POST-only start writes nothing either
    assert not BoardExport.objects.exists()


@pytest.mark.parametrize("other", ["cooperating_liaison", "stranger_liaison", "government_office", "administrator"])
def test_only_who_asked_sees_and_downloads_the_export(
    client, personas, items, settings, eager, django_capture_on_commit_callbacks, other
):
    job = export_in_background(client, personas["own_liaison"], settings, django_capture_on_commit_callbacks)
    assert job.status == Status.DONE
    client.force_login(personas[other])
    for name in ("board:export_detail", "board:export_status", "board:export_download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404, name
    client.logout()
    response = client.get(reverse("board:export_download", args=[job.pk]))
    assert response.status_code == 302  # to the login page


def test_the_rows_are_those_the_person_could_see_when_they_asked(client, personas, units, items, settings):
    """The ids are read in the request (the access module's for_user and the filters): a membership ended
    before the worker runs changes nothing in the file."""
    liaison = personas["own_liaison"]
    settings.TASKBOARD_EXPORT_SYNC_ROWS = 2
    client.force_login(liaison)
    client.post(reverse(START), {"querystring": "period="})
    job = BoardExport.objects.get()
    visible = set(DutyItem.objects.for_user(liaison).values_list("pk", flat=True))
    assert set(job.item_ids) == visible
    assert job.status == Status.QUEUED  # not eager: nothing ran yet
    Membership.objects.filter(user=liaison).delete()
    assert services.run_export(job.pk) == Status.DONE
    job.refresh_from_db()
    _sheet, rows = sheet_values(job.file.read())
    assert {row[0] for row in rows[1:]} == visible


def test_a_file_written_before_access_ended_is_not_handed_out_after(client, personas, units, items, settings):
    """The rows are fixed when asked, but the download asks again: a liaison who has left the unit gets a clear
    refusal, not the file; while they still see every row, it downloads."""
    liaison = personas["own_liaison"]
    settings.TASKBOARD_EXPORT_SYNC_ROWS = 2
    client.force_login(liaison)
    client.post(reverse(START), {"querystring": "period="})
    job = BoardExport.objects.get()
    assert services.run_export(job.pk) == Status.DONE
    url = reverse("board:export_download", args=[job.pk])
    assert client.get(url).status_code == 200
    Membership.objects.filter(user=liaison).delete()
    refused = client.get(url)
    assert refused.status_code == 403
    assert "您已无权查看这份导出中的部分任务" in refused.content.decode()


def test_the_task_runs_once_a_redelivery_finds_it_done(personas, items, eager):
    ids = list(DutyItem.objects.values_list("pk", flat=True))
    job, _created = services.request_export(personas["government_office"], ids, today=timezone.localdate())
    assert build_export_task.delay(job.pk).get() == Status.DONE
    assert build_export_task.delay(job.pk).get() is None  # claimed already: nothing written twice
    job.refresh_from_db()
    assert job.rows == len(ids)


def test_an_item_deleted_meanwhile_is_left_out(personas, units):
    kept, gone = make_item(units["own"], title="留下"), make_item(units["own"], title="删除")
    job, _created = services.request_export(
        personas["government_office"], [gone.pk, kept.pk], today=timezone.localdate()
    )
    DutyItem.objects.filter(pk=gone.pk).delete()
    assert services.run_export(job.pk) == Status.DONE
    job.refresh_from_db()
    assert [row[2] for row in sheet_values(job.file.read())[1][1:]] == ["留下"]
    assert (job.rows, job.step) == (2, "已写入 1 项任务")  # asked for two; the card says what the file holds


def test_a_stuck_export_expires_and_old_ones_are_purged(personas, units):
    job, _created = services.request_export(personas["government_office"], [], today=timezone.localdate())
    later = timezone.now() + BoardExport.STALE_AFTER + timedelta(minutes=1)
    from outputs import jobs

    assert jobs.expire_stale(BoardExport, now=later) == 1
    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert "请重新导出" in job.error
    assert services.purge_exports(now=later + timedelta(days=8)) == 1
    assert not BoardExport.objects.exists()


@pytest.mark.parametrize("persona", ["own_liaison", "government_office"])
def test_the_background_export_costs_the_same_queries_for_10_and_500_items(
    personas, units, plan, count_queries, persona
):
    period = year_period(plan, 2026)
    spread = {"period": period, "assignee": personas["own_liaison"], "cooperating": [units["stranger"]]}
    user = personas[persona]

    def run():
        ids = list(DutyItem.objects.for_user(user).values_list("pk", flat=True))
        job, _created = services.request_export(user, ids, today=timezone.localdate())
        assert services.run_export(job.pk) == Status.DONE

    make_items(10, [units["own"], units["cooperating"]], **spread)
    run()  # warm the caches once
    at_10 = count_queries(run)
    make_items(490, [units["own"], units["cooperating"]], **spread)
    at_500 = count_queries(run)
    assert at_10 == at_500
