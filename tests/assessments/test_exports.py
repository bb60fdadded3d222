"""What the department pulls: the XLSX read back with openpyxl, the CSV opened with pandas, the charts."""

import io
import warnings
from decimal import Decimal

import pandas as pd
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments.exports import LINE_COLUMNS, RANKING_COLUMNS
from assessments.services import start_run

from .conftest import AS_OF, YEAR


@pytest.fixture
def run(assessment_year, personas):
    return start_run(personas["assessment_reader"], YEAR, AS_OF)


@pytest.fixture
def manager_client(client, personas):
    client.force_login(personas["assessment_reader"])
    return client


def test_the_workbook_has_a_ranking_and_every_line_with_real_numbers(manager_client, run):
    response = manager_client.get(reverse("assessments:export_xlsx", args=[run.pk]))
    assert response.status_code == 200
    assert "filename*=UTF-8''2025" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["排名", "扣分加分明细"]

    ranking = workbook["排名"]
    assert [cell.value for cell in ranking[1]] == [header for header, _field in RANKING_COLUMNS]
    assert ranking.freeze_panes == "A2"
    assert all(cell.font.bold for cell in ranking[1])
    first = [cell.value for cell in ranking[2]]
    assert first[:3] == [1, "县人力社保局", 99.97]
    assert isinstance(ranking["C2"].value, float)
    assert ranking["C2"].number_format == "0.00"
    assert ranking["F2"].value == pytest.approx(0.8571)
    assert ranking["F2"].number_format == "0.0%"
    assert [ranking.cell(row=row, column=2).value for row in range(2, 7)] == [
        "县人力社保局",
        "县城管局",
        "县教委",
        "县生态环境局",
        "县财政局",
    ]
    assert ranking.max_row == 6
    assert ranking.column_dimensions["B"].width >= len("县人力社保局") * 2  # Chinese counts double

    lines = workbook["扣分加分明细"]
    assert [cell.value for cell in lines[1]] == [header for header, _field in LINE_COLUMNS]
    assert lines.freeze_panes == "A2"
    rows = [[cell.value for cell in row] for row in lines.iter_rows(min_row=2)]
    assert len(rows) == 3 + 10 + 8 + 8 + 5
    # every line together: the five units' scores minus their base scores, −24.31 −31.50 −0.03 −28.60 −7.86
    assert sum(Decimal(str(row[8])) for row in rows) == Decimal("-92.30")
    overdue = next(row for row in rows if row[4] == "事项21" and row[2] == "逾期天数" and row[0] == "县生态环境局")
    assert overdue[1:] == [
        4,
        "逾期天数",
        overdue[3],
        "事项21",
        "牵头",
        None,  # no circular: an empty cell
        275,
        -5,
        "「事项21」逾期275天×0.2分，封顶5分（牵头，权重1）",
    ]
    assert isinstance(overdue[3], int)


def test_the_csv_opens_in_excel_and_in_pandas(manager_client, run):
    response = manager_client.get(reverse("assessments:export_csv", args=[run.pk]))
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    frame = pd.read_csv(io.BytesIO(response.content), encoding="utf-8-sig")
    assert list(frame.columns) == [header for header, _field in RANKING_COLUMNS]
    assert frame["单位"].tolist()[:2] == ["县人力社保局", "县城管局"]
    assert frame["得分"].tolist() == [99.97, 92.14, 75.69, 71.4, 68.5]
    assert frame["名次"].dtype.kind == "i"

    response = manager_client.get(reverse("assessments:export_csv", args=[run.pk]), {"sheet": "lines"})
    lines = pd.read_csv(io.BytesIO(response.content), encoding="utf-8-sig", keep_default_na=False)
    assert list(lines.columns) == [header for header, _field in LINE_COLUMNS]
    assert len(lines) == 34
    assert set(lines["类别"]) == {"未按时完成", "逾期天数", "退回整改", "催办", "被通报", "通报表扬"}


@pytest.mark.parametrize("name", ["on-time", "scores", "overdue-trend"])
def test_the_charts_render_chinese_without_missing_glyphs(manager_client, run, name):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font(s)" for a box
        svg = manager_client.get(reverse("assessments:chart", args=[run.pk, name, "svg"]))
        png = manager_client.get(reverse("assessments:chart", args=[run.pk, name, "png"]))
    assert svg.status_code == 200
    assert svg["Content-Type"] == "image/svg+xml"
    assert svg.content.lstrip().startswith(b"<?xml")
    assert b"<path" in svg.content
    assert png.status_code == 200
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert "attachment" in png["Content-Disposition"]


def test_an_unknown_chart_is_not_found(manager_client, run):
    assert manager_client.get(reverse("assessments:chart", args=[run.pk, "pie", "svg"])).status_code == 404
    assert manager_client.get(reverse("assessments:chart", args=[run.pk, "scores", "gif"])).status_code == 404


def test_the_exports_query_count_does_not_grow_with_units(manager_client, run, count_queries):
    from assessments.models import UnitScore
    from departments.models import Unit

    urls = [
        reverse("assessments:export_xlsx", args=[run.pk]),
        reverse("assessments:export_csv", args=[run.pk]) + "?sheet=lines",
    ]
    few = [count_queries(lambda url=url: manager_client.get(url)) for url in urls]
    score = UnitScore.objects.filter(run=run).prefetch_related("lines").get(unit_name="县财政局")
    lines = list(score.lines.all())
    for unit in Unit.objects.exclude(pk__in=UnitScore.objects.filter(run=run).values("unit_id"))[:10]:
        score.pk, score.unit, score.unit_name = None, unit, unit.name
        score.save()
        for line in lines:
            line.pk, line.score = None, score
            line.save()
    assert [count_queries(lambda url=url: manager_client.get(url)) for url in urls] == few
