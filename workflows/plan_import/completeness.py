"""Whether a plan's text is the whole document, so that a copy cut short does not pass for the plan.

An issued document ends with its 版记 after the annexes: the 抄送 line and the 印发 line (“奉节县人民政府办公室
2021年12月2日印发”). A text with no 印发 line after Annex 2 was cut; so, most likely, was one in which a member
unit of Annex 1 has no paragraph in Annex 2 — the shipped plan gives every member unit its duties.
"""

import re
from dataclasses import dataclass, field

from .parser import ANNEX, split_lines
from .types import ParsedPlan

ISSUED_LINE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*印发$")


@dataclass(frozen=True)
class Completeness:
    ends_as_issued: bool  # a 印发 line follows Annex 2
    units_without_duties: tuple[str, ...]  # Annex 1 member units that lead no Annex 2 paragraph
    # the issuer the message's example of a 印发 line names: this document's own (not the shipped plan's)
    issued_by: str = field(default="", compare=False)

    @property
    def complete(self):
        return self.ends_as_issued and not self.units_without_duties

    def problems(self):
        """What is missing, in Chinese, one sentence each."""
        problems = []
        if not self.ends_as_issued:
            example = f"“{self.issued_by or '××县人民政府办公室'} 2021年12月2日印发”"
            problems.append(f"文件没有以版记结尾：附件2之后找不到形如{example}的印发行，文件可能在附件2中被截断")
        if self.units_without_duties:
            names = "、".join(self.units_without_duties)
            problems.append(f"附件1所列成员单位中有 {len(self.units_without_duties)} 个在附件2中没有任务分工：{names}")
        return problems


def check_completeness(parsed: ParsedPlan) -> Completeness:
    lines = split_lines(parsed.source_text)
    annex2 = next(n for n, line in enumerate(lines) if (m := ANNEX.match(line)) and int(m[1]) == 2)  # as the parser
    leads = {duty.lead_unit_name for duty in parsed.duties}
    return Completeness(
        ends_as_issued=any(ISSUED_LINE.search(line) for line in lines[annex2 + 1 :]),
        units_without_duties=tuple(unit.name for unit in parsed.units if unit.name not in leads),
        issued_by=parsed.issuer,
    )
