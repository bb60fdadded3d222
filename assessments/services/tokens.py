"""API tokens for the organisation department's own systems: issued by a command, checked on every API call.

Only a token's SHA-256 digest is kept; the key is returned once, by ``issue_token``. ``token_user`` finds the
person a key acts as and records when the token was last used, at most once a minute (an API client polling
every second must not turn every read into a write).
"""

import secrets
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from ..models import ApiToken

LAST_USED_GRANULARITY = timedelta(minutes=1)


def issue_token(user, name):
    """Make a token acting as ``user``; returns the key, which is not stored and cannot be shown again."""
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, digest=ApiToken.digest_of(key), prefix=key[:8])
    return key


def token_user(key, now=None):
    """The active person an active token's ``key`` acts as, or None."""
    key = (key or "").strip()
    if not key:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.digest_of(key), active=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = now or timezone.now()
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_GRANULARITY)
    ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now)
    return token.user
