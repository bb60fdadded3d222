"""The site's error pages, in Chinese, wherever a person can land: 404, 403, 405 and 500.

- ``handler404``/``handler403``/``handler500`` (taskboard/urls.py): the templates ``404.html`` etc., or a JSON body
  with a Chinese message under ``/api/`` (the API's clients read JSON, never an HTML page).
- ``ErrorPagesMiddleware``: a bare 405 (Django's ``require_http_methods``, a library's view) gets ``405.html``; and
  with DEBUG on (the quick start, ``make demo``) the product's own 404 and 500 pages are shown instead of Django's
  technical pages, which list the URL patterns and settings. ``TECHNICAL_ERROR_PAGES=true`` brings those back for
  a developer.
"""

import logging

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import get_urlconf, is_valid_path

from departments import access

logger = logging.getLogger("django.request")

API_PREFIX = "/api/"
MESSAGES = {
    403: "没有权限进行此操作。",
    404: "没有这个接口：可用的是 /api/assessments/ 和 /api/assessments/<年度>/。",
    405: "不支持这种请求方法。",
    500: "服务器内部错误，已记录在日志中，请稍后再试。",
}


def is_api(request):
    return request.path.startswith(API_PREFIX)


def _page(request, status, template, reason=""):
    if is_api(request):
        return JsonResponse(
            {"error": reason or MESSAGES[status]}, status=status, json_dumps_params={"ensure_ascii": False}
        )
    return render(request, template, {"reason": reason}, status=status)


def page_not_found(request, exception=None):
    return _page(request, 404, "404.html")


def permission_denied(request, exception=None):
    """The reason is shown when it was written for the person (``access.Refused``); others' (Django's, a library's)
    stay out of the page."""
    reason = str(exception) if isinstance(exception, access.Refused) else ""
    return _page(request, 403, "403.html", reason)


def server_error(request):
    if is_api(request):
        return _page(request, 500, "500.html")
    return render(request, "500.html", status=500)  # stands alone: nothing in it can fail again


def method_not_allowed(request, refused):
    response = _page(request, 405, "405.html")
    if refused.has_header("Allow"):
        response["Allow"] = refused["Allow"]
    return response


# Exceptions Django answers with a 4xx page of its own, also with DEBUG on.
CLIENT_ERRORS = (PermissionDenied, BadRequest, SuspiciousOperation)


class ErrorPagesMiddleware:
    """Chinese pages for a bare 405, and for 404 and 500 also with DEBUG on (see the module's docstring).

    Sits after the authentication middleware (the pages show who is signed in) and inside CommonMiddleware, whose
    APPEND_SLASH still turns a 404 for ``/board`` into a redirect to ``/board/``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def hides_technical_pages():
        return settings.DEBUG and not settings.TECHNICAL_ERROR_PAGES

    def __call__(self, request):
        if self.hides_technical_pages() and not is_valid_path(request.path_info, get_urlconf()):
            return page_not_found(request)  # with DEBUG, Django would list every URL pattern
        response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            return method_not_allowed(request, response)
        return response

    def process_exception(self, request, exception):
        if not self.hides_technical_pages() or isinstance(exception, CLIENT_ERRORS):
            return None
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        logger.error("Internal Server Error: %s", request.path, exc_info=exception, extra={"request": request})
        return server_error(request)
