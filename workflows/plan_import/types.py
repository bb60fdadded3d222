"""What the parser produces: plain, immutable values, independent of the database."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


class PlanFormatError(ValueError):
    """The document does not have the expected form. ``line`` is 1-based (0: the file as a whole)."""

    def __init__(self, line, message):
        self.line = line
        self.message = message
        super().__init__(f"第 {line} 行：{message}" if line else message)


@dataclass(frozen=True)
class ParsedUnit:
    name: str  # as Annex 1 lists it, e.g. "各乡镇人民政府（街道办事处）"
    short_name: str  # the form Annex 2 uses where it differs, e.g. "各乡镇（街道）"; else ""
    kind: str  # a departments.Unit.Kind value
    line: int


@dataclass(frozen=True)
class ParsedPhase:
    order: int
    name: str  # "宣传启动"
    starts_on: date
    ends_on: date
    description: str
    line: int


@dataclass(frozen=True)
class ParsedPosition:
    order: int
    position: str  # a LeadershipPosition.Position value
    holder: str
    unit_name: str | None  # a ParsedUnit.name, or None (e.g. 县政府县长)
    line: int


@dataclass(frozen=True)
class ParsedDuty:
    paragraph: int
    clause: int
    lead_unit_name: str  # a ParsedUnit.name
    text: str  # verbatim, without the closing ；/。
    cooperating_unit_names: tuple[str, ...]  # ParsedUnit.name values, never the lead unit
    unresolved_mentions: tuple[str, ...]  # parties that are not units, e.g. ("学校",)
    line: int
    unknown_unit_names: tuple[str, ...] = ()  # names shaped like units that are no member unit, e.g. ("县教肓局",)
    form: str = "annex"  # how the document assigned it: tags.ANNEX_FORM, INLINE_TAG or RANKING_LIST
    place: str = ""  # where it is, as people cite it: 附件2-3.1, 二（一）2

    @property
    def key(self):
        return self.paragraph, self.clause


# How the preview names a stage and a comparison (the catalogue's own choices are indicators.models.Indicator's).
STAGE_LABELS = {"primary": "小学", "junior": "初中", "nine_year": "九年一贯制", "special": "特殊教育", "county": "县级"}
COMPARISON_SIGNS = {"gte": "≥", "lte": "≤", "lt": "<", "eq": "="}


@dataclass(frozen=True)
class ParsedIndicator:
    order: int
    code: str
    name: str
    stage: str  # an Indicator.Stage value
    scope: str
    comparison: str  # an Indicator.Comparison value
    threshold: Decimal
    unit_of_measure: str
    level: str  # an Indicator.Level value
    section: str  # e.g. "二（一）"
    source_sentence: str
    line: int

    def describe(self):
        """One line for the import's preview, e.g. 生师比［小学］ ≤ 19."""
        scope = f"·{self.scope}" if self.scope else ""
        target = f"{COMPARISON_SIGNS[self.comparison]} {self.threshold}{self.unit_of_measure}"
        return f"{self.name}［{STAGE_LABELS[self.stage]}{scope}］ {target}"


@dataclass(frozen=True)
class ParsedRule:
    """A rule of the plan that is not a target, e.g. the funding floor of small schools."""

    code: str
    name: str
    students: int
    applies_to: str  # the plan's words, e.g. 不足100名学生的小学和教学点
    stages: tuple[str, ...]  # the school stages the words name
    section: str  # e.g. 二（二）
    source_sentence: str
    line: int


@dataclass(frozen=True)
class ParsedPlan:
    doc_number: str
    title: str
    issuer: str
    issued_on: date
    supersedes: str
    target_year: int
    source_text: str
    units: tuple[ParsedUnit, ...] = field(default=())
    phases: tuple[ParsedPhase, ...] = field(default=())
    positions: tuple[ParsedPosition, ...] = field(default=())
    duties: tuple[ParsedDuty, ...] = field(default=())
    indicators: tuple[ParsedIndicator, ...] = field(default=())
    rules: tuple["ParsedRule", ...] = field(default=())  # funding rules (不足100名学生…按100名学生核定公用经费)
