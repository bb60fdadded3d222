"""Read a county plan (the form of 奉节府办发〔2021〕100号, and the two other published forms) from its structure.

The document is read by its headings and layout, not from a list of a county's units: the 发文字号 line and the
issuer under it; the numbered sections 一、二、三、…; the phase headings （一）…阶段（2021年9月—2021年12月） of the
steps section; 附件1 (leadership group: 组长 / 副组长 / 成员 with units split by 、, and the 办公室设在… sentence),
which a plan in a tag form may leave out; the duties, in any of three forms (``duties``): 附件2's paragraphs,
each beginning with a member unit's name; a 〔责任单位：…〕 tag after a task of the body; or a ranking list
（县教育局，县财政局，排名第一位为牵头单位，下同） after it. Without 附件1 the member units are the units the tags
name.
"""

import calendar
import re
from datetime import date
from pathlib import Path

from .duties import annex_duties, body_duties, names_in_tags, tagged_lines
from .indicators import extract_indicators, extract_rules
from .parties import GENERIC_WORDS, UnitIndex
from .types import ParsedPhase, ParsedPlan, ParsedPosition, ParsedUnit, PlanFormatError
from .vocabulary import DEPUTY, LEADER, MEMBER, OFFICE, OFFICE_DIRECTOR, split_outside_brackets, unit_kind

DOC_NUMBER = re.compile(r"^[^\s〔\[［（(]+[〔\[［（(]\d{4}[〕\]］）)]\s*\d+\s*号$")
DATE_LINE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
SUPERSEDED = re.compile(r"[（(]([^（）()]*?[〔\[［]\d{4}[〕\]］]\d+号)[）)]\s*(?:同时|即行|自行)?废止")
SECTION = re.compile(r"^([一二三四五六七八九十]+)、\s*(.*)$")
SUBSECTION = re.compile(r"^（([一二三四五六七八九十]+)）")
ANNEX = re.compile(r"^附件\s*([1-9１-９])\s*[:：]?$")
PHASE_HEADING = re.compile(
    r"^（[一二三四五六七八九十]+）\s*(?P<name>[^（(：:。]+?)(?:阶段)?\s*"
    r"(?:[（(](?P<span>[^）)]*)[）)]|[:：](?P<span2>[^。；]*))[。.；]?(?P<after>.*)$"
)
SPAN_SEPARATOR = re.compile(r"\s*(?:—|－|-|–|~|～|至|到)+\s*")
DATE_POINT = re.compile(
    r"^(?:(?P<year>\d{4})年)?(?:(?P<month>\d{1,2})月(?:(?P<day>\d{1,2})日)?|(?P<part>年?[底末初]))?$"
)
ROLE = re.compile(r"^(?P<role>组\s*长|副\s*组\s*长|成\s*员)\s*[:：]\s*(?P<rest>.*)$")
ROLE_POSITION = {"组长": LEADER, "副组长": DEPUTY, "成员": MEMBER}
MEMBER_TAIL = re.compile(r"(?:等(?:\d+个)?(?:单位|部门)?)?(?:的)?(?:主要|分管)?(?:负责人|负责同志|领导)?[。.；;]?$")
OFFICE_AT = re.compile(r"办公室设在([^，,。；;]+)")
OFFICE_HEAD = re.compile(r"办公室主任由([^，,。；;]+?)(?:兼任|担任)")
ANNEX2_END = re.compile(r"^抄送[:：]|印发$|^附件\s*\d")
ANNEX2_TITLE = re.compile(r"分工|任务|职责")
FULL_WIDTH_DIGITS = str.maketrans("１２３４５６７８９", "123456789")
PHASE_EXAMPLE = "“（一）××阶段（2021年9月—2021年12月）”"


def read_plan_file(path, encoding="utf-8"):
    """The text of a plan file; a BOM is dropped. Raises PlanFormatError for empty or undecodable files."""
    data = Path(path).read_bytes()
    codec = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise PlanFormatError(
            line, f"无法按 {encoding} 编码读取本行。请确认文件编码，例如国标编码的文件请加上 --encoding gb18030"
        ) from error
    if not text.strip():
        raise PlanFormatError(0, "文件是空的：应为方案全文（发文字号、正文、附件1、附件2）")
    return text


