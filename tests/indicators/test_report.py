"""The self-evaluation report of the hand-computed county (conftest.py): the DOCX read back with python-docx,
the job's progress and failures, one job per year at a time, and who may generate, follow and download it.

Expected numbers come from test_compute.py: primary CVs 0.246183 (six indicators) and 0.352136 (multimedia),
mean 0.261319; junior 0.224534 for all seven; 4 of 7 primary and 4 of 5 junior parts pass the standard.
"""

import datetime
import io
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.enum.shape import WD_INLINE_SHAPE
from docx.oxml.ns import qn

from indicators.models import SelfEvaluationReport
from indicators.report import services
from indicators.report.document import paragraph
from indicators.report.sections import SECTIONS, Section, write_report
from taskboard.celery import app
from workflows.models import DutyItem, Plan

from .conftest import YEAR

pytestmark = pytest.mark.django_db
Status = SelfEvaluationReport.Status
TITLE = f"奉节县义务教育优质均衡发展{YEAR}年度自评报告"
WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


@pytest.fixture
def duty_items(personas, units):
    """Four items of the own unit due in the year: on time, late, still open (overdue), withdrawn (not counted)."""
    from workflows.flows import DutyFlow

    def item(title, deadline, **fields):
        made = DutyFlow.start.run(
            kind=DutyItem.Kind.AD_HOC, unit=units["own"], title=title, deadline=deadline,
            created_by=personas["government_office"],
        )  # fmt: skip
        DutyItem.objects.filter(pk=made.pk).update(**fields)

    moment = lambda day: timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))  # noqa: E731
    closed = DutyItem.Stage.CLOSED
    item("按时", datetime.date(YEAR, 3, 31), stage=closed, submitted_at=moment(datetime.date(YEAR, 3, 30)),
         closed_at=moment(datetime.date(YEAR, 4, 5)))  # fmt: skip
    item("逾期完成", datetime.date(YEAR, 6, 30), stage=closed, submitted_at=moment(datetime.date(YEAR, 7, 3)),
         closed_at=moment(datetime.date(YEAR, 7, 4)))  # fmt: skip
    item("未完成", datetime.date(YEAR, 9, 30), stage=DutyItem.Stage.REPORTING)
    item("已撤销", datetime.date(YEAR, 10, 31), stage=DutyItem.Stage.WITHDRAWN)


@pytest.fixture
def document(county, duty_items):
    return Document(io.BytesIO(write_report(YEAR)))


@pytest.fixture
def eager():
    """Celery runs the task in the caller, as a worker would (the broker is not used)."""
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def text_of(document):
    return "\n".join(block.text for block in document.paragraphs)


def table_with(document, header):
    return next(table for table in document.tables if header in [cell.text for cell in table.rows[0].cells])


def rows_of(table):
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_title_and_headings(document):
    assert document.paragraphs[0].style.name == "Title"
    assert document.paragraphs[0].text == TITLE
    headings = [(block.style.name, block.text) for block in document.paragraphs if "Heading" in block.style.name]
    assert headings == [
        ("Heading 1", "一、总体情况"),
        ("Heading 1", "二、学校资源配置指标"),
        ("Heading 2", "（一）小学"),
        ("Heading 2", "（二）初中"),
        ("Heading 1", "三、校际差异系数"),
        ("Heading 1", "四、县级指标"),
        ("Heading 1", "五、图表"),
        ("Heading 1", "六、职责任务完成情况"),
        ("Heading 1", "七、问题清单与整改台账"),
    ]


def test_the_county_level_indicators_with_their_standard_and_who_answers(county, duty_items, personas):
    from indicators.services.county import enter_county_figure

    enter_county_figure(personas["plan_office"], YEAR, "social_recognition_rate|", "90")
    document = Document(io.BytesIO(write_report(YEAR)))
    rows = rows_of(table_with(document, "负责单位"))
    assert rows[0] == ["指标", f"{YEAR}年", "标准", "是否达到", "负责单位", "来源"]
    recognition = next(row for row in rows if row[0].startswith("社会认可度"))
    assert recognition[1:2] == ["90%"]
    assert recognition[3] == "达到"
    assert recognition[5] == "填报"
    assert any(row[5] == "计算" for row in rows[1:])  # rates the school figures give are computed


