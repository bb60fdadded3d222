"""The duty cycle's completion by unit for a year: one aggregated query over the items (a read of ``workflows``).

The same judgement as the annual assessment (assessments/computation/facts.py), without its scheme: every item
of any kind, not withdrawn, due in the year and on or before ``as_of``, judged at the end of ``as_of``.
Done on time: closed, the accepted submission on or before the deadline (Asia/Shanghai dates); done late:
closed after it; overdue: still open.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from docx.shared import Cm

from workflows.models import DutyItem

from .document import note, paragraph, percent, table


@dataclass(frozen=True)
class UnitCompletion:
    unit_name: str
    due: int
    on_time: int
    late: int
    overdue: int


def completion_by_unit(year, as_of=None):
    """[UnitCompletion] per owner unit with items due, most items first, then by name. One query."""
    as_of = as_of or timezone.localdate()
    end = min(as_of, datetime.date(year, 12, 31))
    closed = Q(stage=DutyItem.Stage.CLOSED)
    rows = (
        DutyItem.objects.filter(
            deadline__gte=datetime.date(year, 1, 1),
            deadline__lte=end,
            stage__in=[DutyItem.Stage.CLOSED, *DutyItem.OPEN_STAGES],
        )
        .order_by()
        .annotate(done_on=TruncDate(Coalesce("submitted_at", "closed_at"), tzinfo=timezone.get_default_timezone()))
        .values("unit__name")
        .annotate(
            due=Count("pk"),
            on_time=Count("pk", filter=closed & Q(done_on__lte=F("deadline"))),
            late=Count("pk", filter=closed & (Q(done_on__gt=F("deadline")) | Q(done_on__isnull=True))),
            overdue=Count("pk", filter=Q(stage__in=DutyItem.OPEN_STAGES)),
        )
        .values_list("unit__name", "due", "on_time", "late", "overdue")
    )
    return sorted((UnitCompletion(*row) for row in rows), key=lambda row: (-row.due, row.unit_name))


def duty_completion(document, context):
    """The section: items due, done on time, late, overdue per unit, and the county's total."""
    rows = completion_by_unit(context.year, context.as_of)
    end = min(context.as_of, datetime.date(context.year, 12, 31))
    paragraph(
        document,
        f"统计{context.year}年1月1日至{end.month}月{end.day}日到期的职责任务（含临时任务、整改任务，不含已撤销的），"
        "按牵头单位汇总：提交并通过检查的日期不晚于期限为按时完成，晚于期限为逾期完成，至今未完成为逾期未完成。",
    )
    if not rows:
        paragraph(document, "本年度没有到期的职责任务。")
        return
    body = [
        [row.unit_name, str(row.due), str(row.on_time), str(row.late), str(row.overdue), percent(row.on_time, row.due)]
        for row in rows
    ]
    totals = [sum(getattr(row, name) for row in rows) for name in ("due", "on_time", "late", "overdue")]
    body.append(["合计", *map(str, totals), percent(totals[1], totals[0])])
    headers = ["单位", "到期任务", "按时完成", "逾期完成", "逾期未完成", "按时完成率"]
    table(document, headers, body, widths=[Cm(5.6), Cm(2), Cm(2), Cm(2), Cm(2.4), Cm(2.6)])
    note(document, f"注：统计截至{context.as_of.year}年{context.as_of.month}月{context.as_of.day}日。")
