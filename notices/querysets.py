"""Permission-aware queries of the notice models (the pages' composed reads are in ``notices.reads``)."""

from django.db import models
from django.db.models import F

from departments import access


class CircularQuerySet(models.QuerySet):
    def for_user(self, user):
        """Published circulars for everyone signed in; drafts too for the office, which writes them."""
        if not access.is_signed_in(user):
            return self.none()
        if access.is_office(user):
            return self
        return self.filter(status=self.model.Status.PUBLISHED)

    def for_list(self):
        """Drafts first, then the newest published."""
        return self.select_related("period", "created_by").order_by(
            F("published_at").desc(nulls_first=True), "-created_at", "-pk"
        )
