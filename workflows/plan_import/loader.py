"""Writing a parsed plan to the database: one transaction, idempotent, keyed on the document number.

A second import of the same document writes no row. Apps that keep parts of the plan of their own (the
indicator catalogue) load them from the ``plan_loaded`` signal, in the same transaction. Settings the offices keep
in the admin (a template's cadence, due day, weight, evidence hint, active) are
never overwritten by a re-import; the text the document owns is.

A new version of a document (the same number, changed duties) is compared with what is stored (``revisions``):
templates it no longer has are retired — made inactive with ``retired_on`` set, their items kept — and one the
import retired comes back active if a later version has it again; one the office switched off stays off.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from departments.models import Unit

from ..models import DutyTemplate, LeadershipPosition, Phase, Plan
from ..signals import plan_loaded
from .revisions import DutyChange, revise
from .tags import FORM_LABELS
from .types import ParsedPlan

CREATED, UPDATED, UNCHANGED, RETIRED, DELETED = "created", "updated", "unchanged", "retired", "deleted"
PARKED = 20000  # added to a moving template's paragraph while the others take their places

# Labels for the summary, in the order they are printed.
SECTION_LABELS = {
    "plan": "计划",
    "unit": "单位",
    "phase": "阶段",
    "position": "领导小组职位",
    "duty": "职责模板",
    "indicator": "指标",
}


@dataclass(frozen=True)
class UnknownName:
    """A unit-shaped name in a duty that is no member unit (a misspelling, or a unit outside the group)."""

    line: int
    place: str
    name: str

    def __str__(self):
        return f"第 {self.line} 行（{self.place}）：“{self.name}”不是成员单位"


def unknown_names(parsed):
    """[UnknownName] of every duty, in document order."""
    return [UnknownName(duty.line, duty.place, name) for duty in parsed.duties for name in duty.unknown_unit_names]


@dataclass
class ImportSummary:
    plan: Plan
    counts: dict = field(default_factory=lambda: {key: Counter() for key in SECTION_LABELS})
    forms: Counter = field(default_factory=Counter)  # duties per form (tags.FORM_LABELS' keys)
    unknown_names: list = field(default_factory=list)  # [UnknownName]
    changes: list = field(default_factory=list)  # [DutyChange]: added, changed, retired duties of a new version
    moved: int = 0  # duties of a new version in a new place, their content unchanged

    def record(self, section, outcome):
        self.counts[section][outcome] += 1

    @property
    def changed(self):
        return any(counter[CREATED] or counter[UPDATED] for counter in self.counts.values())

    def lines(self):
        for section, label in SECTION_LABELS.items():
            counter = self.counts[section]
            gone = f"，停用 {counter[RETIRED]}" if counter[RETIRED] else ""
            gone += f"，删除 {counter[DELETED]}" if counter[DELETED] else ""  # catalogue rows the document lost
            yield f"{label}：新建 {counter[CREATED]}，更新 {counter[UPDATED]}，未变 {counter[UNCHANGED]}{gone}"
        forms = "；".join(f"{label} {self.forms[form]} 条" for form, label in FORM_LABELS.items() if self.forms[form])
        yield f"职责的分工形式：{forms or '无'}"


def upsert(model, lookup, values):
    """Create, or update only the fields that differ. Returns (obj, outcome); writes nothing if unchanged."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values), CREATED
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if not changed:
        return obj, UNCHANGED
    for name in changed:
        setattr(obj, name, values[name])
    obj.save(update_fields=changed)
    return obj, UPDATED


def set_if_different(related_manager, wanted):
    """Set a many-to-many relation; True if it changed."""
    wanted_ids = {obj.pk for obj in wanted}
    if set(related_manager.values_list("pk", flat=True)) == wanted_ids:
        return False
    related_manager.set(wanted_ids)
    return True


