"""Filling a benchmark database fast: people, yearly periods, items COPYed into viewflow's process table and the
item table, the viewflow tasks an item's stage implies, and the notices earlier sweeps would have written.

Shared by ``escalation.py`` and ``pages.py``. Everything here writes straight into the tables (COPY and
``INSERT … SELECT``), as the services would have left them, so that 200,000 items take a minute, not hours.
"""

import time
from datetime import date, timedelta
from typing import NamedTuple

UNIT_KINDS = (
    "government_department",
    "party_committee",
    "education_commission",
    "supervision_office",
    "peoples_organisation",
)


class ItemRow(NamedTuple):
    """One item to COPY; what escalation.py needs first, the rest with the defaults of an ad-hoc task."""

    unit: object
    period: object
    deadline: date
    stage: str
    kind: str = "ad_hoc"
    template_id: int | None = None
    occurrence: int = 1
    title: str = ""
    assignee_id: int | None = None
    reworks: int = 0


def empty_outbox_and_items():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE notifications_notification, notices_delivery, notices_notice, viewflow_task, viewflow_process"
            " RESTART IDENTITY CASCADE"
        )


def make_people(unit_count, *, inspectors=0, assessors=0):
    """Units topped up to ``unit_count``; their liaisons and leaders; the offices (and, if asked, inspectors and
    the organisation department's assessment readers). Idempotent."""
    from django.contrib.auth import get_user_model

    from departments.models import Membership, Unit
    from departments.services import add_member, grant_role

    units = list(Unit.objects.filter(kind__in=UNIT_KINDS, active=True).order_by("pk")[:unit_count])
    for number in range(len(units) + 1, unit_count + 1):
        unit, _ = Unit.objects.get_or_create(
            name=f"压测单位{number:02d}",
            defaults={"kind": Unit.Kind.GOVERNMENT_DEPARTMENT, "short_name": f"压测{number}"},
        )
        units.append(unit)
    user_model = get_user_model()

    def person(username):
        user, _ = user_model.objects.get_or_create(username=username, defaults={"email": f"{username}@bench.example"})
        return user

    for index, unit in enumerate(units):
        for number in range(1 + index % 2):  # one or two liaisons
            add_member(person(f"bench-liaison-{index:02d}-{number}"), unit, Membership.Role.LIAISON)
        add_member(person(f"bench-leader-{index:02d}"), unit, Membership.Role.LEADER)
    for number in range(3):
        grant_role(person(f"bench-office-{number}"), "government_office")
    for number in range(2):
        grant_role(person(f"bench-plan-office-{number}"), "plan_office")
    for number in range(inspectors):
        grant_role(person(f"bench-inspector-{number}"), "inspector")
    for number in range(assessors):
        grant_role(person(f"bench-assessor-{number}"), "assessment_reader")
    return units


def make_periods(plan, years, today):
    from workflows.models import Period

    first = today.year - (years - 1) // 2
    periods = {}
    for year in range(first, first + years):
        periods[year], _ = Period.objects.get_or_create(
            plan=plan,
            kind=Period.Kind.YEAR,
            year=year,
            defaults={"label": f"{year}年度", "starts_on": date(year, 1, 1), "ends_on": date(year, 12, 31)},
        )
    return periods


def _timestamp(day, days_after=0):
    return f"{day + timedelta(days=days_after)} 10:00:00+08"


