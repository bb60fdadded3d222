"""The stored values follow what they are computed from: a rule, a threshold of the catalogue, a school's type.

Figures already refresh their year when imported or edited (services); these receivers cover the rest, in the
saving transaction, so the dashboard never shows values computed under a rule that has since changed.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from workflows.models import Indicator

from .models import EvaluationRule, SchoolProfile
from .services.store import refresh_years


def _refresh(years=None):
    with transaction.atomic():
        refresh_years(years)


@receiver([post_save, post_delete], sender=EvaluationRule, dispatch_uid="indicators.rule_changed")
def rule_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _refresh([instance.year] if instance.year else None)


@receiver(post_save, sender=SchoolProfile, dispatch_uid="indicators.school_changed")
def school_changed(sender, instance, created=False, raw=False, **kwargs):
    if not raw and not created:
        _refresh(sorted(set(instance.parts.values_list("figures__year", flat=True)) - {None}))


@receiver(post_save, sender=Indicator, dispatch_uid="indicators.threshold_changed")
def threshold_changed(sender, instance, created=False, raw=False, **kwargs):
    if not raw and not created:
        _refresh()
