"""A file download: the response and the ``Content-Disposition`` header every browser reads."""

import re
from urllib.parse import quote

from django.http import HttpResponse

_NOT_PLAIN = re.compile(r"[^A-Za-z0-9._-]+")


def ascii_filename(filename, default_stem="download"):
    """The name for clients that ignore ``filename*``: ASCII letters, digits, ``.``, ``_``, ``-`` only.

    "任务清单-20261129.xlsx" becomes "20261129.xlsx"; a name with nothing ASCII in it becomes "download.xlsx".
    """
    stem, dot, extension = filename.rpartition(".")
    if not dot:
        stem, extension = filename, ""
    stem = _NOT_PLAIN.sub("-", stem).strip("-._") or default_stem
    extension = _NOT_PLAIN.sub("", extension)
    return f"{stem}.{extension}" if extension else stem


def content_disposition(filename, fallback=None):
    """An attachment header every browser reads: an ASCII name, and the real one per RFC 5987/6266."""
    fallback = ascii_filename(fallback or filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def attachment_response(content, *, content_type, filename, fallback=None):
    """``content`` (bytes) served as a download named ``filename``."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, fallback)
    return response


CHART_TYPES = {"svg": "image/svg+xml", "png": "image/png"}


def chart_response(content, fmt, *, filename, max_age=60):
    """A chart from ``outputs.charts``: SVG shown in the page (cached briefly, per user), PNG saved as ``filename``."""
    if fmt == "png":
        return attachment_response(content, content_type=CHART_TYPES[fmt], filename=filename)
    response = HttpResponse(content, content_type=CHART_TYPES[fmt])
    response["Cache-Control"] = f"private, max-age={max_age}"
    return response
