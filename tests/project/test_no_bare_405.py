"""No page of the app answers a GET with a bare 405: every POST-only URL sends a GET to the page it belongs to.

The POST-only views are found in the URL map (``django.urls.get_resolver()``) by reading their decorators:
``require_POST``/``require_http_methods`` keep their list of methods in a closure, ``departments.http.post_only``
says ``allowed_methods``, a class-based view lists ``http_method_names``. So a new POST-only URL is found here
without anyone remembering to add it; it needs a row in the permission table (its sample arguments) and a
``post_only(...)`` with the page to go to.
"""

import pytest
from django.contrib.auth.views import LogoutView
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from departments.http import post_only

from ..conftest import built_once, fresh
from .test_permission_table import ANONYMOUS, POST_TABLE, TABLE, build_world

HTTP_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"}


def _methods_in(value):
    if isinstance(value, (list, tuple, set, frozenset)) and value:
        if all(isinstance(method, str) and method.upper() in HTTP_METHODS for method in value):
            return {method.upper() for method in value}
    return None


def accepted_methods(view):
    """The HTTP methods ``view`` lets through, from its decorators down to the function; None: any method."""
    accepted = None
    while view is not None:
        found = _methods_in(getattr(view, "allowed_methods", None))
        view_class = getattr(view, "view_class", None)
        if view_class is not None:
            found = _methods_in(list(view_class.http_method_names))
        for cell in getattr(view, "__closure__", None) or ():
            try:
                found = _methods_in(cell.cell_contents) or found
            except ValueError:  # an empty cell
                continue
        if found is not None:
            accepted = found if accepted is None else accepted & found
        view = getattr(view, "__wrapped__", None)
    return accepted


def is_post_only(view):
    methods = accepted_methods(view)
    return methods is not None and "POST" in methods and not methods & {"GET", "HEAD"}


def url_map(patterns=None, namespace=""):
    """(name or None, view) of every URL outside the admin (which has its own pages and tests)."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            child = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_map(pattern.url_patterns, child)
        elif isinstance(pattern, URLPattern):
            yield (f"{namespace}{pattern.name}" if pattern.name else None), pattern.callback


POST_ONLY_URLS = sorted(name or "<unnamed>" for name, view in url_map() if is_post_only(view))


# --- the detector finds what it must (a companion check: it can fail) ----------------------------------------------


def _view(request):
    raise AssertionError("not called")


def test_the_detector_reads_every_way_of_refusing_a_get():
    assert is_post_only(require_POST(_view))
    assert is_post_only(require_http_methods(["POST"])(_view))
    assert is_post_only(post_only("home")(_view))
    assert is_post_only(LogoutView.as_view())
    assert not is_post_only(_view)
    assert not is_post_only(require_safe(_view))
    assert not is_post_only(require_http_methods(["GET", "POST"])(_view))


def test_the_url_map_has_post_only_urls_of_every_app_and_of_the_library():
    assert "<unnamed>" not in POST_ONLY_URLS, "a POST-only URL needs a name and a row in the permission table"
    for name in ["workflows:item_report", "workflows:item_inspect", "board:bulk", "logout", "notifications:delete"]:
        assert name in POST_ONLY_URLS
    assert len(POST_ONLY_URLS) >= 30


def test_a_plain_require_post_view_would_answer_405():
    """What every POST-only URL did before ``post_only``: the empty 405 a browser shows as "HTTP ERROR 405"."""
    request = RequestFactory().get("/")
    assert require_POST(_view)(request).status_code == 405


# --- every POST-only URL of the map, asked with a GET ---------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    yield from built_once(django_db_blocker, build_world)


def person_with_access(name):
    """A persona whose empty POST is taken up (not refused with 403 or 404), from the permission table; else the
    government office, which sees every unit (an empty POST names nothing for some URLs: 404 for everyone)."""
    statuses = POST_TABLE[name][1] if name in POST_TABLE else {}
    allowed = (persona for persona, status in statuses.items() if persona != ANONYMOUS and status not in (403, 404))
    return next(allowed, "government_office")


@pytest.mark.parametrize("name", POST_ONLY_URLS)
def test_a_get_of_a_post_only_url_goes_to_its_page(client, world, db, name):
    assert name in TABLE, f"{name}: add it to the permission table (tests/project/test_permission_table.py)"
    builder, _expected = TABLE[name]
    url = reverse(name, kwargs=builder(world) if builder else {})
    persona = person_with_access(name)
    client.force_login(fresh(world["personas"])[persona])

    response = client.get(url)

    assert response.status_code == 302, f"GET {url} as {persona}: {response.status_code}"
    target = response.url.split("?", 1)[0]
    assert target != url
    resolve(target)  # a page of the site
    landed = client.get(response.url)
    assert landed.status_code in (200, 302, 403, 404), f"{url} → {response.url}: {landed.status_code}"
    assert client.head(url).status_code == 302


def test_a_reload_after_a_failed_inspection_goes_back_to_the_item(client, world, db):
    item = world["item"]
    client.force_login(fresh(world["personas"])["inspector"])
    url = reverse("workflows:item_inspect", args=[item.pk])
    assert client.post(url, {}).status_code == 400  # the form's errors, shown at the POST address
    response = client.get(url)  # the address bar reloaded
    assert response.status_code == 302
    assert response.url == item.get_absolute_url()
    assert client.get(response.url).status_code == 200


def test_other_methods_get_the_chinese_405_page(client, world, db):
    client.force_login(fresh(world["personas"])["own_liaison"])
    for method, url in [
        ("put", reverse("workflows:item_report", args=[world["item"].pk])),  # post_only
        ("post", reverse("board:mine")),  # require_safe
        ("delete", reverse("notifications:delete", args=[world["notification"].pk])),  # the library's require_POST
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 405, url
        assert "不支持此操作" in response.content.decode(), url
        assert response.has_header("Allow")
