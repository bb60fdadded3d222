"""Bounded uploads: a page that takes files declares how much it takes, and a request past that is refused with
413 before it is read in full.

``@bounded_upload(limit_of)`` on a view declares its ``UploadLimit`` (``limit_of`` is called per request, so the
limit follows the settings) and installs ``BoundedUploadHandler`` ahead of Django's own handlers. The handler
refuses a request whose Content-Length is already over the limit before reading a byte of it, and otherwise
counts the bytes of each file as they arrive: the chunk that would pass a file's limit, or the request's, is never
handed on, so Django's temporary file stays within the limit too. The refusal is the site's page
``templates/413.html`` with a Chinese message naming what is too big.

Why the decorator wraps ``csrf_protect`` in ``csrf_exempt``: the CSRF check reads ``request.POST``, which parses
the upload, so the handler must be in place before it runs (Django's documentation, "Modifying upload handlers
on the fly"). Pages without the decorator keep Django's defaults (``DATA_UPLOAD_MAX_MEMORY_SIZE``).

Whether a client that is still sending sees the 413 or a reset connection is up to the web server in front: see
README, "Bounded input".
"""

from dataclasses import dataclass
from functools import wraps

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt, csrf_protect

FIELDS_MARGIN = 1024 * 1024  # the text fields and each part's headers, on top of the files


def size_text(size):
    """ "20.0 MB", "300 KB", "512 字节"."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{size / 1024:.0f} KB" if size >= 1024 else f"{size} 字节"


@dataclass(frozen=True)
class UploadLimit:
    """What one request to a page may carry: ``files`` files of at most ``per_file`` bytes each."""

    per_file: int
    files: int
    noun: str  # how the page names its files, e.g. "附件"

    @property
    def request_bytes(self):
        return self.per_file * self.files + FIELDS_MARGIN

    def rule(self):
        """ "每个附件不超过 20.0 MB，一次最多 10 个"."""
        if self.files == 1:
            return f"{self.noun}不超过 {size_text(self.per_file)}"
        return f"每个{self.noun}不超过 {size_text(self.per_file)}，一次最多 {self.files} 个"


class UploadTooLarge(MultiPartParserError):
    """The request is over its page's limit. A ``MultiPartParserError``, so that Django marks the request's POST and
    FILES as empty instead of parsing the body again; ``message`` is Chinese, for the page."""

    def __init__(self, message):
        self.message = message
        super().__init__(message)


class BoundedUploadHandler(FileUploadHandler):
    """First of the request's upload handlers: passes each chunk on unless it takes a file or the request past
    the limit. It stores nothing itself."""

    def __init__(self, limit, request=None):
        super().__init__(request)
        self.limit = limit
        self.received = 0  # bytes of every file so far
        self.refusal = None

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length > self.limit.request_bytes:
            raise UploadTooLarge(
                f"这次上传共 {size_text(content_length)}，超过了本页 {size_text(self.limit.request_bytes)} 的上限"
                f"（{self.limit.rule()}）。"
            )

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if start + len(raw_data) > self.limit.per_file:
            limit = size_text(self.limit.per_file)
            self.refusal = f"文件“{self.file_name}”超过了 {limit} 的上限（{self.limit.rule()}）。"
        elif self.received > self.limit.per_file * self.limit.files:
            total = size_text(self.limit.per_file * self.limit.files)
            self.refusal = f"这次上传的文件合计超过了 {total} 的上限（{self.limit.rule()}）。"
        if self.refusal:
            # Django then closes (and so deletes) the files the other handlers began, reads no further and calls
            # upload_complete, which raises the refusal.
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) keeps the file

    def upload_complete(self):
        if self.refusal:
            raise UploadTooLarge(self.refusal)


def bounded_upload(limit_of):
    """Decorate a view that takes files: ``limit_of()`` is its ``UploadLimit``; over it, the answer is 413."""

    def decorate(view):
        protected = csrf_protect(view)

        @wraps(view)
        def bounded(request, *args, **kwargs):
            request.upload_handlers.insert(0, BoundedUploadHandler(limit_of(), request))
            try:
                return protected(request, *args, **kwargs)
            except UploadTooLarge as refused:
                return render(request, "413.html", {"message": refused.message}, status=413)

        return csrf_exempt(bounded)

    return decorate


class RequestSizeMiddleware:
    """The site-wide ceiling: a request that declares a body larger than ``REQUEST_MAX_BYTES`` (the largest page's
    limit: evidence) is answered 413 before anything reads it. Pages that take files declare their own, lower
    limits with ``bounded_upload``; the web server in front bounds requests that declare no length."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > settings.REQUEST_MAX_BYTES:
            message = f"这次提交共 {size_text(declared)}，超过了 {size_text(settings.REQUEST_MAX_BYTES)} 的上限。"
            return render(request, "413.html", {"message": message}, status=413)
        return self.get_response(request)
