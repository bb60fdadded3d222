"""The parties a plan names, and which of them are member units.

A name in a duty is one of three things:

* a **member unit** (Annex 1's list, or the units the tags name when there is no Annex 1), matched loosely
  (``unit_key``: 各乡镇人民政府（街道办事处） ≡ 各乡镇（街道）), by a function term (教育部门 → 县教委) or by a
  fragment only one member's name contains;
* an **unknown unit**: shaped like a government unit (县…局, 县…委, 各…乡镇 …) but not a member — a misspelling
  (县教肓局) or a unit outside the leadership group. The import lists each with its line; ``--strict`` refuses it;
* another **actor** (学校, 家长): recorded on the template, never a unit.

In a clause of the annex form, the parties are the names after the words that introduce partners
(``COOPERATION_TRIGGER``, and two words that do so only in a clear context, see ``GUIDED_DEPARTMENTS`` and
``URGED_TOGETHER``). A list ending in (等)部门 is split at 、 and each name resolved; otherwise the names at the
very start of the phrase count, separated by 、 和 及 与 (会同县财政局和县教委 names both).
"""

import re
from dataclasses import dataclass

from .vocabulary import FUNCTION_TERMS, split_outside_brackets, unit_key

# Words that introduce the parties a clause works with. 与 is not a trigger inside 参与/给与/与否.
COOPERATION_TRIGGER = re.compile(r"会同|配合|协助|协同|联合|牵头|(?<![参给赋])与(?![否其])")
# 指导 introduces partners when what follows is a list of departments:
#   县统计局“负责指导教育、财政等部门做好…年报统计工作” — the departments report the statistics with it.
GUIDED_DEPARTMENTS = re.compile(r"指导(?=(?:[\u4e00-\u9fff]{1,6}、)*[\u4e00-\u9fff]{1,6}等?(?:有关|相关)?部门)")
# 督促 introduces partners when the clause goes on to say they act together (共同):
#   县政府教育督导室“督促各乡镇（街道）切实履行教育职责，共同推进达标验收”.
URGED_TOGETHER = re.compile(r"督促(?=[^；;。]*共同)")
PARTNER_WORDS = (COOPERATION_TRIGGER, GUIDED_DEPARTMENTS, URGED_TOGETHER)
# Words stripped from the front of a named party ("会同城市管理" → "城市管理").
LEADING_VERBS = re.compile(r"^(?:会同|配合|协助|协同|联合|牵头|与|组织|督促|指导|协调|统筹|和|及|同)+")
# Determiners and generic words that are not part of a name.
GENERIC_WORDS = re.compile(r"^(?:相关|有关|其他|等)+|(?:等|相关|有关|其他)+$")
# Parties that are named like units but are not units: recorded, not resolved.
NON_UNIT_ACTORS = ("中小学校", "中小学", "各学校", "学校", "幼儿园", "家长", "社区", "村（居）委会", "社会组织")
# Separators between names in a list of units.
LIST_SEPARATORS = "、，,"
JOINING_WORDS = "和及与"

_CJK = r"\u4e00-\u9fff"
# The shape of a government unit's name: 县/市/区… + words + an organ's ending, or 各…乡镇/街道; a short bracketed
# addition (（县考核办）, （街道）) belongs to the name.
UNIT_SHAPE = re.compile(
    rf"(?:各[{_CJK}]{{0,6}}?(?:乡镇|镇|乡|街道|区|县)(?:人民政府|政府|办事处)?"
    rf"|团?[县市区州旗][{_CJK}]{{0,10}}?(?:人民政府|政府|办事处|办公室|委员会|督导室|局|委|办|室|部|院|联|会|中心))"
    r"(?:[（(][^（）()]{1,12}[）)])?"
)
# Characters that continue a unit's name after a shorter unit-shaped start (县委|组织部, 县政府|办公室).
NAME_CONTINUES = frozenset("组织宣传统战政法编考核办公室员导会部教督")

UNIT, UNKNOWN, ACTOR = "unit", "unknown", "actor"


class UnitIndex:
    """The member units, matched by loose names (``unit_key``)."""

    def __init__(self, names):
        self.names = tuple(names)
        self.by_key = {unit_key(name): name for name in self.names if unit_key(name)}

    def match_prefix(self, text):
        """(unit name, the text's spelling of it) for the longest unit name ``text`` begins with, or None."""
        for end in range(min(len(text), 60), 0, -1):
            name = self.by_key.get(unit_key(text[:end]))
            if name:
                return name, text[:end]
        return None

    def exact(self, text):
        """The member unit ``text`` names, compared loosely, or None."""
        return self.by_key.get(unit_key(text))

    def single_containing(self, fragments):
        found = [name for name in self.names if any(fragment in name for fragment in fragments)]
        return found[0] if len(found) == 1 else None


def is_unit_shaped(name):
    return bool(UNIT_SHAPE.fullmatch(name))


