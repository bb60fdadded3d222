"""What the organisation department pulls from a run's frozen rows: XLSX (ranking + every line), CSV, charts."""

from outputs import charts
from outputs.csv import csv_response
from outputs.xlsx import DECIMAL_FORMAT, PERCENT_FORMAT, add_sheet, new_workbook, workbook_response

from .models import LINE_RANK_ORDER, RANK_ORDER, ScoreLine, UnitScore

RANKING_COLUMNS = [
    ("名次", "rank"),
    ("单位", "unit_name"),
    ("得分", "score"),
    ("扣分合计", "deductions"),
    ("加分合计", "bonuses"),
    ("按时完成率", "on_time_rate"),
    ("参评任务数", "items_due"),
    ("其中牵头", "lead_items_due"),
    ("按时完成", "done_on_time"),
    ("逾期完成", "done_late"),
    ("逾期未完成", "still_overdue"),
    ("累计逾期天数", "overdue_days"),
    ("退回整改次数", "reworks"),
    ("被催办次数", "urgings"),
    ("被通报批评次数", "criticisms"),
    ("通报表扬次数", "praises"),
]
RANKING_FORMATS = {"得分": DECIMAL_FORMAT, "扣分合计": DECIMAL_FORMAT, "加分合计": DECIMAL_FORMAT}
RANKING_FORMATS["按时完成率"] = PERCENT_FORMAT

LINE_COLUMNS = [
    ("单位", "score__unit_name"),
    ("名次", "score__rank"),
    ("类别", "kind"),
    ("任务编号", "item_id"),
    ("任务", "item_title"),
    ("角色", "role"),
    ("通报", "circular_title"),
    ("数量", "quantity"),
    ("分值", "points"),
    ("说明", "explanation"),
]
ROLE_NAMES = {"lead": "牵头", "cooperating": "配合", "": ""}


def ranking_rows(run):
    fields = [field for _header, field in RANKING_COLUMNS]
    return UnitScore.objects.filter(run=run).order_by(RANK_ORDER, "unit_name").values_list(*fields)


def line_rows(run):
    kinds = dict(ScoreLine.Kind.choices)
    fields = [field for _header, field in LINE_COLUMNS]
    lines = ScoreLine.objects.filter(score__run=run).order_by(LINE_RANK_ORDER, "score__unit_name", "points", "pk")
    for row in lines.values_list(*fields):
        row = list(row)
        row[2], row[5] = str(kinds[row[2]]), ROLE_NAMES.get(row[5], row[5])
        yield row


def file_stem(run):
    return f"{run.year}年度考核结果（{run.get_status_display()}，截至{run.as_of:%Y-%m-%d}）"


def xlsx_response(run):
    workbook = new_workbook()
    add_sheet(workbook, "排名", [header for header, _field in RANKING_COLUMNS], ranking_rows(run), RANKING_FORMATS)
    lines = [header for header, _field in LINE_COLUMNS]
    add_sheet(workbook, "扣分加分明细", lines, line_rows(run), {"分值": DECIMAL_FORMAT})
    return workbook_response(workbook, f"{file_stem(run)}.xlsx", fallback=f"assessment-{run.year}-{run.pk}.xlsx")


def csv_ranking_response(run):
    headers = [header for header, _field in RANKING_COLUMNS]
    return csv_response(f"{file_stem(run)}.csv", headers, ranking_rows(run), fallback=f"assessment-{run.year}.csv")


def csv_lines_response(run):
    headers = [header for header, _field in LINE_COLUMNS]
    return csv_response(
        f"{file_stem(run)}明细.csv", headers, line_rows(run), fallback=f"assessment-{run.year}-lines.csv"
    )


def on_time_chart(run, fmt):
    rows = UnitScore.objects.filter(run=run, items_due__gt=0).order_by("-on_time_rate", "unit_name")
    rows = list(rows.values_list("unit_name", "on_time_rate"))
    return charts.bar_chart(
        [name for name, _rate in rows],
        [rate for _name, rate in rows],
        title=f"{run.year}年度各单位按时完成率",
        value_label="按时完成率",
        percent=True,
        fmt=fmt,
    )


def score_chart(run, fmt):
    scores = list(UnitScore.objects.filter(run=run).values_list("score", flat=True))
    low = min([int(score) // 5 * 5 for score in scores] + [60])
    high = max([int(score) // 5 * 5 + 5 for score in scores] + [100])
    return charts.histogram(
        scores,
        title=f"{run.year}年度考核得分分布",
        value_label="得分",
        count_label="单位数",
        bins=range(low, high + 1, 5),
        fmt=fmt,
    )


def overdue_trend_chart(run, fmt):
    months = run.monthly_overdue
    return charts.line_chart(
        [f"{int(month['month'][5:])}月" for month in months],
        {"月末逾期未完成的任务": [month["overdue"] for month in months]},
        title=f"{run.year}年各月末逾期任务数",
        value_label="任务数",
        fmt=fmt,
    )


CHARTS = {"on-time": on_time_chart, "scores": score_chart, "overdue-trend": overdue_trend_chart}
