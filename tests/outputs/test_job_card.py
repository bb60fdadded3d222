"""A finished background job's card (outputs/_job_status.html, shared by the board's export and the self-evaluation
report) says its state once: "状态：已完成" or "状态：生成失败", then what is left to say (the rows written, the
reason it failed) — not "已完成 已完成", "生成失败 生成失败", nor "生成失败 … 生成失败：…". The JSON status the page
polls says the same."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from board import exports as board_exports
from board import services as board_services
from indicators.models import SelfEvaluationReport
from indicators.report import services as report_services
from indicators.report.context import ReportError
from outputs.jobs import STUCK_LABEL

from ..board.board_fixtures import make_item

pytestmark = pytest.mark.django_db

DONE, FAILED = "已完成", "生成失败"
CARD = re.compile(r'<section class="card" id="report-status".*?</section>', re.S)


def card_text(response):
    """The card's visible words, tags and spacing dropped."""
    assert response.status_code == 200
    card = CARD.search(response.content.decode())
    assert card, "no job card on the page"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", card.group()))


def assert_said_once(text, state, other):
    assert text.count(state) == 1, text
    assert other not in text, text
    assert STUCK_LABEL not in text, text


@pytest.fixture
def board_job(client, personas, units, monkeypatch):
    """``board_job(broken=False)``: the own liaison's export of two items, run (or failing) in the worker; the URLs
    of its page and of its JSON status, the liaison logged in."""

    def run(broken=False):
        items = [make_item(units["own"], title="一"), make_item(units["own"], title="二")]
        ids = [item.pk for item in items]
        job, _created = board_services.request_export(personas["own_liaison"], ids, today=timezone.localdate())
        if broken:
            monkeypatch.setattr(board_exports, "item_rows", lambda *args, **kwargs: 1 / 0)
        board_services.run_export(job.pk)
        client.force_login(personas["own_liaison"])
        return [reverse(name, args=[job.pk]) for name in ("board:export_detail", "board:export_status")]

    return run


def test_a_finished_board_export_says_done_once_and_how_many_rows_it_wrote(client, board_job):
    detail, status = board_job()
    text = card_text(client.get(detail))
    assert_said_once(text, DONE, FAILED)
    assert "状态： 已完成 已写入 2 项任务" in text
    payload = client.get(status).json()
    assert (payload["status_label"], payload["step"], payload["error"]) == (DONE, "已写入 2 项任务", "")


def test_a_failed_board_export_says_failed_once_and_why(client, board_job):
    detail, status = board_job(broken=True)
    text = card_text(client.get(detail))
    assert_said_once(text, FAILED, DONE)
    assert "系统错误（ZeroDivisionError），请重新导出。" in text
    payload = client.get(status).json()
    assert (payload["status_label"], payload["step"]) == (FAILED, "")


@pytest.mark.parametrize("broken", [False, True])
def test_a_finished_self_evaluation_report_says_its_state_once(client, personas, monkeypatch, broken):
    def write_report(year, **kwargs):
        if broken:
            raise ReportError(f"{year}年度还没有学校数据，请先导入学校年度数据再生成自评报告。")
        return b"a document"

    monkeypatch.setattr(report_services, "write_report", write_report)
    report, _created = report_services.request_report(personas["plan_office"], 2031)
    report_services.run_report(report.pk)
    report.refresh_from_db()
    assert report.status == (SelfEvaluationReport.Status.FAILED if broken else SelfEvaluationReport.Status.DONE)
    client.force_login(personas["plan_office"])
    text = card_text(client.get(reverse("indicators:report_detail", args=[report.pk])))
    assert_said_once(text, *((FAILED, DONE) if broken else (DONE, FAILED)))
    if broken:
        assert "2031年度还没有学校数据" in text
    payload = client.get(reverse("indicators:report_status", args=[report.pk])).json()
    assert payload["step"] == ""


def test_the_check_can_fail():
    """The card of before: the state twice."""
    with pytest.raises(AssertionError):
        assert_said_once("状态： 已完成 已完成 下载 任务清单.xlsx", DONE, FAILED)
    with pytest.raises(AssertionError):
        assert_said_once("状态： 生成失败 生成失败 生成失败：系统错误", FAILED, DONE)
