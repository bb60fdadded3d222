"""Keep guardian's object permissions in step with memberships, whoever changes them (admin, import, shell)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Membership


@receiver([post_save, post_delete], sender=Membership, dispatch_uid="departments.membership_permissions")
def membership_changed(sender, instance, **kwargs):
    from .services import sync_unit_permissions

    # In the same transaction as the membership change: both land or neither does.
    sync_unit_permissions(instance.user)
