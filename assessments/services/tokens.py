"""API tokens for the organisation department's own systems: issued on the department's page (or by a command),
revoked there, checked on every API call.

Only a token's SHA-256 digest is kept; the key is returned once, by ``issue_token``. ``token_user`` finds the
person a key acts as and records when the token was last used, at most once a minute (an API client polling
every second must not turn every read into a write).
"""

import secrets
import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from departments import access
from departments.backends import is_demo_account

from ..models import ApiToken

LAST_USED_GRANULARITY = timedelta(minutes=1)


def issue_token(user, name):
    """Make a token acting as ``user``; returns the key, which is not stored and cannot be shown again."""
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, digest=ApiToken.digest_of(key), prefix=key[:8])
    return key


TOKENS_REFUSED = "只有县委组织部（考核办）可以管理 API 令牌。"


def issue_own_token(requester, name):
    """The department's page: a token acting as ``requester`` (who must manage the assessment); returns the key."""
    access.require(access.manages_api_tokens(requester), TOKENS_REFUSED)
    return issue_token(requester, name)


@transaction.atomic
def revoke_token(requester, token):
    """Switch ``token`` off for good (kept, with its name and last use, for the record). Returns False if it already
    was."""
    access.require(access.manages_api_tokens(requester), TOKENS_REFUSED)
    return ApiToken.objects.filter(pk=token.pk, active=True).update(active=False) == 1


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
    if not settings.DEBUG and is_demo_account(token.user):
        return None  # as the login refuses the demo accounts in production, so does the API
    now = now or timezone.now()
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_GRANULARITY)
    ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now)
    return token.user


class RateLimited(Exception):
    def __init__(self, retry_after):
        super().__init__(f"retry after {retry_after} s")
        self.retry_after = retry_after


def count_request(key, now=None):
    """Count one request of the token ``key`` in the current minute; RateLimited past ``API_REQUESTS_PER_MINUTE``.

    A fixed window in the cache (Redis in production, so every web process counts together): the organisation
    department's system polls now and then; a runaway loop is stopped, not the database."""
    now = now if now is not None else time.time()
    window = int(now // 60)
    name = f"api-rate:{ApiToken.digest_of(key.strip())[:32]}:{window}"
    cache.add(name, 0, timeout=120)
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, timeout=120)
        count = 1
    if count > settings.API_REQUESTS_PER_MINUTE:
        raise RateLimited(retry_after=max(1, 60 - int(now % 60)))
