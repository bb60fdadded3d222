"""The 问题台账 (rectification ledger): the items raised from shortfalls, one row each, with their state.

Read by its page and export (``views.rectification``) and by the self-evaluation report; the items
themselves are raised by ``services.rectification.raise_rectifications``.
"""

from datetime import date
from typing import NamedTuple

from django.db.models import Count, Prefetch
from django.utils import timezone, translation

from workflows.models import DutyItem

from ..models import Shortfall

OPEN, OVERDUE, CLOSED, WITHDRAWN = "open", "overdue", "closed", "withdrawn"
STATUS_CHOICES = [("", "全部"), (OPEN, "整改中"), (OVERDUE, "逾期未完成"), (CLOSED, "已办结"), (WITHDRAWN, "已撤回")]


class LedgerRow(NamedTuple):
    """One line of the 问题台账: one rectification item. Plain values only (text, dates, ints)."""

    school: str  # the school's name
    owner: str  # the owner unit's name: the school, or 县教委
    what: str  # the shortfalls and their gaps, joined by "；"
    deadline: date
    stage_label: str  # in Chinese: 待交办, 办理中, 待检查, 已办结, 已撤回
    evidence_count: int  # evidence files on all the item's reports
    closed_on: date | None  # the day (Asia/Shanghai) it was closed (办结); None while open or if withdrawn
    item_id: int
    year: int  # the year of the figures the shortfalls come from
    stage: str  # DutyItem.Stage value


SHORTFALL_LINES = Shortfall.objects.select_related("school__unit").order_by("pk")


def ledger_items(year=None, *, status=None, school=None, user=None, today=None):
    """The rectification items raised from shortfalls, filtered; ``user`` limits them to what that user sees."""
    raised = Shortfall.objects.all()
    if year:
        raised = raised.filter(year=year)
    if school:
        raised = raised.filter(school=school)
    items = DutyItem.objects.filter(pk__in=raised.values("item_id"))
    today = today or timezone.localdate()
    if status == OPEN:
        items = items.filter(stage__in=DutyItem.OPEN_STAGES)
    elif status == OVERDUE:
        items = items.filter(stage__in=DutyItem.OPEN_STAGES, deadline__lt=today)
    elif status in (CLOSED, WITHDRAWN):
        items = items.filter(stage=status)
    if user is not None:
        # Only rows whose item the reader can open: the ledger links each row to its item.
        items = items.filter(pk__in=DutyItem.objects.for_user(user).values("pk"))
    return (
        items.select_related("unit")
        .annotate(evidence_count=Count("reports__evidence"))
        .prefetch_related(Prefetch("shortfalls", queryset=SHORTFALL_LINES))
    )


def ledger_rows(year=None, *, status=None, school=None, user=None):
    """The 问题台账 as a list of ``LedgerRow``, newest year first, then by school name and item.

    ``ledger_rows(2025)`` gives every school's rows of 2025 (for the self-evaluation report); ``year=None``
    every year. Optional keyword filters: ``status`` (one of "open", "overdue", "closed", "withdrawn"),
    ``school`` (a SchoolProfile), ``user`` (only the rows that user may see). Two queries whatever the
    number of items (plus a few permission look-ups when ``user`` is given). ``row._asdict()`` gives a dict.
    """
    rows = []
    with translation.override("zh-hans"):
        for item in ledger_items(year, status=status, school=school, user=user):
            shortfalls = list(item.shortfalls.all())
            first = shortfalls[0]
            closed = item.stage == DutyItem.Stage.CLOSED and item.closed_at
            rows.append(
                LedgerRow(
                    school=first.school.unit.name,
                    owner=item.unit.name,
                    what="；".join(shortfall.text for shortfall in shortfalls),
                    deadline=item.deadline,
                    stage_label=str(item.get_stage_display()),
                    evidence_count=item.evidence_count,
                    closed_on=timezone.localdate(item.closed_at) if closed else None,
                    item_id=item.pk,
                    year=first.year,
                    stage=item.stage,
                )
            )
    return sorted(rows, key=lambda row: (-row.year, row.school, row.item_id))
