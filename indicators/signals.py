"""The stored values follow what they are computed from: a rule, a threshold of the catalogue, a school's type.

Figures already refresh their year when imported or edited (services, in their transaction); these receivers
cover the rest. A plan re-import or an admin action may save many rows in one transaction: the years to
refresh are gathered and refreshed once, when it commits.
"""

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from workflows.signals import plan_loaded

from .models import EvaluationRule, Indicator, SchoolProfile
from .services.store import refresh_years

EVERY_YEAR = "every year"


def refresh_on_commit(years=None):
    """Refresh ``years`` (None: every stored year) after the current transaction commits, once per transaction."""
    pending = connection.__dict__.setdefault("_indicator_years_to_refresh", set())
    pending.update([EVERY_YEAR] if years is None else years)
    transaction.on_commit(_refresh_pending)  # the first to run refreshes everything pending; the others find none


def _refresh_pending():
    pending = connection.__dict__.pop("_indicator_years_to_refresh", set())
    if pending:
        with transaction.atomic():
            refresh_years(None if EVERY_YEAR in pending else sorted(pending))


@receiver([post_save, post_delete], sender=EvaluationRule, dispatch_uid="indicators.rule_changed")
def rule_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_on_commit([instance.year] if instance.year else None)


@receiver(post_save, sender=SchoolProfile, dispatch_uid="indicators.school_changed")
def school_changed(sender, instance, created=False, raw=False, **kwargs):
    if not raw and not created:
        refresh_on_commit(set(instance.parts.values_list("figures__year", flat=True)) - {None})


@receiver(post_save, sender=Indicator, dispatch_uid="indicators.threshold_changed")
def threshold_changed(sender, instance, created=False, raw=False, **kwargs):
    if not raw and not created:
        refresh_on_commit()


@receiver(plan_loaded, dispatch_uid="indicators.plan_catalogue")
def plan_loaded_load_catalogue(sender, plan, parsed, summary, **kwargs):
    from .services.plan_catalogue import load_catalogue

    load_catalogue(plan, parsed.indicators, summary)