def fill_items(rows, flow_ref):
    """COPY the items (``ItemRow``s, or tuples of their first fields) into viewflow's process table and the item
    table; closed items get their process DONE, withdrawn ones CANCELED. Returns (seconds, item ids in row order)."""
    from django.db import connection

    started = time.perf_counter()
    rows = [ItemRow(*row) for row in rows]
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO viewflow_process (flow_class, status, created, data)"
            " SELECT %s, 'NEW', now(), '{}'::jsonb FROM generate_series(1, %s) RETURNING id",
            [flow_ref, len(rows)],
        )
        ids = sorted(row[0] for row in cursor.fetchall())
        columns = (
            "process_ptr_id, kind, occurrence, title, instructions, deadline, stage, reworks, submitted_at,"
            " closed_at, signed_at, withdrawn_reason, unit_id, period_id, template_id, assignee_id"
        )
        with cursor.copy(f"COPY workflows_dutyitem ({columns}) FROM STDIN") as copy:
            for pk, row in zip(ids, rows, strict=True):
                deadline, stage = row.deadline, row.stage
                submitted = _timestamp(deadline, -3) if stage in ("inspecting", "closed") else None
                closed = _timestamp(deadline, -1) if stage == "closed" else None
                signed = _timestamp(deadline, -30) if stage not in ("assigning", "signing") else None
                copy.write_row(
                    (
                        pk,
                        row.kind,
                        row.occurrence,
                        row.title or f"{row.unit.short_name or row.unit.name}专项任务{pk}",
                        "",
                        deadline,
                        stage,
                        row.reworks,
                        submitted,
                        closed,
                        signed,
                        "已由县政府办公室撤回" if stage == "withdrawn" else "",
                        row.unit.pk,
                        row.period.pk if row.period else None,
                        row.template_id,
                        row.assignee_id,
                    )
                )
        cursor.execute(
            "UPDATE viewflow_process p SET status = CASE i.stage WHEN 'closed' THEN 'DONE' ELSE 'CANCELED' END,"
            " finished = now() FROM workflows_dutyitem i"
            " WHERE i.process_ptr_id = p.id AND i.stage IN ('closed', 'withdrawn')"
        )
    return time.perf_counter() - started, ids


def fill_cooperation(pairs):
    """COPY (item id, cooperating unit id) pairs."""
    from django.db import connection

    with connection.cursor() as cursor:
        with cursor.copy("COPY workflows_dutyitem_cooperating_units (dutyitem_id, unit_id) FROM STDIN") as copy:
            for pair in pairs:
                copy.write_row(pair)


# Stages from a step on: an item at one of them has done that step (or, for the last one it names, waits on it).
FROM_ASSIGN = ("assigning", "signing", "handed_back", "reporting", "inspecting", "closed", "withdrawn")
FROM_SIGN = FROM_ASSIGN[1:]
FROM_SIGNED = FROM_ASSIGN[2:]
FROM_REPORT = ("reporting", "inspecting", "closed", "withdrawn")
# The duty flow's nodes in order (workflows.flows.DutyFlow): type, the permission its task carries (None: not a
# human task), whether that permission is on the owner unit, the stages whose items have the task, and the stages
# in which it is the step waiting (NEW; CANCELED for a withdrawn item). An item that went straight through has
# never been handed back.
TASKS = (
    ("start", "START", None, False, FROM_ASSIGN, ()),
    ("assign", "HUMAN", "workflows.assign_item", False, FROM_ASSIGN, ("assigning",)),
    ("sign", "HUMAN", "departments.act_for_unit", True, FROM_SIGN, ("signing",)),
    ("signed", "EXCLUSIVE_GATEWAY", None, False, FROM_SIGNED, ()),
    ("review_hand_back", "HUMAN", "workflows.assign_item", False, ("handed_back",), ("handed_back",)),
    ("report", "HUMAN", "departments.act_for_unit", True, FROM_REPORT, ("reporting", "withdrawn")),
    ("inspect", "HUMAN", "workflows.inspect_item", False, ("inspecting", "closed"), ("inspecting",)),
    ("check", "EXCLUSIVE_GATEWAY", None, False, ("closed",), ()),
    ("end", "END", None, False, ("closed",), ()),
)