def parse_plan(text):
    """Read a plan's text into a ParsedPlan (pure, no database)."""
    lines = split_lines(text)
    if not any(lines):
        raise PlanFormatError(0, "文件是空的：应为方案全文（发文字号、正文、附件1、附件2）")
    doc_line, doc_number = _doc_number(lines)
    issuer_line = _next_nonempty(lines, doc_line)
    date_line, issued_on = _issued_on(lines, doc_line)
    annexes = _annex_lines(lines)
    first_annex = min(annexes.values(), default=len(lines) + 1)
    body_end = next((n for n in range(date_line + 1, first_annex) if lines[n - 1].startswith("附件")), first_annex)
    sections = _sections(lines, date_line + 1, body_end)
    units, positions, duties, short_names = _units_and_duties(lines, annexes, date_line + 1, body_end)
    return ParsedPlan(
        doc_number=doc_number,
        title=_title(lines, issuer_line, date_line),
        issuer=lines[issuer_line - 1] if issuer_line else "",
        issued_on=issued_on,
        supersedes=next((m[1] for m in map(SUPERSEDED.search, lines[date_line:body_end]) if m), ""),
        target_year=_target_year(sections, date_line + 1),
        source_text=text,
        units=tuple(ParsedUnit(u.name, short_names.get(u.name, ""), u.kind, u.line) for u in units),
        phases=_phases(sections),
        positions=positions,
        duties=duties,
        indicators=_indicators(sections, body_end),
        rules=extract_rules(text),
    )


def split_lines(text):
    """Lines, stripped (full-width spaces too); line n is ``lines[n - 1]``."""
    lines = re.split(r"\r\n|\r|\n", text.removeprefix("\ufeff"))
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return [line.strip() for line in lines]


def _next_nonempty(lines, after):
    return next((n for n in range(after + 1, len(lines) + 1) if lines[n - 1]), None)


# --- header --------------------------------------------------------------------------------------


def _doc_number(lines):
    candidates = [n for n in range(1, len(lines) + 1) if lines[n - 1]][:5]
    for n in candidates:
        if DOC_NUMBER.match(lines[n - 1]):
            return n, lines[n - 1]
    first = candidates[0]
    expected = "文件开头应有形如“××府办发〔2021〕100号”的一行"
    raise PlanFormatError(first, f"找不到发文字号：{expected}，实际为“{lines[first - 1]}”")


def _issued_on(lines, doc_line):
    for n in range(doc_line + 1, len(lines) + 1):
        match = DATE_LINE.match(lines[n - 1])
        if match:
            return n, date(*map(int, match.groups()))
    raise PlanFormatError(doc_line, "找不到成文日期：通知正文之后应有一行形如“2021年12月1日”的日期")


def _title(lines, issuer_line, date_line):
    notice = "".join(lines[issuer_line:date_line])
    match = re.search(r"《([^》]+)》", notice) or re.search(r"关于印发(.+?)的通知", notice)
    if not match:
        raise PlanFormatError(issuer_line, "找不到方案名称：通知正文应以《方案名称》引用所印发的方案")
    return match[1]


def _annex_lines(lines):
    """{annex number: its heading line}, the first heading of each number."""
    found = {}
    for n, line in enumerate(lines, start=1):
        match = ANNEX.match(line)
        if match:
            found.setdefault(int(match[1].translate(FULL_WIDTH_DIGITS)), n)
    return found


def _annex_end(lines, annexes, start):
    """The line where the annex beginning at ``start`` ends: the next annex, the 抄送 line, or the end."""
    later = [n for n in annexes.values() if n > start]
    ends = [n for n in range(start + 1, len(lines) + 1) if re.search(r"^抄送[:：]|印发$", lines[n - 1])]
    return min(later + ends, default=len(lines) + 1)


# --- body sections -------------------------------------------------------------------------------


def _sections(lines, start, end):
    """{numeral: (heading line, title, [(line, text)])} for the numbered sections 一、二、… of the body."""
    sections, current = {}, None
    for n in range(start, end):
        match = SECTION.match(lines[n - 1])
        if match:
            current = sections.setdefault(match[1], (n, match[2], []))
        elif current and lines[n - 1]:
            current[2].append((n, lines[n - 1]))
    return sections