def test_the_ledger_section_lists_the_rectification_items(county, duty_items, personas):
    from indicators.services.rectification import raise_rectifications

    empty = Document(io.BytesIO(write_report(YEAR)))
    assert f"{YEAR}年度尚未生成整改任务。" in text_of(empty)
    items = raise_rectifications(personas["plan_office"], YEAR, timezone.localdate() + timedelta(days=30))
    document = Document(io.BytesIO(write_report(YEAR)))
    rows = rows_of(table_with(document, "整改期限"))
    assert len(rows) == 1 + len(items)
    assert f"生成整改任务{len(items)}项，已办结0项，正在整改{len(items)}项" in text_of(document)
    second = next(row for row in rows if row[0] == "小学二")
    assert second[1] == (
        "每百名学生拥有网络多媒体教室数 2.25间，标准 2.3间，差 0.05间；最大班额 46人，标准不超过 45人，超 1人"
    )
    assert second[2] == "县教委"
    assert second[4] == "待签收"
    assert second[5] == "—"


def test_fonts_page_and_header_rows(document):
    fonts = {name: document.styles[name].element.rPr.rFonts.get(qn("w:eastAsia")) for name in ("Normal", "Heading 1")}
    assert fonts == {"Normal": "宋体", "Heading 1": "黑体"}
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4, in twips
    for table in document.tables:
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_summary_numbers_and_verdicts(document):
    text = text_of(document)
    assert "全县纳入统计的义务教育学校共10所（小学7个、初中5个学段），在校生6,290人（小学3,070人、初中3,220人）" in text
    assert "小学计入5个学段、在校生3,000人；初中计入4个学段、在校生3,200人" in text
    assert "不计特殊教育学校、在校生少于50人的教学点" in text
    assert "小学：7所学校中4所达到资源配置标准（未达到的有小学一、小学三、教学点）" in text
    assert "依次为0.246、0.246、0.246、0.246、0.246、0.246、0.352，平均0.261，均达到≤0.50的标准" in text
    assert "初中：5所学校中4所达到资源配置标准（未达到的有初中一）" in text
    assert f"依次为{'、'.join(['0.225'] * 7)}，平均0.225，均达到≤0.45的标准" in text
    assert "全县小学资源配置尚未达到优质均衡标准。" in text
    assert "全县初中资源配置尚未达到优质均衡标准。" in text
    summary = rows_of(table_with(document, "资源配置达标"))
    assert summary[1:] == [
        ["小学", "7", "3,070", "4/7", "7/7", "0.261", "未达到"],
        ["初中", "5", "3,220", "4/5", "7/7", "0.225", "未达到"],
    ]


def test_indicator_tables_values_and_marks(document):
    primary, junior = [table for table in document.tables if table.rows[0].cells[0].text == "学校"]
    headers = [cell.text for cell in primary.rows[0].cells]
    assert headers[:3] == ["学校", "在校生", "高于规定学历教师数（人/百生）≥ 4.2"]
    assert headers[-3:] == ["网络多媒体教室数（间/百生）≥ 2.3", "达标项数", "资源配置"]
    rows = {row[0]: row for row in rows_of(primary)[1:]}
    assert list(rows) == ["九年一贯制", "小学一", "小学三", "小学二", "小学四", "教学点", "特殊教育学校"]
    assert rows["小学二"][1:] == ["400", "5.00√", "1.00√", "1.00√", "5.00√", "8.00√", "2,500√", "2.25△", "6/7", "达标"]
    assert rows["小学一"][2] == "2.50×"
    assert rows["小学一"][-2:] == ["0/7", "未达标"]
    junior_rows = {row[0]: row for row in rows_of(junior)[1:]}
    assert junior_rows["九年一贯制"][1:] == [
        "1,200", "10.50√", "3.00√", "1.50√", "10.50√", "19.50√", "4,800√", "4.50√", "7/7", "达标",
    ]  # fmt: skip
    assert junior_rows["初中一"][4] == "0.80△"
    assert junior_rows["初中一"][-1] == "未达标"


def test_coefficients_against_their_thresholds(document):
    rows = rows_of(table_with(document, "差异系数"))
    assert rows[0] == ["学段", "指标", "全县均值X̄", "标准差S", "差异系数", "标准", "是否达到"]
    by_indicator = {(row[0], row[1]): row for row in rows[1:]}
    assert by_indicator[("小学", "网络多媒体教室数（间/百生）")][2:] == ["2.50", "0.88", "0.352", "≤0.50", "达到"]
    assert by_indicator[("小学", "高于规定学历教师数（人/百生）")][2:5] == ["5.50", "1.35", "0.246"]
    assert by_indicator[("初中", "生均教学仪器设备值（元）")][2:] == ["3,800", "853", "0.225", "≤0.45", "达到"]
    assert by_indicator[("小学", "平均")][4:] == ["0.261", "", "7/7项达到"]
    assert len(rows) == 1 + 2 * 8


