"""The dashboard's charts (outputs.charts, Chinese labels): coefficients over the years, each indicator by school."""

from outputs.charts import bar_chart, line_chart

from ..computation.catalogue import INDICATOR_BY_CODE, RESOURCE_CODES
from ..models import CoefficientValue, IndicatorValue, Stage

CV_TREND = "cv-trend"
CHART_NAMES = (CV_TREND, *RESOURCE_CODES)
# Legend names short enough for 7 lines in one row; the table above the charts has the full names.
SHORT = ("高学历教师", "骨干教师", "体艺教师", "用房", "场馆", "仪器", "多媒体")
SHORT_NAMES = dict(zip(RESOURCE_CODES, SHORT, strict=True))


def cv_trend_chart(stage, fmt):
    """One line per indicator: its difference coefficient in every stored year, with the stage's threshold."""
    values = list(CoefficientValue.objects.filter(stage=stage).order_by("year"))
    years = sorted({value.year for value in values})
    by_key = {(value.year, value.code): value.coefficient for value in values}
    series = {
        SHORT_NAMES[code]: [by_key.get((year, code)) for year in years]
        for code in RESOURCE_CODES
        if any((year, code) in by_key for year in years)
    }
    threshold = values[0].threshold if values else None
    return line_chart(
        [f"{year}年" for year in years],
        series,
        title=f"{Stage(stage).label}各指标校际差异系数",
        value_label="差异系数",
        threshold=threshold,
        threshold_label=f"标准 ≤ {threshold.normalize():f}" if threshold is not None else None,
        fmt=fmt,
    )


def distribution_chart(year, stage, code, township, fmt):
    """The indicator's value at every school of the stage (lowest first), with the threshold line."""
    values = IndicatorValue.objects.filter(year=year, code=code, part__stage=stage)
    if township is not None:
        values = values.filter(part__school__township=township)
    rows = sorted(values.values_list("part__school__unit__name", "value", "threshold"), key=lambda row: row[1])
    indicator = INDICATOR_BY_CODE[code]
    threshold = rows[0][2] if rows else None
    return bar_chart(
        [name for name, _value, _threshold in rows],
        [value for _name, value, _threshold in rows],
        title=f"{year}年{Stage(stage).label}{indicator.name}",
        value_label=indicator.unit,
        threshold=threshold,
        fmt=fmt,
    )


def draw(name, *, year, stage, township, fmt):
    if name == CV_TREND:
        return cv_trend_chart(stage, fmt)
    return distribution_chart(year, stage, name, township, fmt)
