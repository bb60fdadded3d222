"""Duties assigned in the body of a plan, by a tag after each task: the inline-tag and ranking-list forms.

* **Inline tag** (the form of 普洱市's 2022 plan)::

      ……确保2025年全部达标。〔责任单位：县教育局、县财政局、各乡镇人民政府〕
      ……〔牵头单位：县教育局；配合单位：县财政局、县人力社保局〕

  Under 责任单位 the first unit leads and the others cooperate; 牵头/负责单位 lead, 配合/协办/参与单位 cooperate.
* **Ranking list** (the form of 云浮市's 云府办〔2019〕10号)::

      ……（县教育局，县委编办，县财政局，排名第一位为牵头单位，下同）
      ……（县教育局，县财政局）                      ← 下同: the first listed leads
      ……（县教育局牵头，县财政局配合）   ……（各乡镇人民政府负责）

  A bracket counts only if every piece in it is a unit name (or such a list with 牵头/负责/配合… after it) or the
  ranking rule, and it closes a task (at the end of a line or a sentence): （见附件1）, （美术、音乐） and
  县委组织部（县考核办）将… are text.

A tag assigns the text before it — back to the previous tag or the start of the line — as one duty: a task's
clauses under one tag stay one duty. Lines without a tag are not duties.
"""

import re
from dataclasses import dataclass

from .parties import ACTOR, NON_UNIT_ACTORS, UNIT, UNKNOWN, unit_list
from .vocabulary import split_outside_brackets

ANNEX_FORM, INLINE_TAG, RANKING_LIST = "annex", "inline_tag", "ranking_list"
FORM_LABELS = {ANNEX_FORM: "附件分工段落", INLINE_TAG: "任务后〔责任单位〕标注", RANKING_LIST: "任务后单位排名列表"}

BRACKETS = {"〔": "〕", "【": "】", "［": "］", "[": "]", "（": "）", "(": ")"}
CLOSERS = frozenset(BRACKETS.values())
TAG_LABEL = re.compile(r"^\s*(?:主要)?(?P<role>责任|牵头|负责|配合|协办|协助|参与)(?:单位|部门)\s*[:：]\s*")
RANKING_RULE = re.compile(r"排名|排序|排在|第一|下同|其余|为牵头|为配合")
ROLE_AFTER = re.compile(r"^(?P<names>.+?)(?P<role>牵头|负责|配合|协助|协办|参与)$")
LEADING_ROLES = frozenset({"牵头", "负责"})
BOUNDARY = "。；;，,！"
TRIM = " \u3000。；;，,、"


@dataclass(frozen=True)
class Tag:
    """A tag in a line: where it is, its form, and the names it assigns as [(kind, name)]."""

    start: int
    end: int  # just after the closing bracket
    form: str
    leads: tuple[tuple[str, str], ...]
    partners: tuple[tuple[str, str], ...]

    @property
    def names(self):
        return self.leads + self.partners


@dataclass(frozen=True)
class TaggedText:
    """The text a tag assigns (verbatim, without the tag and the closing 。/；)."""

    text: str
    tag: Tag


def tagged_texts(line, index):
    """The duties of one body line: [TaggedText], in order; [] for a line without tags."""
    found, start = [], 0
    for tag in find_tags(line, index):
        text = line[start : tag.start].strip(TRIM)
        if text:
            found.append(TaggedText(text, tag))
        start = tag.end
    return found


def find_tags(line, index):
    tags, position = [], 0
    while position < len(line):
        if line[position] not in BRACKETS:
            position += 1
            continue
        end = _closing(line, position)
        if end is None:
            break
        tag = _read_tag(line, position, end, index)
        if tag:
            tags.append(tag)
        position = end if tag else position + 1
    return tags


def _closing(line, start):
    """The index just after the bracket that closes the one at ``start`` (nested brackets counted), or None."""
    depth = 0
    for position in range(start, len(line)):
        if line[position] in BRACKETS:
            depth += 1
        elif line[position] in CLOSERS:
            depth -= 1
            if depth == 0:
                return position + 1
    return None


def _read_tag(line, start, end, index):
    content = line[start + 1 : end - 1]
    if TAG_LABEL.match(content):
        leads, partners = _labelled(content, index)
        return Tag(start, end, INLINE_TAG, leads, partners) if leads or partners else None
    closes_a_task = end == len(line) or line[end] in BOUNDARY or (start > 0 and line[start - 1] in BOUNDARY)
    if line[start] not in "（(" or not closes_a_task:
        return None
    ranked = _ranking_list(content, index)
    return Tag(start, end, RANKING_LIST, *ranked) if ranked else None


def _labelled(content, index):
    """〔牵头单位：A；配合单位：B、C〕 → (leads, partners); 〔责任单位：A、B〕 → ((A,), (B,))."""
    leads, partners, role = [], [], "责任"
    for part, _ in split_outside_brackets(content, "；;"):
        label = TAG_LABEL.match(part)
        role = label["role"] if label else role
        names = _named_by_a_label(part[label.end() :] if label else part, index)
        if role == "责任" and not leads:
            leads, partners = names[:1], partners + names[1:]
        elif role == "责任":
            partners += names
        elif role in LEADING_ROLES:
            leads += names
        else:
            partners += names
    if len(leads) > 1:  # co-leads: the first leads the item, the others cooperate
        leads, partners = leads[:1], leads[1:] + partners
    return tuple(leads), tuple(partners)


def _named_by_a_label(text, index):
    """Names under a label: a piece that is no unit name is still named (an unknown unit, or an actor)."""
    named = []
    for piece, _ in split_outside_brackets(text, "、，,"):
        piece = piece.strip(TRIM)
        if not piece:
            continue
        found = unit_list(piece, index)
        named += found or [(ACTOR if piece in NON_UNIT_ACTORS else UNKNOWN, piece)]
    return named


def _ranking_list(content, index):
    """（A，B，C，排名第一位为牵头单位，下同） / （A牵头，B配合） → (leads, partners), or None.

    The ranking rule (排名第一位为牵头单位，下同) is read as a piece of the list and needs no state: a bare list
    names its lead first whether or not a rule came before it, which is what 下同 carries over."""
    explicit_leads, explicit_partners, plain = [], [], []
    for piece, _ in split_outside_brackets(content, "，,；;"):
        piece = piece.strip(TRIM)
        if not piece:
            continue
        if RANKING_RULE.search(piece) and unit_list(piece, index) is None:
            continue
        role = ROLE_AFTER.match(piece)
        names = unit_list(role["names"], index) if role else None
        if names:
            (explicit_leads if role["role"] in LEADING_ROLES else explicit_partners).extend(names)
            continue
        names = unit_list(piece, index)
        if not names or any(kind == ACTOR for kind, _ in names):
            return None
        plain += names
    named = explicit_leads + explicit_partners + plain
    if not named or not any(kind in (UNIT, UNKNOWN) for kind, _ in named):
        return None
    ordered = explicit_leads + plain + explicit_partners if explicit_leads else plain + explicit_partners
    return tuple(ordered[:1]), tuple(ordered[1:])