@transaction.atomic
def load_plan(parsed: ParsedPlan, *, dry_run=False) -> ImportSummary:
    """Write the plan; with ``dry_run`` everything is rolled back and only the summary is returned."""
    plan, outcome = upsert(
        Plan,
        {"doc_number": parsed.doc_number},
        {
            "title": parsed.title,
            "issuer": parsed.issuer,
            "issued_on": parsed.issued_on,
            "supersedes": parsed.supersedes,
            "target_year": parsed.target_year,
            "source_text": parsed.source_text,
        },
    )
    summary = ImportSummary(plan=plan)
    summary.record("plan", outcome)
    summary.forms.update(duty.form for duty in parsed.duties)
    summary.unknown_names = unknown_names(parsed)
    units = _load_units(parsed, summary)
    _load_phases(parsed, plan, summary)
    _load_positions(parsed, plan, units, summary)
    _load_duties(parsed, plan, units, summary)
    # The indicator catalogue belongs to the indicators app, which loads it here, in this transaction.
    plan_loaded.send(sender=load_plan, plan=plan, parsed=parsed, summary=summary)
    if dry_run:
        transaction.set_rollback(True)
    return summary


def _load_units(parsed, summary):
    units = {}
    for parsed_unit in parsed.units:
        unit = Unit.objects.filter(name=parsed_unit.name).first()
        if unit is None:
            unit = Unit.objects.create(
                name=parsed_unit.name,
                short_name=parsed_unit.short_name,
                kind=parsed_unit.kind,
                in_leadership_group=True,
            )
            summary.record("unit", CREATED)
        elif not unit.in_leadership_group:
            # Units the offices created by hand keep their kind and short name.
            unit.in_leadership_group = True
            unit.save(update_fields=["in_leadership_group"])
            summary.record("unit", UPDATED)
        else:
            summary.record("unit", UNCHANGED)
        units[parsed_unit.name] = unit
    return units


def _load_phases(parsed, plan, summary):
    for phase in parsed.phases:
        _obj, outcome = upsert(
            Phase,
            {"plan": plan, "order": phase.order},
            {
                "name": phase.name,
                "starts_on": phase.starts_on,
                "ends_on": phase.ends_on,
                "description": phase.description,
            },
        )
        summary.record("phase", outcome)


def _load_positions(parsed, plan, units, summary):
    for position in parsed.positions:
        _obj, outcome = upsert(
            LeadershipPosition,
            {"plan": plan, "order": position.order},
            {
                "position": position.position,
                "holder": position.holder,
                "unit": units[position.unit_name] if position.unit_name else None,
            },
        )
        summary.record("position", outcome)


def _load_duties(parsed, plan, units, summary):
    templates = DutyTemplate.objects.filter(plan=plan).select_related("lead_unit").prefetch_related("cooperating_units")
    revision = revise(list(templates), parsed.duties)
    summary.changes, summary.moved = list(revision.changes), revision.moved
    _retire(revision.retired, summary)
    # Positions are unique among the document's duties: templates that move are parked first, then placed.
    moving = [t.pk for duty, t in revision.matches if t is not None and (t.paragraph, t.clause) != duty.key]
    DutyTemplate.objects.filter(pk__in=moving).update(paragraph=F("paragraph") + PARKED)
    for duty, template in revision.matches:
        values = {
            "paragraph": duty.paragraph,
            "clause": duty.clause,
            "lead_unit": units[duty.lead_unit_name],
            "text": duty.text,
            "place": duty.place,
            "source_form": duty.form,
            "unresolved_mentions": "、".join(duty.unresolved_mentions + duty.unknown_unit_names)[:500],
        }
        if template is None:
            template, outcome = DutyTemplate.objects.create(plan=plan, **values), CREATED
        else:
            if template.retired_on is not None:  # retired by an earlier version, back in this one
                values.update(retired_on=None, active=True)
            outcome = _update(template, values)
        cooperating = [units[name] for name in duty.cooperating_unit_names]
        if set_if_different(template.cooperating_units, cooperating) and outcome == UNCHANGED:
            outcome = UPDATED
        summary.record("duty", outcome)


def _update(obj, values):
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save(update_fields=changed)
    return UPDATED if changed else UNCHANGED


def _retire(templates, summary):
    """Templates the new version no longer has: inactive, marked retired; their items stay as they are."""
    DutyTemplate.objects.filter(pk__in=[t.pk for t in templates]).update(active=False, retired_on=timezone.localdate())
    for _ in templates:
        summary.record("duty", RETIRED)


__all__ = ["DutyChange", "ImportSummary", "UnknownName", "load_plan", "unknown_names"]
