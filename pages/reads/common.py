"""Reads the home page's sections share: the items a person may see, their requests, the overdue items by unit,
the leaders' instructions (批示)."""

from django.db.models import OuterRef, Subquery

from notices.reads import by_unit, overdue_items
from workflows.models import DutyItem, ExtensionRequest, HandBack, Inspection, ItemEvent

LIST_SIZE = 5  # rows a to-do list of the home page shows; its count says how many there are
INSTRUCTIONS = 10  # the newest instructions (批示) shown
FEW = 3  # the oldest waiting requests shown to the office
RECENT_DAYS = 14  # decisions and resolutions a liaison still sees on the home page


def visible_items(user):
    return DutyItem.objects.for_user(user)


def extension_requests_of(user):
    """Extension requests on items the person may see."""
    return ExtensionRequest.objects.filter(item__in=visible_items(user).values("pk"))


def hand_backs_of(user):
    """Hand-backs of items the person may see."""
    return HandBack.objects.filter(item__in=visible_items(user).values("pk"))


def with_return_reasons(items):
    """Annotate the reasons and the date of each item's latest return for rework."""
    latest = Inspection.objects.filter(item=OuterRef("pk"), verdict=Inspection.Verdict.RETURNED).order_by(
        "-created_at", "-pk"
    )
    return items.annotate(
        return_reasons=Subquery(latest.values("reasons")[:1]),
        returned_at=Subquery(latest.values("created_at")[:1]),
    )


def overdue_by_unit(user, today):
    """(total, rows) of the open items past their deadline, per owner unit: the most overdue units first, then the
    oldest deadline.

    One query: the rows are ``notices.reads.by_unit``'s (unit, unit__name, unit__short_name, n, inspecting, oldest).
    """
    rows = sorted(by_unit(overdue_items(user, today)), key=lambda row: (-row["n"], row["oldest"]))
    return sum(row["n"] for row in rows), rows


def recent_instructions(user, size=INSTRUCTIONS):
    """The newest instructions (批示) on items the person may see, with their item and author."""
    return list(
        ItemEvent.objects.filter(kind=ItemEvent.Kind.INSTRUCTION, item__in=visible_items(user).values("pk"))
        .select_related("item__unit", "actor")
        .order_by("-created_at", "-pk")[:size]
    )
