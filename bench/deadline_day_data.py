"""The deadline-day bench's data: the background items, the 200 liaisons with an item due today and their open
sessions, and the row-by-row check of what the load test wrote. Used by ``bench/deadline_day.py``.

Runs inside the bench's own Django (``taskboard.settings_test`` on the bench database, see ``bench/common.py``),
with the same SECRET_KEY as the gunicorn under test: sessions are signed and carry an HMAC of the password hash.
"""

import hashlib
import secrets
import time
from argparse import Namespace
from collections import Counter
from datetime import timedelta
from pathlib import Path

from escalation import item_rows
from fill import empty_outbox_and_items, fill_items, make_people, make_periods

LIAISON_PREFIX = "bench-morning-"
# What the production settings use (taskboard.settings sets no PASSWORD_HASHERS: Django's default list). The
# bench's own process runs settings_test, whose hasher is MD5: the hash is made with this one explicitly.
PRODUCTION_HASHER = "django.contrib.auth.hashers.PBKDF2PasswordHasher"
SESSION_BACKEND = "departments.backends.TaskboardModelBackend"
# A small, valid PDF: the evidence check sniffs the content, not the name.
SMALL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n" + b"%" + b"x" * 1500 + b"\n"
)


def fill_background(items, overdue, units, years, seed, plan, today):
    """Empty the items and outbox, then COPY ``items`` background items (the escalation bench's helpers)."""
    from django.db import transaction
    from viewflow.workflow.fields import get_flow_ref

    from workflows.flows import DutyFlow

    started = time.perf_counter()
    with transaction.atomic():
        empty_outbox_and_items()
        unit_rows = make_people(units)
        periods = make_periods(plan, years, today)
        args = Namespace(items=items, due=0, overdue=overdue, seed=seed)
        fill_items(item_rows(args, unit_rows, periods, today), get_flow_ref(DutyFlow))
    return unit_rows, periods, time.perf_counter() - started


def production_hasher():
    from django.utils.module_loading import import_string

    return import_string(PRODUCTION_HASHER)()


def production_password_hash(password):
    hasher = production_hasher()
    return hasher.encode(password, hasher.salt())


def make_liaisons(count, units, password):
    """``count`` liaisons spread over ``units``, all with ``password`` hashed once by the production hasher."""
    from django.contrib.auth import get_user_model

    from departments.models import Membership
    from departments.services import add_member

    user_model = get_user_model()
    encoded = production_password_hash(password)
    liaisons = []
    for number in range(count):
        username = f"{LIAISON_PREFIX}{number:03d}"
        user, _ = user_model.objects.get_or_create(username=username, defaults={"email": f"{username}@bench.example"})
        add_member(user, units[number % len(units)], Membership.Role.LIAISON)
        liaisons.append(user)
    user_model.objects.filter(pk__in=[user.pk for user in liaisons]).update(password=encoded, is_active=True)
    for user in liaisons:
        user.password = encoded
    return liaisons


def office_user():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="bench-office-0")


def warm_up_user():
    """A liaison of the escalation bench's people (not one of the measured ones): the warm-up's board."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="bench-liaison-00-0")


def make_morning_items(liaisons, period, label, today):
    """One item per liaison due today, assigned to them and signed for (stage 办理中, the report task open):
    through the services, so viewflow's tasks are real. Returns {liaison pk: item pk}."""
    from workflows.models import DutyItem
    from workflows.services import create_ad_hoc_item, sign_item

    office = office_user()
    items = {}
    for user in liaisons:
        unit = user.memberships.first().unit
        item = create_ad_hoc_item(
            office,
            unit=unit,
            title=f"截止日材料报送（{label}）{user.username}",
            deadline=today,
            assignee=user,
            instructions="请于今日内填报进展并提交检查。",
        )
        sign_item(user, item)
        items[user.pk] = item.pk
    # On the board of the period in progress, as a duty of the year would be.
    DutyItem.objects.filter(pk__in=items.values()).update(period=period)
    return items


