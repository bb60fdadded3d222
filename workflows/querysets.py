"""Permission-aware and board queries: every list runs a fixed number of queries whatever its length."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Case, Count, Prefetch, Q, Value, When
from django.utils import timezone

from departments import access
from departments.models import Unit

GREEN, YELLOW, RED, GREY = "green", "yellow", "red", "grey"
LIGHT_LABELS = {GREEN: "正常", YELLOW: "临期", RED: "逾期", GREY: "已结束"}


def warning_days():
    return getattr(settings, "TASKBOARD_WARNING_DAYS", 7)


class DutyItemQuerySet(models.QuerySet):
    def for_user(self, user):
        """Items the user may see: every item for the cross-unit roles; otherwise those their units own or
        cooperate on, a township's collective (各乡镇（街道）) counting as its own (``departments.access``).
        The only way views list items."""
        if not access.is_signed_in(user):
            return self.none()
        if access.sees_every_item(user):
            return self
        units = access.visible_unit_ids(user)
        # An OR with a subquery: PostgreSQL tests it row by row (a hashed subplan), along the period index when
        # the board asks for a period (issue 15 measured the alternatives: bench/README.md, pages.py).
        return self.filter(Q(unit_id__in=units) | Q(pk__in=self._cooperated_on_by(units)))

    def cooperated_on_by(self, user):
        """Items one of the user's units (or its collective) cooperates on and none of them owns."""
        units = access.visible_unit_ids(user) if access.is_signed_in(user) else frozenset()
        return self.filter(pk__in=self._cooperated_on_by(units)).exclude(unit_id__in=units)

    def _cooperated_on_by(self, unit_ids):
        through = self.model.cooperating_units.through
        return through.objects.filter(unit_id__in=unit_ids).order_by().values("dutyitem_id")

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

    def of_light(self, light, today=None):
        """The items of one light, as conditions an index can answer (``with_light``'s CASE cannot): the board's
        pages read each light in deadline order along the partial indexes on open and on finished items."""
        today = today or timezone.localdate()
        if light == GREY:
            return self.filter(stage__in=self.model.FINISHED_STAGES)
        items = self.filter(stage__in=self.model.OPEN_STAGES)
        if light == RED:
            return items.filter(deadline__lt=today)
        if light == YELLOW:
            return items.filter(deadline__gte=today, deadline__lte=today + timedelta(days=warning_days()))
        return items.filter(deadline__gt=today + timedelta(days=warning_days()))

    def for_list(self):
        return self.select_related("unit", "template", "period", "assignee").prefetch_related(
            Prefetch("cooperating_units", queryset=Unit.objects.order_by("name"))
        )

    def light_counts(self):
        counts = dict(self.order_by().values_list("light").annotate(n=Count("pk")))
        return {light: counts.get(light, 0) for light in (GREEN, YELLOW, RED, GREY)}


def duty_templates_for_unit(unit):
    """Active templates the unit (or a collective it belongs to) leads or cooperates on.

    Returns (led, cooperating), each a list in document order.
    """
    from .models import DutyTemplate

    owners = access.with_collectives({unit.pk})  # a township carries 各乡镇（街道）'s duties
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
