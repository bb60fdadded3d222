"""Two sections of the self-evaluation report: the county-level indicators, and the problem list with its ledger."""

from docx.shared import Cm

from ..reads.county import county_rows
from ..reads.ledger import ledger_rows
from .document import chinese_date, note, paragraph, table

VERDICTS = {True: "达到", False: "未达到", None: "—"}


def county_indicators(document, context):
    """Each county-level indicator of the catalogue: its value, the standard, whether it is met, and who answers."""
    rows = county_rows(context.year)
    if not rows:
        paragraph(document, "指标目录中没有县级指标。")
        return
    met = sum(1 for row in rows if row.passed)
    missing = sum(1 for row in rows if row.value is None)
    paragraph(
        document,
        f"县级指标共{len(rows)}项，达到标准{met}项"
        + (f"，尚未填报或无法计算{missing}项" if missing else "")
        + "。由学校年度数据可以计算的指标按全县合计计算，其余由负责单位填报"
        + ("；学校数据尚未全部报送，计算所得指标的结论为暂定。" if context.mark else "。"),
    )
    body = [
        [row.name, row.value_label, row.threshold_label,
         VERDICTS[row.passed] + (context.mark if row.computed and row.passed is not None else ""),
         row.responsible_unit, "计算" if row.computed else "填报"]
        for row in rows
    ]  # fmt: skip
    headers = ["指标", f"{context.year}年", "标准", "是否达到", "负责单位", "来源"]
    table(document, headers, body, widths=[Cm(5.4), Cm(2.2), Cm(3.2), Cm(1.8), Cm(2.6), Cm(1.4)])
    note(document, "注：标准见《实施方案》相应条款；“两个只增不减”与上一年度比较。")


def rectification_ledger(document, context):
    """The year's problem list turned into rectification items, and where each stands."""
    rows = ledger_rows(context.year)
    if not rows:
        paragraph(document, f"{context.year}年度尚未生成整改任务。")
        return
    closed = sum(1 for row in rows if row.closed_on)
    paragraph(
        document,
        f"根据{context.year}年度学校办学条件未达标情况，生成整改任务{len(rows)}项，"
        f"已办结{closed}项，正在整改{len(rows) - closed}项。",
    )
    body = [
        [row.school, row.what, row.owner, chinese_date(row.deadline), row.stage_label,
         chinese_date(row.closed_on) if row.closed_on else "—"]
        for row in rows
    ]  # fmt: skip
    headers = ["学校", "问题", "承办单位", "整改期限", "状态", "办结日期"]
    table(document, headers, body, widths=[Cm(2.8), Cm(5.8), Cm(2.2), Cm(2.6), Cm(1.6), Cm(2.6)])
