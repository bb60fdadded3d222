"""A form fuzzer: every form every persona can reach, submitted with hostile values.

It walks the permission table's URLs (and, as a superuser, the admin's add pages), reads every ``<form>`` each
persona is shown, and submits hostile variants of it: empty, 10,000 characters, NUL bytes, ``<script>``, SQL-ish
text, numbers out of range and negative, impossible dates, ids that do not exist or belong to another unit, files
of the wrong kind. For every submission: no 5xx, the script never comes back as markup, and a refused submission
(anything but a redirect after success) writes nothing. Each submission runs in a savepoint rolled back after it,
so one variant never prepares the ground for the next.

The figures (forms × variants, per persona) are printed at the end of the run (``-s``) and asserted non-trivial.
"""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .test_permission_table import (
    ANONYMOUS,
    EVERYONE,
    ROWS,
    build_world,
    built_once,
    fresh,
    writes,
)

SCRIPT = '<script>alert("fuzz")</script>'
VARIANTS = {
    "empty": "",
    "long": "长" * 10_000,
    "nul": "a\x00b",
    "script": SCRIPT,
    "sql": "' OR 1=1; DROP TABLE departments_unit; --",
    "huge_number": "99999999999999999999999",
    "negative": "-1",
    "impossible_date": "2026-02-30",
    "missing_id": "999999999",
    "other_units_id": None,  # filled in from the world: the stranger unit's and its item's ids
}
# Files posted wherever a form takes one: an executable named .pdf, and an empty spreadsheet.
WRONG_FILES = {
    "nul": ("报告.pdf", b"MZ\x90\x00\x03\x00\x00\x00"),
    "script": ("<script>.xlsx", SCRIPT.encode()),
}
# Field names the test client or Django sets itself.
SKIPPED_FIELDS = {"csrfmiddlewaretoken"}
# Where a refused form may still write: the audit trail's records of refusals and failed logins, axes' counts.
ALLOWED_WRITES = re.compile(r"\b(audit_\w+|axes_\w+|django_session)\b", re.IGNORECASE)
FINDINGS_FORMAT = "{persona} POST {action} [{variant}]: {problem}"


class FormsParser(HTMLParser):
    """Every <form>: its method, action and fields (name → kind, and the choices of a select)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(
                {"method": (attrs.get("method") or "get").lower(), "action": attrs.get("action"), "fields": {}}
            )
        elif self.forms and tag in ("input", "textarea", "select") and attrs.get("name"):
            kind = attrs.get("type", "text") if tag == "input" else tag
            self.forms[-1]["fields"][attrs["name"]] = {"kind": kind, "multiple": "multiple" in attrs}
            if tag == "select":
                self._select = attrs["name"]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def forms_of(html):
    parser = FormsParser()
    parser.feed(html)
    return parser.forms


def hostile_data(fields, variant, value):
    data, files = {}, {}
    for name, field in fields.items():
        if name in SKIPPED_FIELDS or field["kind"] in ("submit", "button", "image", "reset"):
            continue
        if field["kind"] == "file":
            name_and_bytes = WRONG_FILES.get(variant)
            if name_and_bytes:
                files[name] = SimpleUploadedFile(name_and_bytes[0], name_and_bytes[1])
            continue
        data[name] = [value] if field["multiple"] or field["kind"] == "checkbox" else value
    return data, files


def wrote(queries):
    return [sql for sql in writes(queries) if not ALLOWED_WRITES.search(sql)]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    def build():
        built = build_world()
        built["superuser"] = get_user_model().objects.create_superuser("fuzz-root", password="pw-for-tests")
        return built

    yield from built_once(django_db_blocker, build)


def reachable_pages(context, persona):
    """The permission table's URLs this persona may GET (200); the admin's add pages for the superuser."""
    if persona == "superuser":
        from django.contrib import admin

        return [
            reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
            for model, model_admin in admin.site._registry.items()
        ]
    pages = []
    for (name, _which), (kwargs_builder, expected) in ROWS.items():
        if expected.get(persona) == 200 and not name.startswith(("assessments_api:", "notifications:")):
            kwargs = kwargs_builder(context) if kwargs_builder else {}
            pages.append(reverse(name, kwargs=kwargs))
    return sorted(set(pages))


PERSONAS = [p for p in EVERYONE if p != ANONYMOUS] + ["superuser"]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_no_form_answers_hostile_input_with_an_error_or_a_write(client, world, persona):
    people = fresh({**world["personas"], "superuser": world["superuser"]})
    user = people[persona]
    other = {"unit": world["units"]["stranger"].pk, "item": world["stranger_item"].pk}
    variants = {**VARIANTS, "other_units_id": str(other["item"])}
    client.raise_request_exception = False  # a 500 is a finding to report, with the others, not the end
    findings, submitted, seen_forms = [], 0, set()
    for page in reachable_pages(world, persona):
        client.force_login(user)
        response = client.get(page)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for form in forms_of(response.content.decode()):
            action = form["action"] or page
            if action.startswith(("http", "//", "javascript")) or action in ("/logout/",):
                continue
            key = (form["method"], action.split("?")[0], tuple(sorted(form["fields"])))
            if key in seen_forms:
                continue
            seen_forms.add(key)
            for variant, value in variants.items():
                data, files = hostile_data(form["fields"], variant, value)
                client.force_login(user)
                with transaction.atomic(), CaptureQueriesContext(connection) as queries:
                    if form["method"] == "post":
                        answer = client.post(action, {**data, **files})
                    else:
                        answer = client.get(action, {k: v for k, v in data.items()})
                    transaction.set_rollback(True)
                submitted += 1
                problems = []
                if answer.status_code >= 500:
                    problems.append(f"HTTP {answer.status_code}")
                body = answer.content.decode(errors="replace") if hasattr(answer, "content") else ""
                if SCRIPT in body:
                    problems.append("the script came back as markup")
                # Refused: an error status, or the form shown again with its errors (success redirects, or, for
                # a password reset, shows the new password without a form error).
                refused = answer.status_code >= 400 or (answer.status_code == 200 and "errorlist" in body)
                if refused and wrote(queries.captured_queries):
                    problems.append(f"refused ({answer.status_code}) yet wrote: {wrote(queries.captured_queries)[:2]}")
                if form["method"] == "get" and wrote(queries.captured_queries):
                    problems.append("a GET form wrote")
                findings += [
                    FINDINGS_FORMAT.format(persona=persona, action=action, variant=variant, problem=problem)
                    for problem in problems
                ]
    print(
        f"\nfuzzer [{persona}]: {len(seen_forms)} forms × {len(variants)} variants = {submitted} submissions, "
        f"{len(findings)} findings"
    )
    assert submitted >= len(variants), "the fuzzer found no form to submit"
    assert findings == []