def _target_year(sections, body_start):
    heading, _, paragraphs = sections.get("一", (body_start, "", []))
    match = re.search(r"到(\d{4})年", "".join(text for _, text in paragraphs))
    if not match:
        raise PlanFormatError(heading, "找不到目标年份：“一、总体目标”中应有“到20XX年”")
    return int(match[1])


def _phase_section(sections):
    for numeral, (_, title, paragraphs) in sections.items():
        if re.search(r"步骤|阶段|进度|时间安排", title):
            return numeral, title, paragraphs
    _, title, paragraphs = sections.get("三", (0, "", []))
    return "三", title, paragraphs


def _phases(sections):
    numeral, title, paragraphs = _phase_section(sections)
    phases = []
    for line, text in paragraphs:
        if SUBSECTION.match(text):
            name, starts_on, ends_on, after = _phase_heading(line, text)
            phases.append([len(phases) + 1, name, starts_on, ends_on, [after] if after else [], line])
        elif phases:
            phases[-1][4].append(text)
    if paragraphs and not phases:
        raise PlanFormatError(paragraphs[0][0], f"“{numeral}、{title}”中找不到阶段：应有形如{PHASE_EXAMPLE}的标题")
    return tuple(ParsedPhase(o, name, s, e, "\n".join(d), line) for o, name, s, e, d, line in phases)


def _phase_heading(line, text):
    match = PHASE_HEADING.match(text)
    span = match and _date_span(match["span"] if match["span"] is not None else match["span2"])
    if not span:
        raise PlanFormatError(line, f"无法读取阶段的起止时间：阶段标题应形如{PHASE_EXAMPLE}，实际为“{text}”")
    return match["name"].strip(), span[0], span[1], match["after"].strip()


def _date_span(span):
    parts = SPAN_SEPARATOR.split(span.strip())
    if len(parts) != 2:
        return None
    starts_on = _date_point(parts[0], None, end=False)
    ends_on = starts_on and _date_point(parts[1], starts_on.year, end=True)
    return (starts_on, ends_on) if ends_on and ends_on >= starts_on else None


def _date_point(text, default_year, end):
    match = DATE_POINT.match(text)
    if not match or not (match["year"] or default_year) or not (match["year"] or match["month"]):
        return None
    year = int(match["year"] or default_year)
    if match["month"]:
        month = int(match["month"])
        if not 1 <= month <= 12:
            return None
        last_day = calendar.monthrange(year, month)[1]
        day = int(match["day"]) if match["day"] else (last_day if end else 1)
        return date(year, month, day) if 1 <= day <= last_day else None
    if match["part"] and match["part"][-1] == "初":
        return date(year, 1, 1)
    return date(year, 12, 31) if end or match["part"] else date(year, 1, 1)


def _indicators(sections, body_end):
    paragraphs = []
    for numeral in ("二", "三"):
        _, _, lines = sections.get(numeral, (0, "", []))
        label = numeral
        for line, text in lines:
            subsection = SUBSECTION.match(text)
            label = f"{numeral}（{subsection[1]}）" if subsection else label
            paragraphs.append((line, numeral, label, text))
    indicators = extract_indicators(paragraphs)
    if not any(indicator.section.startswith("二") for indicator in indicators):
        heading = sections.get("二", (body_end,))[0]
        example = "“小学、初中分别达到4.2人以上、5.3人以上”"
        raise PlanFormatError(heading, f"“二、”部分找不到量化指标：应有形如{example}的句子")
    return indicators


# --- annex 1: leadership group -------------------------------------------------------------------


def _leadership(lines, annex1, annex2):
    roles = [(n, ROLE.match(lines[n - 1])) for n in range(annex1 + 1, annex2)]
    roles = [(n, m) for n, m in roles if m]
    member_line = next((n for n, m in roles if _role(m) == MEMBER), None)
    if member_line is None:
        raise PlanFormatError(annex1, "附件1中找不到“成员：”一行：应列出成员单位，以“、”分隔")
    units = _member_units(lines, member_line, annex2)
    index = UnitIndex(unit.name for unit in units)
    positions = []
    for n in range(annex1 + 1, annex2):
        role = next((m for line, m in roles if line == n), None)
        if role and _role(role) == MEMBER:
            positions += [(MEMBER, unit.name, unit.name, n) for unit in units]
        elif role:
            holders = [h.strip() for h, _ in split_outside_brackets(role["rest"], "、，,") if h.strip()]
            positions += [(_role(role), h, _holder_unit(h, index), n) for h in holders]
        positions += _office_positions(lines[n - 1], n, index)
    return units, tuple(ParsedPosition(o, *p) for o, p in enumerate(positions, start=1)), index


