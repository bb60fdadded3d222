"""Who changes what from where, and every denied access.

``AuditMiddleware`` gives auditlog the request's person and address (``audit.network``: the same address the
lockout uses; auditlog's own middleware would believe any ``X-Forwarded-For``), and records the refusals:
every 403, and every 404 on a URL that names an object (an ``<int:…>`` in its pattern: another unit's item, a
circular not yet published). Static files, uploads and the notifications library's polling are not recorded.
"""

from auditlog.context import set_extra_data
from django.conf import settings

from . import services
from .network import client_address


def _actor(request):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def names_an_object(match):
    return match is not None and any(isinstance(value, int) for value in (*match.args, *match.kwargs.values()))


def is_denied_access(request, response):
    if response.status_code not in (403, 404):
        return False
    if request.path.startswith((settings.STATIC_URL, settings.MEDIA_URL)):
        return False
    match = getattr(request, "resolver_match", None)
    if match is not None and match.namespace == "notifications" and match.url_name.startswith("live_"):
        return False
    return response.status_code == 403 or names_an_object(match)


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        context = {"actor": _actor(request), "remote_addr": client_address(request), "remote_port": None}
        with set_extra_data(context_data=context):
            response = self.get_response(request)
        if is_denied_access(request, response):
            services.record_denied(request, response.status_code)
        return response
