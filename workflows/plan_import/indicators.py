"""The numeric targets of sections 二 and 三, read by the sentence patterns of the genre.

A paragraph is split into sentences (at 。), a sentence into clauses (at ；) and a
clause into segments (at ，). A *target* is a comparator and its values
(``分别达到4.2人以上、5.3人以上``, ``不低于…总数的10%``) or a value with 以上/以下
(``1间以上``). The indicator is the national term whose keywords the segment
contains; a segment that only names stages (``小学均小于或等于0.50``) continues the
indicator named earlier in its clause, and takes the stages its clause named last
when it names none. 分别 pairs the values with the stages (or the areas, such as
城区、乡镇) listed before it; a single value applies to every stage listed. A county-level
term pairs its values with the stages too, when there are as many stages as values
(``城区和乡镇公办小学、初中……分别达到100%、95%以上``: 小学 100%, 初中 95%, the areas joined
by 和 applying to both); with one value it stays county-wide.

A funding rule (``不足100名学生的小学和教学点按100名学生核定公用经费``) is not a target:
``extract_rules`` reads it (vocabulary.RULE_PATTERNS) and no indicator is made of it.

Each value's comparison comes from its own 以上/以下, else from the comparator
word, else (a plain 达到) it is ``eq``. A target no national term describes is kept,
with the code ``section-<n>-<k>``.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from .types import ParsedIndicator, ParsedRule
from .vocabulary import (
    COMPARATOR_OF_WORD,
    COMPARISON_OF_SUFFIX,
    COUNTY,
    COUNTY_LEVEL,
    INDICATOR_PATTERNS,
    INDICATOR_TERMS,
    MEASURE_UNITS,
    ROMAN_NUMERALS,
    RULE_PATTERNS,
    SCHOOL_LEVEL,
    SCOPE_WORDS,
    STAGE_OF_WORD,
    STAGE_WORDS,
    UNIT_SPELLING,
    split_outside_brackets,
)

_VALUE = rf"(?:\d+(?:\.\d+)?|[ⅠⅡⅢⅣⅤ])\s*(?:{MEASURE_UNITS})?\s*(?:及?以上|以下|以内)?"
_COMPARATORS = "|".join(sorted(COMPARATOR_OF_WORD, key=len, reverse=True))
TARGET = re.compile(
    rf"(?P<dist>分别|均|都)?(?P<cmp>{_COMPARATORS})(?P<ref>[^，,；;。\d、]{{1,40}}?的)?(?P<values>{_VALUE}(?:、{_VALUE})*)"
)
_SUFFIXED_VALUE = rf"(?<![\d.])(?:\d+(?:\.\d+)?|[ⅠⅡⅢⅣⅤ])\s*(?:{MEASURE_UNITS})?\s*(?:及?以上|以下|以内)"
SUFFIXED_TARGET = re.compile(rf"(?P<dist>分别|均|都)?(?P<values>{_SUFFIXED_VALUE}(?:、{_SUFFIXED_VALUE})*)")
VALUE_PARTS = re.compile(
    rf"(?P<num>\d+(?:\.\d+)?|[ⅠⅡⅢⅣⅤ])\s*(?P<unit>{MEASURE_UNITS})?\s*(?P<suffix>及?以上|以下|以内)?"
)
# What may stand before a target besides stage words when the segment continues an earlier indicator.
BARE_SUBJECT = re.compile(r"^(?:且|并|同时|其中|所有|全部|、|和|及|分别|均|都|\s)*$")
CHINESE_DIGITS = "一二三四五六七八九"


@dataclass(frozen=True)
class Value:
    number: Decimal
    unit: str
    comparison: str


@dataclass(frozen=True)
class Target:
    start: int
    values: tuple[Value, ...]


@dataclass(frozen=True)
class Found:
    """One indicator row before it is numbered."""

    code: str
    name: str
    stage: str
    scope: str
    value: Value
    level: str


def section_number(numeral):
    """一 → 1, 十二 → 12 (section numerals of a plan)."""
    if "十" not in numeral:
        return CHINESE_DIGITS.index(numeral) + 1
    tens, _, units = numeral.partition("十")
    return (CHINESE_DIGITS.index(tens) + 1 if tens else 1) * 10 + (CHINESE_DIGITS.index(units) + 1 if units else 0)


def extract_indicators(paragraphs):
    """``paragraphs``: (line, section numeral, section label, text) → tuple of ParsedIndicator."""
    rows, unknown_counts = [], {}
    for line, numeral, label, text in paragraphs:
        for sentence in _pieces(text, "。"):
            clauses = _pieces(sentence, "；;")
            for clause in clauses:
                source = clause if len(clauses) > 1 else sentence
                for found in _clause_indicators(clause, numeral, unknown_counts):
                    rows.append((found, label, source, line))
    return tuple(
        ParsedIndicator(
            order=order,
            code=found.code,
            name=found.name[:100],
            stage=found.stage,
            scope=found.scope[:50],
            comparison=found.value.comparison,
            threshold=found.value.number,
            unit_of_measure=found.value.unit,
            level=found.level,
            section=label,
            source_sentence=source,
            line=line,
        )
        for order, (found, label, source, line) in enumerate(rows, start=1)
    )


def _pieces(text, separators):
    return [piece for piece, _ in split_outside_brackets(text, separators) if piece.strip()]


def _clause_indicators(clause, numeral, unknown_counts):
    carried_terms, carried_stages = (), ()
    for segment in _pieces(clause, "，,"):
        if any(pattern.regex.search(segment) for pattern in RULE_PATTERNS):
            continue  # a funding rule, not a target: extract_rules reads it
        special = list(_pattern_indicators(segment))
        if special:
            yield from special
            continue
        targets = find_targets(segment)
        subject = segment[: targets[0].start] if targets else segment
        terms, own_stages = matching_terms(segment), stages_named(subject)
        continues = bool(BARE_SUBJECT.match(STAGE_WORDS.sub("", subject)))
        if not terms and targets and continues:
            terms = carried_terms
        carried_terms = terms or carried_terms
        stages = carried_stages = own_stages or carried_stages
        for target in targets:
            if not terms:
                unknown_stages = stages if continues else own_stages
                yield from _unknown_indicator(segment, target, unknown_stages, numeral, unknown_counts)
            for term in terms:
                yield from _term_indicators(term, target, stages, scopes_named(subject))


def _pattern_indicators(segment):
    for pattern in INDICATOR_PATTERNS:
        match = pattern.regex.search(segment)
        if not match:
            continue
        groups = match.groupdict()
        threshold = pattern.threshold if pattern.threshold is not None else Decimal(groups["value"])
        scope = groups.get("scope") or ""
        stages = (pattern.stage,) if pattern.stage else stages_named(scope) or (COUNTY,)
        for stage in stages:
            value = Value(threshold, pattern.unit, pattern.comparison)
            yield Found(pattern.code, pattern.name, stage, scope, value, pattern.level)


def find_targets(segment):
    """The targets of a segment, in order: comparator-led ones, then values carrying 以上/以下."""
    targets, taken = [], []
    for match in TARGET.finditer(segment):
        default = COMPARATOR_OF_WORD[match["cmp"]]
        targets.append(Target(match.start(), parse_values(match["values"], default)))
        taken.append(match.span())
    for match in SUFFIXED_TARGET.finditer(segment):
        if any(start <= match.start() < end for start, end in taken):
            continue
        targets.append(Target(match.start(), parse_values(match["values"], None)))
    return sorted(targets, key=lambda target: target.start)


def parse_values(text, default_comparison):
    """``4.2人以上、5.3人以上`` → Values; a value without a unit takes the next one's (``45、50人``)."""
    parts = list(VALUE_PARTS.finditer(text))
    values, unit = [], ""
    for part in reversed(parts):
        unit = UNIT_SPELLING.get(part["unit"], part["unit"]) if part["unit"] else unit
        number = part["num"]
        number = Decimal(ROMAN_NUMERALS[number]) if number in ROMAN_NUMERALS else Decimal(number)
        comparison = COMPARISON_OF_SUFFIX.get(part["suffix"] or "", default_comparison)
        values.append(Value(number, unit, comparison))
    return tuple(reversed(values))


