"""Keep guardian's object permissions in step with memberships, whoever changes them (admin, import, shell)."""

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Membership


@receiver([post_save, post_delete], sender=Membership, dispatch_uid="departments.membership_permissions")
def membership_changed(sender, instance, **kwargs):
    from .services import sync_unit_permissions

    # In the same transaction as the membership change: both land or neither does.
    sync_unit_permissions(instance.user)


@receiver(user_logged_in, dispatch_uid="departments.password_change_required")
def note_a_required_password_change(sender, request, user, **kwargs):
    """Looked up once, at login; the session then carries it (no query on every request)."""
    from .middleware import SESSION_KEY
    from .services import must_change_password

    if request is not None and hasattr(request, "session") and must_change_password(user):
        request.session[SESSION_KEY] = True
