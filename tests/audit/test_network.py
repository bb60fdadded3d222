"""The client's address: REMOTE_ADDR, or behind N trusted proxies the N-th X-Forwarded-For entry from the right."""

import pytest
from django.test import RequestFactory, override_settings

from audit.network import client_address


def request(remote="192.0.2.1", forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_without_proxies_the_header_is_not_believed():
    assert client_address(request(forwarded="203.0.113.5")) == "192.0.2.1"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # what the client wrote first is ignored
        (2, "6.6.6.6, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (2, "203.0.113.5", "203.0.113.5"),  # a shorter header: its leftmost entry, written by a trusted proxy
        (1, "203.0.113.5:51234", "203.0.113.5"),
        (1, "[2001:db8::1]:443", "2001:db8::1"),
        (1, "2001:db8::1", "2001:db8::1"),
        (1, "not-an-address", "192.0.2.1"),
        (1, "", "192.0.2.1"),
        (1, None, "192.0.2.1"),
    ],
)
def test_behind_trusted_proxies(proxies, forwarded, expected):
    with override_settings(TRUSTED_PROXY_COUNT=proxies):
        assert client_address(request(forwarded=forwarded)) == expected


def test_a_request_without_an_address():
    bare = RequestFactory().get("/")
    del bare.META["REMOTE_ADDR"]

    assert client_address(bare) is None
