"""The address a request came from: one answer for the lockout (django-axes), the audit trail and auditlog.

Without a proxy (``TRUSTED_PROXY_COUNT=0``, the default) it is ``REMOTE_ADDR``, and ``X-Forwarded-For`` is ignored:
anyone can send that header. Behind N proxies that each append the address they received from to
``X-Forwarded-For`` (nginx: ``proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;``), it is the N-th entry
from the right: the one the outermost trusted proxy wrote. Entries left of it came from the client and are not
believed. A header shorter than N (a request that bypassed a proxy) gives its leftmost entry; anything that is not an
IP address gives ``REMOTE_ADDR``. README, "Security".
"""

import ipaddress

from django.conf import settings


def _ip(text):
    text = (text or "").strip()
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # 203.0.113.7:51234
        text = text.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def client_address(request):
    """The client's IP address as a string, or None when the request has none (the test client's ``login``)."""
    remote = _ip(request.META.get("REMOTE_ADDR"))
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [entry for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()]
    if not forwarded:
        return remote
    return _ip(forwarded[-proxies] if len(forwarded) >= proxies else forwarded[0]) or remote
