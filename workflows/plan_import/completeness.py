"""Whether a plan's text is the whole document, so that a copy cut short does not pass for the plan.

An issued document ends with its 版记 after the annexes: the 抄送 line and the 印发 line (“奉节县人民政府办公室
2021年12月2日印发”). A text with no 印发 line after Annex 2 was cut; so, most likely, was one in which a member
unit of Annex 1 leads no duty — the shipped plan gives every member unit its duties. (A plan whose duties are
tags in the body ends the same way; its last duty is where the 印发 line is looked for after.)
"""

import re
from dataclasses import dataclass, field

from .parser import ANNEX, split_lines
from .types import ParsedPlan

ISSUED_LINE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*印发$")


@dataclass(frozen=True)
class Completeness:
    ends_as_issued: bool  # a 印发 line follows the duties (Annex 2, or the last tagged task)
    units_without_duties: tuple[str, ...]  # Annex 1 member units that lead no duty (tag forms: named in none)
    duties_in: str = "附件2"  # where the duties are: 附件2, or 正文 (tags after the tasks)
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
            problems.append(
                f"文件没有以版记结尾：{self.duties_in}之后找不到形如{example}的印发行，文件可能在{self.duties_in}中被截断"
            )
        if self.units_without_duties:
            names, count = "、".join(self.units_without_duties), len(self.units_without_duties)
            problems.append(f"附件1所列成员单位中有 {count} 个在{self.duties_in}中没有任务分工：{names}")
        return problems


def check_completeness(parsed: ParsedPlan) -> Completeness:
    lines = split_lines(parsed.source_text)
    annex2 = next((n for n, line in enumerate(lines) if (m := ANNEX.match(line)) and m[1] in "2２"), None)
    last_duty = max((duty.line for duty in parsed.duties), default=len(lines))
    after = annex2 + 1 if annex2 is not None else last_duty
    leads = {duty.lead_unit_name for duty in parsed.duties}
    if annex2 is None:  # tags name a unit as lead or partner; one that only cooperates has its duties
        leads |= {name for duty in parsed.duties for name in duty.cooperating_unit_names}
    return Completeness(
        ends_as_issued=any(ISSUED_LINE.search(line) for line in lines[after:]),
        units_without_duties=tuple(unit.name for unit in parsed.units if unit.name not in leads),
        duties_in="附件2" if annex2 is not None else "正文",
        issued_by=parsed.issuer,
    )
