"""A new version of an imported document: which duties it adds, changes, brings back and no longer has.

Templates carry items, so a duty keeps its template across versions by what it says, not by where it stands: a
paragraph removed above it must not hand its template (and its items) to the next unit's duty. A duty is
matched to a stored template of the same lead unit with the same text; failing that, to the one of the same
lead unit whose text is most alike (at least ``SIMILAR``, an edited clause); otherwise it is new. Templates no
duty matched are retired. Only what the document owns is compared — the text, the lead unit, the cooperating
units; the offices' settings (cadence, due day, weight, evidence hint) are theirs and never part of a diff.
"""

from dataclasses import dataclass
from difflib import SequenceMatcher

ADDED, CHANGED, RESTORED, RETIRED = "added", "changed", "restored", "retired"
KIND_LABELS = {ADDED: "新增", CHANGED: "修改", RESTORED: "恢复", RETIRED: "停用"}
SIMILAR = 0.6
EXCERPT = 40


@dataclass(frozen=True)
class DutyChange:
    kind: str  # ADDED, CHANGED, RESTORED or RETIRED
    place: str
    lead_unit_name: str
    text: str
    details: tuple[str, ...] = ()  # what changed, old → new

    def __str__(self):
        line = f"{KIND_LABELS[self.kind]} {self.place} {self.lead_unit_name}：{_excerpt(self.text)}"
        if self.kind == RETIRED:
            line += "（新版本中没有这一条：停用，已有任务保留）"
        return "；".join((line, *self.details))


@dataclass(frozen=True)
class Revision:
    """How a parsed version meets the stored templates."""

    matches: tuple  # ((ParsedDuty, DutyTemplate or None), …) in document order
    retired: tuple  # DutyTemplates (not yet retired) that no duty matched
    changes: tuple  # DutyChange, for the summary; empty on a first import
    moved: int  # duties whose content is unchanged but whose place in the document is not


def _excerpt(text):
    return text if len(text) <= EXCERPT else f"{text[:EXCERPT]}…"


def revise(templates, duties):
    """The ``Revision`` of ``templates`` (the plan's stored DutyTemplates, lead units loaded) by ``duties``."""
    unused = sorted(templates, key=lambda t: (t.retired_on is not None, t.paragraph, t.clause))
    matched = {}
    for duty in duties:  # the same lead, the same words
        found = next((t for t in unused if t.lead_unit.name == duty.lead_unit_name and t.text == duty.text), None)
        if found:
            matched[duty.key] = found
            unused.remove(found)
    for duty in duties:  # the same lead, an edited clause
        if duty.key in matched:
            continue
        scored = [(SequenceMatcher(None, t.text, duty.text).ratio(), t) for t in unused]
        scored = [(ratio, t) for ratio, t in scored if t.lead_unit.name == duty.lead_unit_name and ratio >= SIMILAR]
        if scored:
            best = max(scored, key=lambda pair: (pair[0], (pair[1].paragraph, pair[1].clause) == duty.key))[1]
            matched[duty.key] = best
            unused.remove(best)
    matches = tuple((duty, matched.get(duty.key)) for duty in duties)
    retired = tuple(t for t in unused if t.retired_on is None)
    changes, moved = [], 0
    if templates:
        for duty, template in matches:
            change = _change(duty, template)
            changes += [change] if change else []
            moved += change is None and template.place != duty.place
        changes += [DutyChange(RETIRED, t.position_label, t.lead_unit.name, t.text) for t in retired]
    return Revision(matches, retired, tuple(changes), moved)


def _change(duty, template):
    if template is None:
        return DutyChange(ADDED, duty.place, duty.lead_unit_name, duty.text)
    details = _differences(template, duty)
    if template.retired_on is not None:
        return DutyChange(RESTORED, duty.place, duty.lead_unit_name, duty.text, details)
    return DutyChange(CHANGED, duty.place, duty.lead_unit_name, duty.text, details) if details else None


def _differences(template, duty):
    details = []
    before = sorted(unit.name for unit in template.cooperating_units.all())
    if before != sorted(duty.cooperating_unit_names):
        details.append(f"配合单位 {'、'.join(before) or '无'} → {'、'.join(duty.cooperating_unit_names) or '无'}")
    if template.text != duty.text:
        details.append(f"原文“{_excerpt(template.text)}”")
    if details and template.place and template.place != duty.place:
        details.append(f"原位置 {template.place}")
    return tuple(details)
