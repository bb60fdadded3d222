from django.shortcuts import render
from viewflow.workflow.exceptions import FlowLockFailed


class FlowLockFailedMiddleware:
    """A viewflow lock held by someone else is "try again", never a 500 (LIBRARY-NOTES §4)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, FlowLockFailed):
            return render(request, "workflows/busy.html", status=409)
        return None
