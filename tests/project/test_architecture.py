"""The codebase's own rules, checked on the source: who may do what is asked of ``departments.access`` only.

(The app graph itself — departments ← workflows ← notices/assessments/indicators ← board/pages/demo — is
checked by import-linter in ``make lint``: see ``[tool.importlinter]`` in pyproject.toml.)
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

from departments.context_processors import CAPABILITIES

ROOT = Path(settings.BASE_DIR)
# The project's own apps (the installed ones whose package is in the repository) and outputs, which has no models.
APPS = [app for app in settings.INSTALLED_APPS if "." not in app and (ROOT / app / "__init__.py").exists()]
APPS.append("outputs")
ACCESS_MODULE = ROOT / "departments" / "access.py"
ROLE_TABLE = ROOT / "departments" / "roles.py"  # grants the permissions the predicates ask for

PERMISSION_CHECK = re.compile(r"\.has_perms?\(|permission_required|get_objects_for_user|with_object_permission")


def permission_names():
    """Every "app_label.codename" the installed models define (defaults and Meta.permissions)."""
    from django.apps import apps

    names = set()
    for model in apps.get_models():
        meta = model._meta
        names.update(f"{meta.app_label}.{action}_{meta.model_name}" for action in meta.default_permissions)
        names.update(f"{meta.app_label}.{codename}" for codename, _name in meta.permissions)
    return names


PERMISSION_STRING = re.compile(
    r"[\"'](" + "|".join(re.escape(name) for name in sorted(permission_names(), key=len, reverse=True)) + r")[\"']"
)


def app_sources():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_the_apps_exist_where_the_rules_look():
    assert all((ROOT / app / "__init__.py").exists() for app in APPS)
    assert ACCESS_MODULE in set(app_sources())


@pytest.mark.parametrize("path", list(app_sources()), ids=lambda path: str(path.relative_to(ROOT)))
def test_no_module_but_the_access_module_checks_a_permission(path):
    if path in (ACCESS_MODULE, ROLE_TABLE):
        return
    text = path.read_text(encoding="utf-8")
    assert not PERMISSION_CHECK.findall(text), "ask departments.access instead"
    assert not PERMISSION_STRING.findall(text), "name the capability in departments.access instead"


def test_the_permission_check_would_be_caught():
    """The two patterns above do find what they forbid (a companion test: the rule can fail)."""
    assert PERMISSION_CHECK.search('if user.has_perm("workflows.assign_item"):')
    assert PERMISSION_CHECK.search("@permission_required(IMPORT, raise_exception=True)")
    assert PERMISSION_STRING.search('READ = "indicators.view_selfevaluationreport"')
    assert not PERMISSION_STRING.search('"workflows:item_detail"')


def templates():
    return sorted((ROOT / "templates").rglob("*.html"))


def test_templates_ask_can_never_perms():
    for path in templates():
        text = path.read_text(encoding="utf-8")
        for forbidden in ("perms.", "is_staff", "is_superuser"):
            assert forbidden not in text, path


def test_every_capability_a_template_asks_for_exists():
    asked = {
        (path.relative_to(ROOT), name)
        for path in templates()
        for name in re.findall(r"\bcan\.(\w+)", path.read_text(encoding="utf-8"))
    }
    assert asked, "templates ask can.<capability>"
    unknown = {(str(path), name) for path, name in asked if name not in CAPABILITIES}
    assert unknown == set()


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|javascript:", re.IGNORECASE)


def test_templates_hold_no_inline_script_the_content_security_policy_would_block():
    """script-src 'self': behaviours are data attributes read by static/site.js, never inline code."""
    for path in templates():
        assert not INLINE_SCRIPT.findall(path.read_text(encoding="utf-8")), path
    assert INLINE_SCRIPT.search('<button onclick="x()">')  # the rule can fail
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/site.js" defer></script>')


@pytest.mark.django_db
def test_pages_carry_the_content_security_policy(client, django_user_model):
    user = django_user_model.objects.create_user("someone", password="pw-for-tests")
    client.force_login(user)
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
