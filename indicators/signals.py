"""The stored values follow what they are computed from: a rule, a threshold of the catalogue, a school's type.

Figures already refresh their year when imported or edited (services, in their transaction); these receivers
cover the rest. A plan re-import or an admin action may save many rows in one transaction: each save marks
the years it makes stale, in that transaction (``services.stale_years``), and a worker recomputes them once it
commits — never the request itself.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from workflows.signals import plan_loaded

from .models import EvaluationRule, Indicator, SchoolProfile
from .services.stale_years import mark_every_year_stale, mark_stale


@receiver([post_save, post_delete], sender=EvaluationRule, dispatch_uid="indicators.rule_changed")
def rule_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if instance.year:
        mark_stale([instance.year])
    else:  # the default rule: every year without a rule of its own, so every year
        mark_every_year_stale()


@receiver(post_save, sender=SchoolProfile, dispatch_uid="indicators.school_changed")
def school_changed(sender, instance, created=False, raw=False, **kwargs):
    if not raw and not created:
        mark_stale(set(instance.parts.values_list("figures__year", flat=True)) - {None})


@receiver(post_save, sender=Indicator, dispatch_uid="indicators.threshold_changed")
def threshold_changed(sender, instance, created=False, raw=False, **kwargs):
    if not raw and not created:
        mark_every_year_stale()


@receiver(plan_loaded, dispatch_uid="indicators.plan_catalogue")
def plan_loaded_load_catalogue(sender, plan, parsed, summary, **kwargs):
    from .services.plan_catalogue import load_catalogue, load_funding_rules

    load_catalogue(plan, parsed.indicators, summary)
    load_funding_rules(plan, parsed.rules)
