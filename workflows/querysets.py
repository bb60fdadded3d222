"""Permission-aware and board queries: every list runs a fixed number of queries whatever its length."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Case, Count, Prefetch, Q, Value, When
from django.utils import timezone

from departments.models import Unit

GREEN, YELLOW, RED, GREY = "green", "yellow", "red", "grey"
LIGHT_LABELS = {GREEN: "正常", YELLOW: "临期", RED: "逾期", GREY: "已结束"}


def warning_days():
    return getattr(settings, "TASKBOARD_WARNING_DAYS", 7)


class DutyItemQuerySet(models.QuerySet):
    def for_user(self, user):
        """Items the user may see: everything for holders of the global view permission;
        otherwise those their units own or cooperate on. The only way views list items."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.has_perm("workflows.view_dutyitem"):
            return self
        own = Unit.objects.for_user(user).values("pk")
        # A township cooperates where 各乡镇（街道）, the collective it belongs to, is named.
        units = Unit.objects.filter(Q(pk__in=own) | Q(member_units__in=own)).values("pk")
        cooperating = self.model.cooperating_units.through.objects.filter(unit__in=units).values("dutyitem_id")
        return self.filter(Q(unit__in=units) | Q(pk__in=cooperating))

    def with_light(self, today=None):
        """Annotate the traffic light: grey closed/withdrawn, red overdue, yellow due within the window."""
        today = today or timezone.localdate()
        return self.annotate(
            light=Case(
                When(~Q(stage__in=self.model.OPEN_STAGES), then=Value(GREY)),
                When(deadline__lt=today, then=Value(RED)),
                When(deadline__lte=today + timedelta(days=warning_days()), then=Value(YELLOW)),
                default=Value(GREEN),
                output_field=models.CharField(),
            )
        )

    def for_list(self):
        return self.select_related("unit", "template", "period", "assignee").prefetch_related(
            Prefetch("cooperating_units", queryset=Unit.objects.order_by("name"))
        )

    def light_counts(self):
        counts = dict(self.order_by().values_list("light").annotate(n=Count("pk")))
        return {light: counts.get(light, 0) for light in (GREEN, YELLOW, RED, GREY)}


def owner_ids(unit):
    """The unit itself and the collectives it belongs to: a township carries 各乡镇（街道）'s duties."""
    return {unit.pk, *unit.collectives.values_list("pk", flat=True)}


def duty_templates_for_unit(unit):
    """Active templates the unit (or a collective it belongs to) leads or cooperates on.

    Returns (led, cooperating), each a list in document order.
    """
    from .models import DutyTemplate

    owners = owner_ids(unit)
    templates = list(
        DutyTemplate.objects.filter(active=True)
        .filter(Q(lead_unit_id__in=owners) | Q(cooperating_units__in=owners))
        .distinct()
        .select_related("lead_unit", "plan")
        .prefetch_related(Prefetch("cooperating_units", queryset=Unit.objects.order_by("name")))
        .order_by("plan_id", "paragraph", "clause")
    )
    led = [t for t in templates if t.lead_unit_id in owners]
    cooperating = [t for t in templates if t.lead_unit_id not in owners]
    return led, cooperating