def matching_terms(segment):
    """National terms whose keywords all occur in the segment, in the order the segment names them."""
    found = []
    for term in INDICATOR_TERMS:
        matches = [re.search(pattern, segment) for pattern in term.required]
        if all(matches) and not (term.excluded and re.search(term.excluded, segment)):
            found.append((min(match.start() for match in matches), term))
    return tuple(term for _, term in sorted(found, key=lambda pair: pair[0]))


def stages_named(text):
    stages = []
    for word in STAGE_WORDS.findall(text):
        stages.extend(stage for stage in STAGE_OF_WORD[word] if stage not in stages)
    return tuple(stages)


def scopes_named(text):
    return tuple(dict.fromkeys(SCOPE_WORDS.findall(text)))


def _term_indicators(term, target, stages, scopes):
    text_stages = () if term.stage else stages
    if term.stage == COUNTY and len(target.values) > 1 and len(stages) == len(target.values):
        text_stages = stages  # 分别 over a stage list: one county-level row per stage
    for stage, scope, value in distribute(target.values, text_stages, scopes, term.stage or COUNTY):
        value = value if value.unit or not term.unit else Value(value.number, term.unit, value.comparison)
        yield Found(term.code, term.name, stage, scope, value, term.level)


def distribute(values, stages, scopes, default_stage):
    """Pair values with the stages (or areas) before them: → [(stage, scope, value)]."""
    if len(values) > 1 and len(stages) == len(values):
        return list(zip(stages, [""] * len(values), values))
    if len(values) > 1 and len(scopes) == len(values):
        stage = stages[0] if len(stages) == 1 else default_stage
        return [(stage, scope, value) for scope, value in zip(scopes, values)]
    if len(values) > 1:
        return [(default_stage, f"第{index}项", value) for index, value in enumerate(values, start=1)]
    rows = []
    for stage in stages or (default_stage,):
        rows.extend((stage, scope, values[0]) for scope in scopes or ("",))
    return rows


