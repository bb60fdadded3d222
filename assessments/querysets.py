"""Who sees which results (plan section 四(四)): the organisation department sees every run, drafts included; it
and the government office see every unit's published results; a unit's own people (liaison, leader, head) see
their unit's published scores and lines; nobody else sees any."""

from django.db import models

from departments import access


class AssessmentRunQuerySet(models.QuerySet):
    def for_user(self, user):
        """The runs a person may open as a whole (the ranking)."""
        if access.manages_assessment(user):
            return self
        if access.sees_every_assessment_result(user):
            return self.exclude(status=self.model.Status.DRAFT)
        return self.none()


class UnitScoreQuerySet(models.QuerySet):
    def for_user(self, user):
        """The unit scores a person may open: every score of the runs they may open, and their own units'
        scores in published (or superseded) runs."""
        from .models import AssessmentRun

        if not access.is_signed_in(user):
            return self.none()
        runs = AssessmentRun.objects.for_user(user).values("pk")
        own = models.Q(unit_id__in=access.own_unit_ids(user)) & ~models.Q(run__status=AssessmentRun.Status.DRAFT)
        return self.filter(models.Q(run__in=runs) | own)
