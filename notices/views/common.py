"""Helpers shared by the notice views."""

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme

from ..channels import CHANNELS

PAGE_SIZE = 25
DATE_FORMAT = "Y年n月j日"


def safe_url(request, url, default):
    """``url`` if it is a path of this site that leads to a page (``/…``, resolved by the URL map), else
    ``default``. Never a view name or other text: ``redirect()`` would try to reverse it and fail."""
    if not isinstance(url, str) or not url.startswith("/") or url.startswith("//"):
        return default
    allowed = {request.get_host(), *settings.ALLOWED_HOSTS}
    if not url_has_allowed_host_and_scheme(url, allowed, require_https=request.is_secure()):
        return default
    try:
        resolve(urlsplit(url).path)
    except Resolver404:
        return default
    return url


def label_channels(deliveries):
    """Give each delivery the Chinese name of its channel (``channel_label``)."""
    for delivery in deliveries:
        channel = CHANNELS.get(delivery.channel)
        delivery.channel_label = channel.label if channel else delivery.channel
    return deliveries


def add_service_errors(form, error):
    """A service's refusal, shown at the top of the form."""
    for message in error.messages:
        form.add_error(None, message)