def _unknown_indicator(segment, target, stages, numeral, unknown_counts):
    number = section_number(numeral)
    unknown_counts[number] = unknown_counts.get(number, 0) + 1
    code = f"section-{number}-{unknown_counts[number]}"
    name = segment[: target.start].strip() or segment.strip()
    level = SCHOOL_LEVEL if stages else COUNTY_LEVEL
    for stage, scope, value in distribute(target.values, stages, scopes_named(name), COUNTY):
        yield Found(code, name, stage, scope, value, level)


SECTION_HEADING = re.compile(r"^\s*([一二三四五六七八九十]+)、")
SUBSECTION_HEADING = re.compile(r"^\s*（([一二三四五六七八九十]+)）")
ANNEX_HEADING = re.compile(r"^\s*附件\s*\d")


def extract_rules(text):
    """The funding rules of a plan's body (before its annexes), from its text: a tuple of ``ParsedRule``.

    Read from the document's text rather than the parser's paragraphs so the plan import can record them
    beside the catalogue; the section label is the last 一、 and （二） heading above the sentence.
    """
    rules, section, subsection = [], "", ""
    for line, content in enumerate(text.splitlines(), start=1):
        if ANNEX_HEADING.match(content):
            break
        if heading := SECTION_HEADING.match(content):
            section, subsection = heading[1], ""
        if heading := SUBSECTION_HEADING.match(content):
            subsection = heading[1]
        for sentence in _pieces(content, "。"):
            for clause in _pieces(sentence, "；;，,"):
                for pattern in RULE_PATTERNS:
                    match = pattern.regex.search(clause)
                    if match is None or any(rule.code == pattern.code for rule in rules):
                        continue
                    applies_to = match["scope"].strip()
                    rules.append(
                        ParsedRule(
                            code=pattern.code,
                            name=pattern.name.format(students=match["value"]),
                            students=int(match["value"]),
                            applies_to=applies_to,
                            stages=stages_named(applies_to),
                            section=f"{section}（{subsection}）" if subsection else section,
                            source_sentence=clause.strip(),
                            line=line,
                        )
                    )
    return tuple(rules)
