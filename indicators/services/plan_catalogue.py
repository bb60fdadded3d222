"""The indicator catalogue of an imported plan: one row per (code, stage, scope), written with the plan."""

from ..models import Indicator


def load_catalogue(plan, parsed_indicators, summary):
    """Create or update the plan's indicators; unchanged ones are not written. Counts go into ``summary``."""
    from workflows.plan_import.loader import upsert

    for indicator in parsed_indicators:
        _obj, outcome = upsert(
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
        summary.record("indicator", outcome)
