"""The self-evaluation report as a list of sections, written in order into one DOCX.

Each ``Section`` is a title and a builder ``build(document, context)`` that writes the section's body;
``write_report`` writes the numbered heading (一、二、…) before calling it, so adding or removing a section
renumbers the rest. The registry is ``SECTIONS``: a section is in the report when it is in that list.

县级指标 and 问题清单与整改台账 (plan_sections.py) read ``indicators.reads.county.county_rows`` and
``indicators.reads.ledger.ledger_rows``.
"""

from collections.abc import Callable
from dataclasses import dataclass

from ..models.work import report_title
from .chart_sections import charts
from .completion import duty_completion
from .context import ReportContext, load_context
from .document import new_document, numbered_heading, paragraph, to_bytes
from .plan_sections import county_indicators, rectification_ledger
from .school_sections import coefficient_table, indicator_tables, summary


@dataclass(frozen=True)
class Section:
    title: str
    build: Callable  # (docx Document, ReportContext) -> None


SECTIONS = [
    Section("总体情况", summary),
    Section("学校资源配置指标", indicator_tables),
    Section("校际差异系数", coefficient_table),
    Section("县级指标", county_indicators),
    Section("图表", charts),
    Section("职责任务完成情况", duty_completion),
    Section("问题清单与整改台账", rectification_ledger),
]

LOADING, SAVING = 5, 95  # progress (%) when the data is read and when the file is being saved


def write_report(year, *, sections=None, on_step=None):
    """The DOCX bytes of ``year``'s report. ``on_step(percent, label)`` is called before each step.

    ``ReportError`` when the year has no figures; ``CatalogueIncomplete`` when thresholds are missing.
    """
    sections = SECTIONS if sections is None else sections
    on_step = on_step or (lambda percent, label: None)
    on_step(LOADING, "读取学校数据，计算指标")
    context = load_context(year)
    document = new_document(report_title(year))
    paragraph(
        document,
        f"本报告由任务督办平台根据{year}年度学校办学条件数据和职责任务办理记录生成"
        f"（{context.as_of.year}年{context.as_of.month}月{context.as_of.day}日），可在此基础上修改完善后报送。",
        indent=False,
    )
    if context.reporting and context.reporting.provisional:
        paragraph(document, f"注意：{context.reporting.text}", indent=False)
    for index, section in enumerate(sections):
        on_step(LOADING + (SAVING - LOADING) * index // len(sections), f"正在生成：{section.title}")
        numbered_heading(document, index, section.title)
        section.build(document, context)
    on_step(SAVING, "保存文件")
    return to_bytes(document)


__all__ = ["SECTIONS", "ReportContext", "Section", "write_report"]
