"""The progress page's charts (``outputs.charts``, drawn on the server): from the same rows as its table, each year
a point or a group of bars, a year with nothing recorded a gap or a bar marked "—"."""

from outputs.charts import grouped_bar_chart, line_chart

COMPLETION, SCORES, SCHOOLS, COEFFICIENTS = "completion", "scores", "schools", "coefficients"
CHART_NAMES = (COMPLETION, SCORES, SCHOOLS, COEFFICIENTS)


def _years(rows):
    return [f"{row.year}年" for row in rows]


def _per_stage(rows, value):
    series = {}
    for row in rows:
        for cell in row.standards:
            series.setdefault(cell.label, []).append(None if cell.value is None else value(cell.value))
    return series


def completion_chart(rows, fmt):
    series = {
        "按时完成": [row.on_time for row in rows],
        "逾期完成": [row.done_late for row in rows],
        "逾期未完成": [row.overdue for row in rows],
    }
    return grouped_bar_chart(_years(rows), series, title="各年度到期任务的完成情况", value_label="任务数", fmt=fmt)


def scores_chart(rows, fmt):
    series = {"考核平均分": [row.average_score for row in rows]}
    return line_chart(_years(rows), series, title="年度考核平均分（已发布）", value_label="得分", fmt=fmt)


def schools_chart(rows, fmt):
    def percent(standard):
        share = standard.passing_share
        return None if share is None else round(share * 100, 1)

    series = _per_stage(rows, percent)
    title = "资源配置达标的学校比例"
    return line_chart(_years(rows), series, title=title, value_label="达标比例（%）", fmt=fmt)


def coefficients_chart(rows, fmt):
    series = _per_stage(rows, lambda standard: standard.coefficient_mean)
    title = "校际差异系数（7项指标的平均）"
    return line_chart(_years(rows), series, title=title, value_label="差异系数", fmt=fmt)


DRAW = {COMPLETION: completion_chart, SCORES: scores_chart, SCHOOLS: schools_chart, COEFFICIENTS: coefficients_chart}


def draw(name, rows, fmt):
    return DRAW[name](rows, fmt)