def _role(match):
    return ROLE_POSITION[re.sub(r"\s", "", match["role"])]


def _member_units(lines, member_line, annex2):
    text, n = ROLE.match(lines[member_line - 1])["rest"], member_line
    while text.endswith(("、", "，")) and n + 1 < annex2:
        n += 1
        text += lines[n - 1]
    text = MEMBER_TAIL.sub("", text.strip())
    names = [GENERIC_WORDS.sub("", piece.strip()) for piece, _ in split_outside_brackets(text, "、，,")]
    names = list(dict.fromkeys(name for name in names if name))
    return [ParsedUnit(name, "", unit_kind(name), member_line) for name in names]


def _holder_unit(holder, index):
    match = index.match_prefix(holder)
    return match[0] if match else None


def _office_positions(text, line, index):
    positions = []
    office = OFFICE_AT.search(text)
    if office:
        unit = _holder_unit(office[1].strip(), index)
        positions.append((OFFICE, "领导小组办公室", unit, line))
    head = OFFICE_HEAD.search(text)
    if head:
        positions.append((OFFICE_DIRECTOR, head[1].strip(), _holder_unit(head[1].strip(), index), line))
    return positions


# --- the duties, in any form -----------------------------------------------------------------------


def _units_and_duties(lines, annexes, body_start, body_end):
    """(units, positions, duties, short names): Annex 1's group, or the units the tags name."""
    annex1, annex2 = annexes.get(1), annexes.get(2)
    tagged = tagged_lines(lines, body_start, body_end, UnitIndex(()))
    uses_annex2 = annex2 is not None and (not tagged or ANNEX2_TITLE.search(_next_text(lines, annex2)))
    if not tagged and not uses_annex2:
        raise PlanFormatError(
            len(lines),
            "找不到“附件2”（成员单位任务分工）：应有单独一行“附件2”及其分工段落，"
            "或在正文各项任务后标注责任单位，如“〔责任单位：县教育局、县财政局〕”或“（县教育局，县财政局，排名第一位为牵头单位）”",
        )
    if annex1 is not None:
        units, positions, index = _leadership(lines, annex1, _annex_end(lines, annexes, annex1))
    elif uses_annex2:
        raise PlanFormatError(len(lines), "找不到“附件1”（领导小组名单）：附件2的分工段落以附件1所列成员单位开头")
    else:
        units = [ParsedUnit(name, "", unit_kind(name), _first_line(tagged, name)) for name in names_in_tags(tagged)]
        positions, index = (), UnitIndex(unit.name for unit in units)
    duties = body_duties(tagged_lines(lines, body_start, body_end, index)) if tagged else []
    short_names = {}
    if uses_annex2:
        paragraphs = _annex2_paragraphs(lines, annex2)
        annexed, short_names = annex_duties(paragraphs, index, first_paragraph=len({d.paragraph for d in duties}) + 1)
        duties += annexed
    return units, positions, tuple(duties), short_names


def _next_text(lines, after):
    number = _next_nonempty(lines, after)
    return lines[number - 1] if number else ""


def _first_line(tagged, name):
    return next(line for line, _, parts in tagged for part in parts if name in (n for _, n in part.tag.names))


def _annex2_paragraphs(lines, annex2):
    end = next((n for n in range(annex2 + 1, len(lines) + 1) if ANNEX2_END.search(lines[n - 1])), len(lines) + 1)
    paragraphs = [(n, lines[n - 1]) for n in range(annex2 + 1, end) if lines[n - 1]]
    if paragraphs and not re.search(r"[。；;！]$", paragraphs[0][1]):
        paragraphs = paragraphs[1:]  # the heading 成员单位任务分工
    if not paragraphs:
        raise PlanFormatError(annex2, "附件2中找不到任务分工段落：每段应以附件1所列成员单位的名称开头")
    return paragraphs


__all__ = ["parse_plan", "read_plan_file", "split_lines"]
