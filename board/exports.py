"""The board's XLSX export: Chinese headers, one row per item, written by ``outputs.xlsx``.

The rows are read as plain values (``values_list``): one query for the items, one for their cooperating units,
and the working-day calendar once, whatever the number of rows; then written by openpyxl's write-only mode.
Both the download of a small list and the background job of a large one (``board.services``) go through
``items_workbook``, so their workbooks are the same.

The 倒计时 column is the countdown of ``workflows.countdown`` (剩余 N 天 / 剩余 N 个工作日 / 今天到期 / 逾期 N 天),
blank where the item has none. ``outputs.xlsx`` keeps text as text (a title starting with "=" stays a title),
dates as dates, and freezes the header row.
"""

from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils import timezone

from departments.names import display_name
from outputs.xlsx import add_sheet, new_workbook, workbook_response
from workdays.calendar import WorkCalendar
from workflows.countdown import countdown
from workflows.models import DutyItem, DutyTemplate
from workflows.querysets import LIGHT_LABELS

HEADERS = [
    "编号",
    "信号灯",
    "任务",
    "职责条款",
    "承办单位",
    "配合单位",
    "周期",
    "截止日期",
    "倒计时",
    "状态",
    "退回次数",
]
HEADERS += ["经办人", "提交时间"]  # 提交时间 is written in Shanghai time
SHEET_TITLE = "任务清单"
FIELDS = (
    "pk",
    "light",
    "title",
    "template_id",
    "template__place",
    "template__paragraph",
    "template__clause",
    "unit__short_name",
    "unit__name",
    "period__label",
    "deadline",
    "stage",
    "working_days",
    "reworks",
    "assignee_id",
    "assignee__first_name",
    "assignee__last_name",
    "assignee__username",
    "submitted_at",
)
CHUNK = 5000  # ids per query where the database takes no array (SQLite: a bounded IN list); rows per progress step


def items_workbook(item_ids, *, today=None, calendar=None, on_progress=None):
    """The workbook of the items ``item_ids``, in that order (ids no longer there are skipped).

    ``calendar``: a loaded WorkCalendar (loaded here, once, if not given). ``on_progress(done, total)`` is
    called as the rows are read (the background job shows it)."""
    today = today or timezone.localdate()
    if calendar is None:
        calendar = WorkCalendar.load()
    return rows_workbook(item_rows(list(item_ids), today=today, calendar=calendar, on_progress=on_progress))


def rows_workbook(rows):
    """The workbook of ``item_rows``'s rows (the background job counts them first)."""
    workbook = new_workbook()
    add_sheet(workbook, SHEET_TITLE, HEADERS, rows)
    return workbook


def id_chunks(item_ids):
    """The ids as one array on PostgreSQL (one query, however many), else in chunks of ``CHUNK`` ids."""
    if connection.vendor == "postgresql":
        return [RawSQL("SELECT unnest(%s::bigint[])", (list(item_ids),))] if item_ids else []
    return [item_ids[start : start + CHUNK] for start in range(0, len(item_ids), CHUNK)]


def item_rows(item_ids, *, today, calendar, on_progress=None):
    """One row per id, in order: the items and their cooperating units, one query each on PostgreSQL."""
    labels = Labels()
    stages = dict(DutyItem.Stage.choices)
    found, cooperating = {}, {}
    for ids in id_chunks(item_ids):
        items = DutyItem.objects.filter(pk__in=ids).with_light(today).order_by().values_list(*FIELDS)
        found.update((values[0], values) for values in items)
        cooperating.update(cooperating_names(ids))
    rows = []
    for done, pk in enumerate(item_ids, start=1):
        if on_progress and done % CHUNK == 0:
            on_progress(done, len(item_ids))
        values = found.get(pk)
        if values is None:
            continue
        item = SimpleNamespace(**dict(zip(FIELDS, values, strict=True)))
        left = countdown(item, today=today, calendar=calendar)
        rows.append(
            [
                item.pk,
                LIGHT_LABELS[item.light],
                item.title,
                labels.position(item),
                item.unit__short_name or item.unit__name,
                "、".join(cooperating.get(pk, ())),
                item.period__label or "",
                item.deadline,
                left.label if left else "",
                str(stages[item.stage]),
                item.reworks,
                labels.person(item),
                item.submitted_at,
            ]
        )
    if on_progress:
        on_progress(len(item_ids), len(item_ids))
    return rows


def cooperating_names(item_ids):
    """Item id → its cooperating units' names, in name order (as the board shows them). One query; ``item_ids``: a
    list or an ``id_chunks`` array."""
    through = DutyItem.cooperating_units.through
    names = {}
    pairs = (
        through.objects.filter(dutyitem_id__in=item_ids)
        .order_by("unit__name", "unit_id")
        .values_list("dutyitem_id", "unit__short_name", "unit__name")
    )
    for item_id, short_name, name in pairs:
        names.setdefault(item_id, []).append(short_name or name)
    return names


class Labels:
    """The clause of a template and the name of a person, as the models say them, worked out once each."""

    def __init__(self):
        self.positions, self.people = {}, {}

    def position(self, item):
        if item.template_id is None:
            return ""
        if item.template_id not in self.positions:
            template = DutyTemplate(
                place=item.template__place, paragraph=item.template__paragraph, clause=item.template__clause
            )
            self.positions[item.template_id] = template.position_label
        return self.positions[item.template_id]

    def person(self, item):
        if item.assignee_id is None:
            return ""
        if item.assignee_id not in self.people:
            user = get_user_model()(
                first_name=item.assignee__first_name,
                last_name=item.assignee__last_name,
                username=item.assignee__username,
            )
            self.people[item.assignee_id] = display_name(user, empty="")
        return self.people[item.assignee_id]


def filename(today):
    """(Chinese name, ASCII fallback) of the export made on ``today``."""
    return f"任务清单-{today:%Y%m%d}.xlsx", f"tasks-{today:%Y%m%d}.xlsx"


def xlsx_response(workbook, name, fallback="tasks.xlsx"):
    return workbook_response(workbook, name, fallback=fallback)
