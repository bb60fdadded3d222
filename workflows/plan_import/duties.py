"""The plan's duties, in whichever of the three forms the document assigns them (it may mix them).

* **Annex paragraphs** (奉节府办发〔2021〕100号): 附件2 has one paragraph per unit, beginning with its name; the
  paragraph is split into clauses at ；and 。 (never at ，or 、: a comma joins a duty's conditions or parts), and
  each clause's partners are the names after 会同/配合/… (``parties.cooperating_parties``).
* **Inline tags** and **ranking lists** after the body's tasks (``tags``): the text a tag closes is one duty.

Duties are numbered in document order: the body's tagged lines first (each line a paragraph, each tag on it a
clause), then Annex 2's paragraphs.
"""

import re

from .parties import UNIT, UNKNOWN, UnitIndex, collect, cooperating_parties
from .tags import ANNEX_FORM, tagged_texts
from .types import ParsedDuty, PlanFormatError
from .vocabulary import split_outside_brackets

SECTION_HEADING = re.compile(r"^([一二三四五六七八九十]+)、")
SUBSECTION_HEADING = re.compile(r"^（([一二三四五六七八九十]+)）")
ITEM_NUMBER = re.compile(r"^(\d+)[.．、]")


def tagged_lines(lines, start, end, index):
    """[(line number, place, [TaggedText])] for the body lines ``start``..``end`` - 1 that carry tags."""
    found, section, subsection = [], "", ""
    for number in range(start, end):
        text = lines[number - 1]
        if heading := SECTION_HEADING.match(text):
            section, subsection = heading[1], ""
        elif heading := SUBSECTION_HEADING.match(text):
            subsection = f"（{heading[1]}）"
        tagged = tagged_texts(text, index)
        if tagged:
            item = ITEM_NUMBER.match(text)
            place = f"{section}{subsection}{item[1] if item else ''}" or f"第{number}行"
            found.append((number, place, tagged))
    return found


def names_in_tags(found):
    """Every unit name the tags give, in order of first appearance (the units of a plan without Annex 1)."""
    names = [name for _, _, tagged in found for part in tagged for kind, name in part.tag.names if kind != "actor"]
    return list(dict.fromkeys(names))


def body_duties(found, first_paragraph=1):
    duties = []
    for paragraph, (line, place, tagged) in enumerate(found, start=first_paragraph):
        for clause, part in enumerate(tagged, start=1):
            tag = part.tag
            kind, lead = tag.leads[0] if tag.leads else (None, None)
            if kind != UNIT:
                what = f"“{lead}”不是成员单位" if kind == UNKNOWN else "标注中没有单位"
                raise PlanFormatError(line, f"无法识别这项任务的牵头单位：{what}（标注为“{_tag_text(tag)}”）")
            parties = collect(tag.partners, exclude=(lead,))
            label = place if len(tagged) == 1 else f"{place}-{clause}"
            duties.append(
                ParsedDuty(
                    paragraph, clause, lead, part.text, parties.units, parties.actors, line,
                    unknown_unit_names=parties.unknown, form=tag.form, place=label,
                )
            )  # fmt: skip
    return duties


def _tag_text(tag):
    return "、".join(name for _, name in tag.names) or "空"


def annex_duties(paragraphs, index: UnitIndex, first_paragraph=1):
    """Annex 2's paragraphs → (duties, {unit name: the short form the annex uses})."""
    duties, short_names = [], {}
    for number, (line, text) in enumerate(paragraphs, start=first_paragraph):
        match = index.match_prefix(text)
        if not match:
            raise PlanFormatError(line, f"无法识别本段的牵头单位：段首应为附件1所列成员单位之一，实际为“{text[:15]}…”")
        lead, spelling = match
        if spelling != lead:
            short_names.setdefault(lead, spelling)
        clauses = [piece for piece, _ in split_outside_brackets(text, "；。") if piece.strip()]
        for clause_number, clause in enumerate(clauses, start=1):
            own_text = clause[len(spelling) :] if clause_number == 1 else clause
            parties = cooperating_parties(own_text, lead, index)
            duties.append(
                ParsedDuty(
                    number, clause_number, lead, clause, parties.units, parties.actors, line,
                    unknown_unit_names=parties.unknown, form=ANNEX_FORM,
                    place=f"附件2-{number - first_paragraph + 1}.{clause_number}",
                )
            )  # fmt: skip
    return duties, short_names
