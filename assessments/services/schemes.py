"""The year's scoring scheme, edited by the organisation department."""

from django.db import transaction

from departments import access

from .runs import MANAGERS_ONLY


@transaction.atomic
def save_scheme(by, form):
    """Save a valid ``SchemeForm`` (its fields and counted periods) as the year's scheme, recording who changed it.

    A draft run keeps its results until it is recomputed; published runs keep the parameters they were
    computed with. A computation in progress holds the scheme's row, so the save waits for it."""
    access.require(access.manages_assessment(by), MANAGERS_ONLY)
    scheme = form.save(commit=False)
    scheme.updated_by = by
    scheme.save()
    form.save_m2m()
    return scheme