def unit_shaped_prefix(text):
    """The unit-shaped name ``text`` begins with (县教肓局 of 县教肓局做好…), or None."""
    for end in range(2, min(len(text), 24) + 1):
        if UNIT_SHAPE.fullmatch(text[:end]) and (end == len(text) or text[end] not in NAME_CONTINUES):
            return text[:end]
    return None


@dataclass(frozen=True)
class Parties:
    """The parties a clause or a tag names, each kind in order of first mention."""

    units: tuple[str, ...] = ()  # member unit names
    unknown: tuple[str, ...] = ()  # unit-shaped names that are no member unit
    actors: tuple[str, ...] = ()  # 学校, 家长 …


def collect(named, exclude=()):
    """A ``Parties`` from [(kind, name)], without duplicates and without the names in ``exclude``."""
    found = {UNIT: [], UNKNOWN: [], ACTOR: []}
    for kind, name in named:
        if name not in exclude and name not in found[kind]:
            found[kind].append(name)
    return Parties(tuple(found[UNIT]), tuple(found[UNKNOWN]), tuple(found[ACTOR]))


def cooperating_parties(clause, lead, index):
    """The parties the clause names after 会同/配合/协助/协同/联合/与/牵头 (and 指导…部门, 督促…共同)."""
    starts = sorted({match.end() for pattern in PARTNER_WORDS for match in pattern.finditer(clause)})
    named = []
    for start in starts:
        phrase = re.split(r"[，,；;。]", clause[start:], maxsplit=1)[0]
        named += _parties_in(phrase, index)
    return collect(named, exclude=(lead,))


def _parties_in(phrase, index):
    if "部门" not in phrase:
        return leading_parties(phrase, index)
    listed = re.sub(r"(?:相关|有关|其他)+$", "", phrase[: phrase.index("部门")])
    if listed.endswith("等"):
        listed = listed[:-1]
    elif re.search(r"相关|有关", listed):
        listed = re.split(r"相关|有关", listed)[-1]
    pieces = [piece.strip() for piece, _ in split_outside_brackets(listed, "、")]
    tokens = [GENERIC_WORDS.sub("", LEADING_VERBS.sub("", piece)) for piece in pieces]
    return [_resolve(token, index) for token in tokens if token]


def leading_parties(phrase, index):
    """The parties named at the very start of ``phrase`` (县教委、县财政局和县卫健委做好…), as [(kind, name)]."""
    named, rest = [], LEADING_VERBS.sub("", phrase).strip()
    while rest:
        match = index.match_prefix(rest)
        if match:
            named.append((UNIT, match[0]))
            rest = rest[len(match[1]) :]
        elif shaped := unit_shaped_prefix(rest):
            named.append((UNKNOWN, shaped))
            rest = rest[len(shaped) :]
        else:
            actor = next((a for a in NON_UNIT_ACTORS if rest.startswith(a)), None)
            named += [(ACTOR, actor)] if actor else []
            break
        if not rest or rest[0] not in "、" + JOINING_WORDS:
            break
        rest = rest[1:]
    return named


def _resolve(token, index):
    """(kind, name) of one name of a 部门 list: by name, function term or unique fragment."""
    match = index.match_prefix(token)
    if match:
        return UNIT, match[0]
    terms = [re.sub(r"(部门|系统|单位|机关)$", "", word) for word in (token, re.sub(r"^[县区]", "", token))]
    term = next((term for term in terms if term in FUNCTION_TERMS), None)
    unit = index.single_containing(FUNCTION_TERMS[term]) if term else None
    unit = unit or (index.single_containing((token,)) if len(token) >= 2 else None)
    if unit:
        return UNIT, unit
    if token in NON_UNIT_ACTORS or len(token) > 10:
        return ACTOR, token
    return UNKNOWN, token  # a department the plan names that is no member unit


def unit_list(text, index):
    """The names of a list of units (a tag's 县教育局、县财政局和各乡镇人民政府) as [(kind, name)], or None when a
    piece is neither a unit nor shaped like one (then the text is not a list of units)."""
    named = []
    for piece, _ in split_outside_brackets(text, LIST_SEPARATORS):
        piece = GENERIC_WORDS.sub("", piece.strip())
        if not piece:
            continue
        found = _names_in_piece(piece, index)
        if found is None:
            return None
        named += found
    return named


def _names_in_piece(piece, index):
    """A piece between list separators: one name, or names joined by 和/及/与; None if not all are unit names."""
    if name := index.exact(piece):
        return [(UNIT, name)]
    named, rest = [], piece
    while rest:
        match = index.match_prefix(rest)
        spelling = match[1] if match else unit_shaped_prefix(rest)
        if not spelling:
            break
        named.append((UNIT, match[0]) if match else (UNKNOWN, spelling))
        rest = rest[len(spelling) :]
        if rest and rest[0] in JOINING_WORDS:
            rest = rest[1:]
        elif rest:
            break
    if not rest:
        return named
    return [(UNKNOWN, piece)] if is_unit_shaped(piece) else None
