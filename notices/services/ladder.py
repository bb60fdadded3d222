"""The government office keeps the escalation ladder: adds and edits rungs, and removes them.

A rung that has already sent notices is kept (its notices name it, and their unique key holds the rung) and only
switched off; one that has sent nothing is deleted.
"""

from django.db import transaction

from departments import access

from ..models import Notice, Rung

REFUSED = "只有县政府办公室可以维护催办阶梯。"


@transaction.atomic
def save_rung(user, form):
    """Save a valid ``RungForm`` (a new rung or an edited one); returns the rung."""
    access.require(access.maintains_ladder(user), REFUSED)
    return form.save()


@transaction.atomic
def remove_rung(user, rung):
    """Delete ``rung``, or switch it off if it has sent notices. Returns "deleted" or "deactivated"."""
    access.require(access.maintains_ladder(user), REFUSED)
    rung = Rung.objects.select_for_update().get(pk=rung.pk)
    if Notice.objects.filter(rung=rung).exists():
        if rung.active:
            rung.active = False
            rung.save(update_fields=["active"])
        return "deactivated"
    rung.delete()
    return "deleted"