def fill_tasks(flow_ref, *, office_id, inspector_id):
    """viewflow's task rows for every item, as the flow leaves them at the item's stage: the steps done (with
    their owner: the office, the unit's first liaison, the inspector), the step waiting (NEW, with the permission
    the queue and inbox read), a withdrawn item's waiting step CANCELED. One INSERT … SELECT per node; returns
    the number of task rows."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from departments.models import Unit

    unit_type = ContentType.objects.get_for_model(Unit).pk
    owners = {
        "workflows.assign_item": str(int(office_id)),
        "workflows.inspect_item": str(int(inspector_id)),
        "departments.act_for_unit": "(SELECT min(m.user_id) FROM departments_membership m"
        " WHERE m.unit_id = i.unit_id AND m.role = 'liaison')",
    }
    status = (
        "CASE WHEN NOT i.stage = ANY(%(waiting)s) THEN 'DONE' WHEN i.stage = 'withdrawn' THEN 'CANCELED' ELSE 'NEW' END"
    )
    with connection.cursor() as cursor:
        for step, (node, kind, permission, per_unit, stages, waiting) in enumerate(TASKS):
            done = "NOT i.stage = ANY(%(waiting)s)"
            owner = f"CASE WHEN {done} THEN {owners[permission]} END" if permission else "NULL"
            day = f"i.deadline - 40 + {step} * interval '1 day'"
            sql = (
                "INSERT INTO viewflow_task (flow_task, flow_task_type, status, created, started, finished, owner_id,"  # noqa: S608
                " owner_permission, owner_permission_content_type_id, owner_permission_obj_pk, data, process_id, token)"
                f" SELECT %(node)s, %(kind)s, {status}, {day}, CASE WHEN {done} THEN {day} END,"
                f" CASE WHEN {done} THEN {day} + interval '1 hour' END, {owner}, %(permission)s, %(type)s,"
                f" {'i.unit_id::text' if per_unit else 'NULL'}, '{{}}'::jsonb, i.process_ptr_id, 'start'"
                " FROM workflows_dutyitem i WHERE i.stage = ANY(%(stages)s)"
            )
            cursor.execute(
                sql,
                {
                    "node": f"{flow_ref}.{node}",
                    "kind": kind,
                    "waiting": list(waiting),
                    "permission": permission,
                    "type": unit_type if per_unit else None,
                    "stages": list(stages),
                },
            )
        cursor.execute("SELECT count(*) FROM viewflow_task")
        return cursor.fetchone()[0]


def reached(rung, deadline, day):
    """The occurrence of ``rung`` an item with ``deadline`` has reached on ``day``, or None (the sweep's rule)."""
    overdue = (day - deadline).days
    if overdue < rung.offset_days or (rung.offset_days < 0 and overdue >= 0):
        return None
    if not rung.repeat_every_days:
        return 1
    return (overdue - rung.offset_days) // rung.repeat_every_days + 1


def history_and_today(rungs, deadline, today):
    """(rung, occurrence) written by the sweeps of earlier days, and those reached today."""
    earliest = deadline + timedelta(days=min(rung.offset_days for rung in rungs))
    earlier = set()
    day = earliest
    while day < today:
        earlier |= {(rung, n) for rung in rungs if (n := reached(rung, deadline, day))}
        day += timedelta(days=1)
    now = {(rung, n) for rung in rungs if (n := reached(rung, deadline, today))}
    return earlier, now


def write_history(rungs, today):
    """The notices earlier sweeps wrote for the open items due within a week or overdue, planned and sent to the
    liaisons. Returns the expected counts of today's sweep: (new rungs, rungs reached)."""
    from django.db import connection

    expected_new = candidates = 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT deadline, count(*) FROM workflows_dutyitem WHERE stage IN ('assigning', 'reporting')"
            " AND deadline <= %s GROUP BY deadline",
            [today + timedelta(days=7)],
        )
        for deadline, count in cursor.fetchall():
            earlier, now = history_and_today(rungs, deadline, today)
            expected_new += count * len(now - earlier)
            candidates += count * len(now)
            for rung, occurrence in earlier:
                cursor.execute(
                    "INSERT INTO notices_notice (kind, item_id, rung_id, deadline, occurrence, unit_id, title, body,"
                    " recipients_planned, created_at)"
                    " SELECT 'rung', process_ptr_id, %s, deadline, %s, unit_id, %s || title, '', true, now()"
                    " FROM workflows_dutyitem WHERE deadline = %s AND stage IN ('assigning', 'reporting')",
                    [rung.pk, occurrence, f"{rung.name}：", deadline],
                )
        cursor.execute(
            "INSERT INTO notices_delivery (notice_id, recipient_id, channel, status, attempts, last_error, sent_at)"
            " SELECT n.id, m.user_id, c.channel, 'sent', 1, '', now() FROM notices_notice n"
            " JOIN departments_membership m ON m.unit_id = n.unit_id AND m.role = 'liaison'"
            " CROSS JOIN (VALUES ('in_app'), ('email')) AS c(channel)"
        )
    return expected_new, candidates


def measure(function):
    """(result, seconds, SQL queries, seconds spent in SQL) of one call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        started = time.perf_counter()
        result = function()
        seconds = time.perf_counter() - started
    sql = sum(float(query["time"]) for query in context.captured_queries)
    return result, seconds, len(context.captured_queries), sql