def open_sessions(liaisons):
    """A signed-in session per liaison, written to the session store as a login would (no password hashing)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.middleware.csrf import _get_new_csrf_string

    sessions = {}
    for user in liaisons:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = SESSION_BACKEND
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions[user.pk] = {"sessionid": store.session_key, "csrftoken": _get_new_csrf_string()}
    return sessions


def morning_plan(liaisons, items, sessions):
    return [
        {"username": user.username, "item": items[user.pk], **sessions[user.pk]}
        for user in sorted(liaisons, key=lambda u: u.username)
    ]


def login_plan(liaisons, password):
    return [{"username": user.username, "password": password} for user in sorted(liaisons, key=lambda u: u.username)]


def new_password():
    return "Bench-" + secrets.token_urlsafe(12)


def verify_morning(items, media_root):
    """Row by row: each liaison's note saved once with its one file (stored once, intact), each item submitted
    once. Returns (problems, summary counts)."""
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    from workflows.flows import DutyFlow
    from workflows.models import DutyItem, Evidence, ItemEvent, Report

    expected_digest = hashlib.sha256(SMALL_PDF).hexdigest()
    item_ids = list(items.values())
    notes = Counter()
    submissions = Counter()
    for item_id, kind, author_id in Report.objects.filter(item_id__in=item_ids).values_list(
        "item_id", "kind", "author_id"
    ):
        (notes if kind == Report.Kind.PROGRESS else submissions)[(item_id, author_id)] += 1
    evidence = Counter()
    problems = []
    for item_id, name, size in Evidence.objects.filter(report__item_id__in=item_ids).values_list(
        "report__item_id", "file", "size"
    ):
        evidence[item_id] += 1
        path = Path(media_root) / name
        if not path.is_file():
            problems.append(f"item {item_id}: evidence file {name} missing on disk")
        elif size != len(SMALL_PDF) or hashlib.sha256(path.read_bytes()).hexdigest() != expected_digest:
            problems.append(f"item {item_id}: evidence file {name} differs from what was uploaded")
    files_on_disk = Counter()
    for item_id in item_ids:
        folder = Path(media_root) / "evidence" / str(item_id)
        files_on_disk[item_id] = sum(1 for path in folder.rglob("*") if path.is_file()) if folder.exists() else 0
    events = Counter(
        ItemEvent.objects.filter(item_id__in=item_ids, kind=ItemEvent.Kind.SUBMITTED).values_list("item_id", flat=True)
    )
    stages = dict(DutyItem.objects.filter(pk__in=item_ids).values_list("pk", "stage"))
    report_tasks = Counter(
        Task.objects.filter(process_id__in=item_ids, flow_task=DutyFlow.report, status=STATUS.DONE).values_list(
            "process_id", flat=True
        )
    )
    tally = Counter()
    for user_id, item_id in items.items():
        checks = {
            "notes": notes[(item_id, user_id)],
            "evidence rows": evidence[item_id],
            "files on disk": files_on_disk[item_id],
            "submissions": submissions[(item_id, user_id)],
            "submitted events": events[item_id],
            "report tasks done": report_tasks[item_id],
        }
        for what, found in checks.items():
            if found == 1:
                tally[f"{what} ok"] += 1
            else:
                tally[f"{what} {'lost' if found == 0 else 'duplicated'}"] += 1
                problems.append(f"item {item_id}: {found} {what} (expected 1)")
        if stages.get(item_id) != DutyItem.Stage.INSPECTING:
            tally["not awaiting inspection"] += 1
            problems.append(f"item {item_id}: stage {stages.get(item_id)} (expected inspecting)")
    return problems, tally


def count_logins(usernames, since):
    """Successful logins the audit trail recorded for ``usernames`` since ``since``, and the users' last_login."""
    from django.contrib.auth import get_user_model

    logged = get_user_model().objects.filter(username__in=usernames, last_login__gte=since - timedelta(seconds=1))
    return logged.count()
