"""Writing a parsed plan to the database: one transaction, idempotent, keyed on the document number.

A second import of the same document writes no row. Apps that keep parts of the plan of their own (the
indicator catalogue) load them from the ``plan_loaded`` signal, in the same transaction. Settings the offices keep
in the admin (a template's cadence, due day, weight, evidence hint, active) are
never overwritten by a re-import; the text the document owns is.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction

from departments.models import Unit

from ..models import DutyTemplate, LeadershipPosition, Phase, Plan
from ..signals import plan_loaded
from .types import ParsedPlan

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"

# Labels for the summary, in the order they are printed.
SECTION_LABELS = {
    "plan": "计划",
    "unit": "单位",
    "phase": "阶段",
    "position": "领导小组职位",
    "duty": "职责模板",
    "indicator": "指标",
}


@dataclass
class ImportSummary:
    plan: Plan
    counts: dict = field(default_factory=lambda: {key: Counter() for key in SECTION_LABELS})

    def record(self, section, outcome):
        self.counts[section][outcome] += 1

    @property
    def changed(self):
        return any(counter[CREATED] or counter[UPDATED] for counter in self.counts.values())

    def lines(self):
        for section, label in SECTION_LABELS.items():
            counter = self.counts[section]
            yield f"{label}：新建 {counter[CREATED]}，更新 {counter[UPDATED]}，未变 {counter[UNCHANGED]}"


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
    for duty in parsed.duties:
        template, outcome = upsert(
            DutyTemplate,
            {"plan": plan, "paragraph": duty.paragraph, "clause": duty.clause},
            {
                "lead_unit": units[duty.lead_unit_name],
                "text": duty.text,
                "unresolved_mentions": "、".join(duty.unresolved_mentions),
            },
        )
        cooperating = [units[name] for name in duty.cooperating_unit_names]
        if set_if_different(template.cooperating_units, cooperating) and outcome == UNCHANGED:
            outcome = UPDATED
        summary.record("duty", outcome)