def test_charts_are_embedded_pictures(document):
    shapes = document.inline_shapes
    assert len(shapes) == 3  # the CVs of each stage, the passing schools
    assert all(shape.type == WD_INLINE_SHAPE.PICTURE for shape in shapes)
    text = text_of(document)
    assert "图1  2025年度小学各项指标校际差异系数（标准≤0.50）" in text
    assert "图3  2025年度达到资源配置标准的学校比例" in text


def test_duty_completion_by_unit(document):
    rows = rows_of(table_with(document, "按时完成率"))
    assert rows[1:] == [["县生态环境局", "3", "1", "1", "1", "33.3%"], ["合计", "3", "1", "1", "1", "33.3%"]]


def test_a_section_is_one_entry_in_the_registry(county):
    """How 县级指标 and the ledger will be added: one Section in the list; the headings renumber."""
    extra = Section("县级指标", lambda document, context: paragraph(document, f"{context.year}年县级指标"))
    document = Document(io.BytesIO(write_report(YEAR, sections=[SECTIONS[0], extra, SECTIONS[2]])))
    headings = [block.text for block in document.paragraphs if block.style.name == "Heading 1"]
    assert headings == ["一、总体情况", "二、县级指标", "三、校际差异系数"]
    assert "2025年县级指标" in text_of(document)


# ------------------------------------------------------------------------------------------------ the job


def test_the_job_runs_after_commit_to_done_with_progress(county, personas, eager, monkeypatch,
                                                         django_capture_on_commit_callbacks):  # fmt: skip
    steps = []
    original = services._progress
    monkeypatch.setattr(services, "_progress", lambda *args: (steps.append(args[1:]), original(*args)))
    with django_capture_on_commit_callbacks(execute=True):
        report, created = services.request_report(personas["plan_office"], YEAR)
        assert created
        assert report.status == Status.QUEUED
    report.refresh_from_db()
    assert (report.status, report.progress, report.error) == (Status.DONE, 100, "")
    assert report.step == ""  # 已完成 is the status's label: the card does not say it twice
    assert report.finished_at
    assert report.file.name.endswith(".docx")
    percents = [percent for percent, _label in steps]
    assert percents == sorted(percents)
    assert percents[0] == 5
    assert percents[-1] == 95
    assert (5, "正在生成：总体情况") in steps
    with report.file.open("rb") as handle:
        assert Document(handle).paragraphs[0].text == TITLE


def test_a_failure_marks_the_job_failed_with_its_message(county, personas, monkeypatch):
    report, _created = services.request_report(personas["plan_office"], 2031)  # no figures that year
    assert services.run_report(report.pk) == Status.FAILED
    report.refresh_from_db()
    assert report.status == Status.FAILED
    assert report.finished_at
    assert (report.step, report.error) == ("", "2031年度还没有学校数据，请先导入学校年度数据再生成自评报告。")

    def broken(year, **kwargs):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(services, "write_report", broken)
    report, _created = services.request_report(personas["plan_office"], YEAR)
    services.run_report(report.pk)
    report.refresh_from_db()
    assert (report.status, report.error) == (Status.FAILED, "系统错误（RuntimeError: 磁盘已满）。")
    assert services.run_report(report.pk) is None  # a redelivered task finds nothing to claim


def test_a_second_request_while_one_runs_returns_the_same_job(county, personas):
    first, created = services.request_report(personas["plan_office"], YEAR)
    again, created_again = services.request_report(personas["administrator"], YEAR)
    assert created
    assert not created_again
    assert again.pk == first.pk
    SelfEvaluationReport.objects.filter(pk=first.pk).update(status=Status.RUNNING)
    assert services.request_report(personas["plan_office"], YEAR)[0].pk == first.pk
    other_year, created_other = services.request_report(personas["plan_office"], YEAR + 1)
    assert created_other
    assert other_year.pk != first.pk
    services.run_report(first.pk)
    assert services.request_report(personas["plan_office"], YEAR)[1]  # done: a new one may start


