"""A digest of what the plan's history holds, independent of database ids: the same seed gives the same digest.

Each table is read as rows of what it says (names, texts, dates, stages, scores, values), with every reference
to another row written as that row's natural key, sorted; the digest is the SHA-256 of them all. Ids,
password hashes and random tokens are left out: they differ between databases without the history differing.
"""

import hashlib
import json

from assessments.models import UnitScore
from indicators.models import IndicatorValue, SchoolYearFigures
from notices.models import Circular, Delivery, Notice, Urging
from workflows.models import DutyItem, Evidence, ExtensionRequest, HandBack, Inspection, ItemEvent, Report

ITEM = ("period__label", "title", "unit__name", "occurrence", "kind")


def _item(prefix):
    return tuple(f"{prefix}__{name}" for name in ITEM)


def digest_tables():
    """(name, queryset of values lists): the tables the digest reads."""
    return [
        (
            "items",
            DutyItem.objects.values_list(
                *ITEM, "stage", "deadline", "reworks", "signed_at", "submitted_at", "closed_at", "assignee__username"
            ),
        ),
        (
            "events",
            ItemEvent.objects.values_list(
                *_item("item"), "kind", "actor__username", "text", "created_at", "old_deadline", "new_deadline"
            ),
        ),
        (
            "reports",
            Report.objects.values_list(
                *_item("item"), "kind", "author__username", "unit__name", "text", "progress", "created_at"
            ),
        ),
        (
            "evidence",
            Evidence.objects.values_list(*_item("report__item"), "report__created_at", "original_name", "size"),
        ),
        (
            "inspections",
            Inspection.objects.values_list(
                *_item("item"), "inspector__username", "verdict", "reasons", "new_deadline", "created_at"
            ),
        ),
        (
            "extensions",
            ExtensionRequest.objects.values_list(
                *_item("item"), "requested_deadline", "status", "decided_at", "created_at"
            ),
        ),
        (
            "hand-backs",
            HandBack.objects.values_list(*_item("item"), "resolution", "new_unit__name", "created_at", "resolved_at"),
        ),
        (
            "notices",
            Notice.objects.values_list(
                "kind", *_item("item"), "unit__name", "rung__name", "occurrence", "deadline", "title", "created_at"
            ),
        ),
        (
            "deliveries",
            Delivery.objects.values_list(
                "notice__kind",
                *_item("notice__item"),
                "notice__occurrence",
                "notice__created_at",
                "recipient__username",
                "channel",
                "status",
                "attempts",
            ),
        ),
        ("urgings", Urging.objects.values_list("unit__name", "message", "created_at")),
        (
            "circulars",
            Circular.objects.values_list("title", "period__label", "status", "published_at", "rectification_deadline"),
        ),
        ("scores", UnitScore.objects.values_list("run__year", "run__status", "unit__name", "score", "rank")),
        (
            "figures",
            SchoolYearFigures.objects.values_list(
                "part__school__unit__name", "part__stage", "year", "students", "equipment_value"
            ),
        ),
        (
            "values",
            IndicatorValue.objects.values_list("part__school__unit__name", "part__stage", "year", "code", "value"),
        ),
    ]


def database_digest():
    hasher = hashlib.sha256()
    for name, rows in digest_tables():
        hasher.update(name.encode())
        for row in sorted(json.dumps(row, default=str, ensure_ascii=False) for row in rows.order_by()):
            hasher.update(row.encode())
    return hasher.hexdigest()[:16]
