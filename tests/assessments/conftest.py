"""A hand-computed year: 5 units, 30 items with known lateness, reworks, urgings and circulars (2025, as of 31 Dec).

The expected figures are worked out by hand in test_scoring.py, from the dates below,
with the default scheme except a deduction of 0.5 per urging.
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from assessments.models import ScoringScheme
from departments.models import Unit
from notices.models import Circular, Criticism
from workflows.cycles import period_for
from workflows.flows import DutyFlow
from workflows.models import DutyItem, ItemEvent

SHANGHAI = ZoneInfo("Asia/Shanghai")
YEAR = 2025
AS_OF = datetime.date(2025, 12, 31)
UNIT_NAMES = {"U1": "县教委", "U2": "县财政局", "U3": "县人力社保局", "U4": "县生态环境局", "U5": "县城管局"}

# number: (unit, deadline, submitted on (None: still open), reworks, extra)
ITEMS = {
    1: ("U1", "2025-03-31", "2025-03-30", 0, {}),
    2: ("U1", "2025-04-30", "2025-04-30", 0, {}),
    3: ("U1", "2025-06-30", "2025-07-05 00:30", 0, {}),  # just after midnight in Shanghai: still 5 days late
    4: ("U1", "2025-09-30", "2025-09-28", 2, {}),
    5: ("U1", "2025-11-30", None, 0, {}),
    6: ("U1", "2025-12-31", None, 0, {}),  # due on as_of and still open at its end: not on time, 0 days late
    7: ("U2", "2025-05-31", "2025-06-10", 0, {"cooperating": ["U1", "U3"]}),
    8: ("U2", "2025-05-31", "2025-05-20", 0, {}),
    9: ("U2", "2025-08-31", "2025-08-31", 0, {"urgings": 2}),
    10: ("U2", "2025-10-31", None, 0, {"urgings": 1}),
    11: ("U2", "2025-12-15", "2025-12-20", 1, {}),
    12: ("U2", "2025-03-01", None, 0, {"withdrawn": True}),
    13: ("U3", "2025-02-28", "2025-02-27", 0, {}),
    14: ("U3", "2025-03-31", "2025-03-30", 0, {}),
    15: ("U3", "2025-04-30", "2025-04-29", 0, {}),
    16: ("U3", "2025-05-31", "2025-05-30", 0, {}),
    17: ("U3", "2025-06-30", "2025-06-29", 0, {}),
    18: ("U3", "2025-07-31", "2025-07-30", 0, {}),
    19: ("U4", "2025-01-31", "2025-02-03", 0, {}),
    20: ("U4", "2025-02-28", "2025-03-05", 0, {}),
    21: ("U4", "2025-03-31", None, 0, {"cooperating": ["U5"]}),
    22: ("U4", "2025-04-30", "2025-04-29", 0, {}),
    23: ("U4", "2024-12-31", "2025-01-10", 0, {}),  # last year's item: not counted
    24: ("U4", "2025-06-30", "2025-06-30", 1, {}),
    25: ("U5", "2025-03-15", "2025-03-14", 0, {}),
    26: ("U5", "2025-06-15", "2025-06-14", 0, {}),
    27: ("U5", "2025-09-15", "2025-09-14", 0, {}),
    28: ("U5", "2025-12-31", "2025-12-01", 0, {}),  # due on as_of but already closed: judged
    29: ("U5", "2026-01-31", None, 0, {}),  # next year's: not counted
    30: ("U5", "2025-07-15", "2025-07-20", 0, {"kind": DutyItem.Kind.RECTIFICATION}),
}


def local(text):
    if " " not in text:
        text += " 10:00"
    return datetime.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=SHANGHAI)


def title(number):
    return f"事项{number:02d}"


@pytest.fixture
def fixture_units(db):
    return {key: Unit.objects.get(name=name) for key, name in UNIT_NAMES.items()}


@pytest.fixture
def assessment_year(db, plan, fixture_units, personas):
    """Creates the 30 items and 4 circulars; returns the items by number."""
    office = personas["government_office"]
    period = period_for(plan, year=YEAR)
    period.save()
    ScoringScheme.objects.create(year=YEAR, per_urging=Decimal("0.5"))
    items = {}
    for number, (unit, deadline, submitted, reworks, extra) in ITEMS.items():
        closed = submitted is not None
        stage = DutyItem.Stage.CLOSED if closed else DutyItem.Stage.REPORTING
        if extra.get("withdrawn"):
            stage = DutyItem.Stage.WITHDRAWN
        item = DutyItem.objects.create(
            flow_class=DutyFlow,
            kind=extra.get("kind", DutyItem.Kind.AD_HOC),
            unit=fixture_units[unit],
            title=title(number),
            deadline=datetime.date.fromisoformat(deadline),
            stage=stage,
            reworks=reworks,
            submitted_at=local(submitted) if closed else None,
            closed_at=local(submitted) + datetime.timedelta(days=2) if closed else None,
            created_by=office,
        )
        item.cooperating_units.set([fixture_units[key] for key in extra.get("cooperating", [])])
        for _ in range(extra.get("urgings", 0)):  # urged in the year, the day before the deadline
            event = ItemEvent.objects.create(item=item, kind=ItemEvent.Kind.URGED, actor=office, text="请抓紧办理")
            urged_on = datetime.date.fromisoformat(deadline) - datetime.timedelta(days=1)
            ItemEvent.objects.filter(pk=event.pk).update(created_at=local(urged_on.isoformat()))
        items[number] = item

    def circular(name, published, praised=(), criticised=None, status=Circular.Status.PUBLISHED):
        made = Circular.objects.create(
            title=name,
            period=period,
            rectification_deadline=datetime.date(2025, 12, 31),
            status=status,
            created_by=office,
            published_at=local(published) if status == Circular.Status.PUBLISHED else None,
        )
        made.praised_units.set([fixture_units[key] for key in praised])
        for unit, numbers in (criticised or {}).items():
            criticism = Criticism.objects.create(circular=made, unit=fixture_units[unit])
            criticism.items.set([items[number] for number in numbers])
        return made

    circular("2025年第一季度督查通报", "2025-04-10", praised=["U3"], criticised={"U4": [21, 19]})
    circular("2025年第三季度督查通报", "2025-10-15", praised=["U5"], criticised={"U2": [7]})
    circular("尚未发布的通报", "2025-11-01", criticised={"U5": [30]}, status=Circular.Status.DRAFT)
    circular("2024年第四季度督查通报", "2024-12-20", criticised={"U1": [3]})
    return items