def test_a_job_without_progress_is_failed_not_left_running(county, personas):
    report, _created = services.request_report(personas["plan_office"], YEAR)
    SelfEvaluationReport.objects.filter(pk=report.pk).update(
        status=Status.RUNNING, updated_at=timezone.now() - timedelta(minutes=31)
    )
    new, created = services.request_report(personas["plan_office"], YEAR)
    report.refresh_from_db()
    assert report.status == Status.FAILED
    assert "超过30分钟没有进展" in report.error
    assert created
    assert new.pk != report.pk


def test_the_report_pages_only_read_and_show_a_stuck_job_as_interrupted(client, county, personas):
    report, _created = services.request_report(personas["plan_office"], YEAR)
    SelfEvaluationReport.objects.filter(pk=report.pk).update(
        status=Status.RUNNING, progress=40, step="正在生成：总体情况", updated_at=timezone.now() - timedelta(minutes=31)
    )
    client.force_login(personas["plan_office"])
    urls = [reverse("indicators:report_list")] + [
        reverse(f"indicators:{name}", args=[report.pk]) for name in ("report_detail", "report_status")
    ]
    client.get(urls[0])  # warm the session
    with CaptureQueriesContext(connection) as queries:
        listing, detail, status = (client.get(url) for url in urls)
    assert [response.status_code for response in (listing, detail, status)] == [200, 200, 200]
    writes = [query["sql"] for query in queries.captured_queries if WRITE.match(query["sql"])]
    assert writes == []
    stuck = "超过30分钟没有进展（后台任务可能已中断），请重新生成。"
    assert f"疑似中断：{stuck}" in listing.content.decode()
    assert "疑似中断" in detail.content.decode()
    assert "fetch(box.dataset.statusUrl" not in detail.content.decode()
    assert status.json() | {"id": None} == {
        "id": None, "year": YEAR, "status": "running", "status_label": "疑似中断", "progress": 40,
        "step": "正在生成：总体情况", "error": stuck, "active": False, "stuck": True, "download_url": None,
    }  # fmt: skip
    report.refresh_from_db()
    assert report.status == Status.RUNNING  # reading expired nothing
    # Requesting a report (a POST) expires it, and a new job starts.
    client.post(reverse("indicators:report_request"), {"year": YEAR})
    report.refresh_from_db()
    assert (report.status, report.step, report.error) == (Status.FAILED, "", stuck)
    assert SelfEvaluationReport.objects.filter(status=Status.QUEUED).count() == 1


def test_beat_expires_a_stuck_job(county, personas):
    from indicators.tasks import expire_stuck_reports_task

    report, _created = services.request_report(personas["plan_office"], YEAR)
    fresh, _created = services.request_report(personas["plan_office"], YEAR + 1)
    SelfEvaluationReport.objects.filter(pk=report.pk).update(updated_at=timezone.now() - timedelta(minutes=31))
    assert expire_stuck_reports_task() == 1
    report.refresh_from_db()
    fresh.refresh_from_db()
    assert report.status == Status.FAILED
    assert fresh.status == Status.QUEUED
    assert expire_stuck_reports_task() == 0


def test_the_county_is_the_plans(client, county, duty_items, personas, plan):
    """Another county's plan, imported later, names its own county in the report and its file."""
    from indicators.models import Indicator

    assert SelfEvaluationReport(year=YEAR).filename == f"{TITLE}.docx"
    other = Plan.objects.create(
        doc_number="巫山府办发〔2030〕1号", title="巫山县义务教育优质均衡发展实施方案", issuer="巫山县人民政府办公室",
        issued_on=datetime.date(2030, 1, 1), target_year=2032, source_text="",
    )  # fmt: skip
    Indicator.objects.bulk_create(
        Indicator(**{**row, "id": None, "plan_id": other.pk}) for row in Indicator.objects.filter(plan=plan).values()
    )
    title = f"巫山县义务教育优质均衡发展{YEAR}年度自评报告"
    assert SelfEvaluationReport(year=YEAR).filename == f"{title}.docx"
    assert Document(io.BytesIO(write_report(YEAR))).paragraphs[0].text == title
    client.force_login(personas["plan_office"])
    page = client.get(reverse("indicators:report_list")).content.decode()
    assert "《巫山县义务教育优质均衡发展年度自评报告》" in page
    Plan.objects.filter(pk=other.pk).update(issuer="教育工作领导小组办公室")  # no county in the issuer's name
    assert SelfEvaluationReport(year=YEAR).filename == f"义务教育优质均衡发展{YEAR}年度自评报告.docx"


