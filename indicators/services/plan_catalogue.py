"""The indicator catalogue of an imported plan: one row per (code, stage, scope), and its funding rules, written with
the plan (``plan_loaded``, in the import's transaction).

A re-import makes the catalogue what the document says: rows it no longer gives (a target the parser now reads
differently, or a rule once stored as a target) are deleted. Nothing refers to an indicator row by key — stored
values and county figures are keyed by code — so nothing else goes with them.
"""

from ..models import FundingRule, Indicator


def load_catalogue(plan, parsed_indicators, summary):
    """Create or update the plan's indicators; unchanged ones are not written. Counts go into ``summary``."""
    from workflows.plan_import.loader import DELETED, upsert

    kept = set()
    for indicator in parsed_indicators:
        obj, outcome = upsert(
            Indicator,
            {"plan": plan, "code": indicator.code, "stage": indicator.stage, "scope": indicator.scope},
            {
                "name": indicator.name,
                "comparison": indicator.comparison,
                "threshold": indicator.threshold,
                "unit_of_measure": indicator.unit_of_measure,
                "level": indicator.level,
                "section": indicator.section,
                "source_sentence": indicator.source_sentence,
                "order": indicator.order,
            },
        )
        kept.add(obj.pk)
        summary.record("indicator", outcome)
    stale = Indicator.objects.filter(plan=plan).exclude(pk__in=kept)
    for _row in range(stale.delete()[0]):
        summary.record("indicator", DELETED)


def load_funding_rules(plan, parsed_rules):
    """The plan's funding rules (the parser's ``rules``), created or updated; rules the document no longer has go."""
    from workflows.plan_import.loader import upsert

    codes = []
    for rule in parsed_rules:
        upsert(
            FundingRule,
            {"plan": plan, "code": rule.code},
            {
                "name": rule.name,
                "students": rule.students,
                "applies_to": rule.applies_to[:100],
                "stages": list(rule.stages),
                "section": rule.section,
                "source_sentence": rule.source_sentence,
            },
        )
        codes.append(rule.code)
    FundingRule.objects.filter(plan=plan).exclude(code__in=codes).delete()
