"""Every write of the audit trail: login and denied-access records, lifting a lockout, the retention purge.

auditlog writes the changes themselves (``audit.registry``); the person and address it records come from
``audit.middleware``.
"""

import logging
from datetime import timedelta

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from departments import access

from . import lockout
from .models import AccessEvent
from .network import client_address

log = logging.getLogger(__name__)


def _clean(text, length):
    return (text or "").replace("\x00", "")[:length]


def _request_fields(request):
    if request is None:
        return {}
    return {
        "address": client_address(request),
        "user_agent": _clean(request.META.get("HTTP_USER_AGENT"), 255),
        "method": _clean(request.method, 8),
        "path": _clean(request.path, 255),
    }


def record_login(request, user):
    """A successful login (``user_logged_in``)."""
    return AccessEvent.objects.create(
        kind=AccessEvent.Kind.LOGIN, user=user, username=user.get_username(), **_request_fields(request)
    )


def record_failed_login(request, credentials):
    """A failed login (``user_login_failed``): the username as typed, and its person if there is one. Attempts
    refused because of a lockout say so (axes marks the request before this runs)."""
    model = get_user_model()
    username = _clean(str((credentials or {}).get(model.USERNAME_FIELD) or ""), 150)
    person = model._default_manager.filter(**{model.USERNAME_FIELD: username}).first() if username else None
    locked = getattr(request, "axes_locked_out", False)
    return AccessEvent.objects.create(
        kind=AccessEvent.Kind.LOGIN_FAILED,
        user=person,
        username=username,
        detail="已锁定" if locked else "",
        **_request_fields(request),
    )


def record_denied(request, status):
    """A page refused (403), or an object's page not found for this person (404)."""
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    try:
        with transaction.atomic():
            return AccessEvent.objects.create(
                kind=AccessEvent.Kind.DENIED,
                user=user if signed_in else None,
                username=user.get_username() if signed_in else "",
                status=status,
                **_request_fields(request),
            )
    except Exception:  # the refusal itself must still reach the person; the failure goes to the log
        log.exception("could not record a denied access to %s", request.path)
        return None


@transaction.atomic
def unlock(by, *, username="", address="", request=None):
    """Lift the lockout of a person (their failures from every address) or of an address (for every person)."""
    access.require(access.unlocks_logins(by), "只有系统管理员可以解除登录锁定。")
    username, address = (username or "").strip(), (address or "").strip()
    if bool(username) == bool(address):
        raise ValidationError("请指定一个账号或一个网络地址。", code="target")
    cleared = lockout.reset(username=username, address=address)
    AccessEvent.objects.create(
        kind=AccessEvent.Kind.UNLOCKED,
        user=by,
        username=by.get_username(),
        detail=_clean(f"账号 {username}" if username else f"地址 {address}", 255),
        **_request_fields(request),
    )
    return cleared


def purge(days=None, now=None):
    """Delete the trail's rows older than ``days`` (AUDIT_RETENTION_DAYS): changes, logins, denied accesses.
    Returns {what: rows deleted}. Idempotent; beat runs it daily (audit.purge_trail)."""
    days = settings.AUDIT_RETENTION_DAYS if days is None else days
    if days < 1:
        raise ValueError("AUDIT_RETENTION_DAYS must be 1 or more")
    cutoff = (now or timezone.now()) - timedelta(days=days)
    with transaction.atomic():
        changes, _ = LogEntry.objects.filter(timestamp__lt=cutoff).delete()
        events, _ = AccessEvent.objects.filter(at__lt=cutoff).delete()
    return {"changes": changes, "events": events}