def test_a_broker_that_is_down_fails_the_job_with_a_message(county, personas, monkeypatch,
                                                            django_capture_on_commit_callbacks):  # fmt: skip
    from indicators.tasks import build_report_task

    def down(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(build_report_task, "apply_async", down)
    with django_capture_on_commit_callbacks(execute=True):
        report, _created = services.request_report(personas["plan_office"], YEAR)
    report.refresh_from_db()
    assert report.status == Status.FAILED
    assert "任务队列暂时不可用" in report.error


# ------------------------------------------------------------------------------------------------ the pages


def test_the_plan_office_generates_and_follows_the_progress(client, county, personas, eager,
                                                            django_capture_on_commit_callbacks):  # fmt: skip
    client.force_login(personas["plan_office"])
    page = client.get(reverse("indicators:report_list")).content.decode()
    assert "生成自评报告" in page
    assert re.search(rf'<option value="{YEAR}"( selected)?>', page)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("indicators:report_request"), {"year": YEAR})
    report = SelfEvaluationReport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("indicators:report_detail", args=[report.pk])
    status = client.get(reverse("indicators:report_status", args=[report.pk])).json()
    assert status == {
        "id": report.pk, "year": YEAR, "status": "done", "status_label": "已完成", "progress": 100, "step": "",
        "error": "", "active": False, "stuck": False,
        "download_url": reverse("indicators:report_download", args=[report.pk]),
    }  # fmt: skip
    page = client.get(reverse("indicators:report_detail", args=[report.pk])).content.decode()
    assert "下载 奉节县义务教育优质均衡发展2025年度自评报告.docx" in page
    assert "<script>" not in page
    assert client.post(reverse("indicators:report_request"), {"year": 1999}).status_code == 302  # no figures
    assert SelfEvaluationReport.objects.count() == 1


def test_a_running_job_page_polls_its_status(client, county, personas):
    report, _created = services.request_report(personas["plan_office"], YEAR)
    client.force_login(personas["inspector"])
    page = client.get(reverse("indicators:report_detail", args=[report.pk])).content.decode()
    assert "<progress" in page
    assert "job-status.js" in page  # the poller (no inline script: the Content-Security-Policy)
    assert "data-active" in page
    status = client.get(reverse("indicators:report_status", args=[report.pk])).json()
    assert (status["status"], status["active"], status["download_url"]) == ("queued", True, None)
    client.force_login(personas["plan_office"])
    response = client.post(reverse("indicators:report_request"), {"year": YEAR}, follow=True)
    assert "正在生成，请等待完成" in response.content.decode()
    assert SelfEvaluationReport.objects.count() == 1


@pytest.mark.parametrize("persona", ["government_office", "inspector", "assessment_reader", "administrator"])
def test_other_cross_unit_roles_download_but_do_not_generate(client, county, personas, persona):
    report, _created = services.request_report(personas["plan_office"], YEAR)
    services.run_report(report.pk)
    client.force_login(personas[persona])
    response = client.get(reverse("indicators:report_download", args=[report.pk]))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert 'filename="self-evaluation-report-2025.docx"' in disposition
    assert "filename*=UTF-8''%E5%A5%89" in disposition
    assert Document(io.BytesIO(b"".join(response.streaming_content))).paragraphs[0].text == TITLE
    generate = client.post(reverse("indicators:report_request"), {"year": YEAR}).status_code
    assert generate == (302 if persona == "administrator" else 403)


@pytest.mark.parametrize("persona", ["own_liaison", "stranger_liaison", "no_unit"])
def test_liaisons_get_403_everywhere(client, county, personas, persona):
    report, _created = services.request_report(personas["plan_office"], YEAR)
    services.run_report(report.pk)
    client.force_login(personas[persona])
    for name in ("report_detail", "report_status", "report_download"):
        assert client.get(reverse(f"indicators:{name}", args=[report.pk])).status_code == 403
    assert client.get(reverse("indicators:report_list")).status_code == 403
    assert client.post(reverse("indicators:report_request"), {"year": YEAR}).status_code == 403


def test_an_unfinished_report_has_no_download(client, county, personas):
    report, _created = services.request_report(personas["plan_office"], YEAR)
    client.force_login(personas["plan_office"])
    assert client.get(reverse("indicators:report_download", args=[report.pk])).status_code == 404
