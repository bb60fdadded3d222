"""Permission-aware queries of the indicator models (the pages' composed reads are in ``indicators.reads``)."""

from django.db import models

from departments import access


class SchoolProfileQuerySet(models.QuerySet):
    def for_user(self, user):
        """Every school for the cross-unit roles; a school's own people (liaison, leader, head) see their school."""
        if not access.is_signed_in(user):
            return self.none()
        if access.sees_every_school(user):
            return self
        return self.filter(unit_id__in=access.own_unit_ids(user))


class SelfEvaluationReportQuerySet(models.QuerySet):
    def for_user(self, user):
        """Every report for the cross-unit roles, which read and download them; nobody else sees any."""
        return self if access.reads_self_evaluation_reports(user) else self.none()
