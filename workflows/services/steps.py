"""The human steps of an item, each performed as its viewflow task, under the item's row lock.

A step first takes the item's lock (PostgreSQL ``SELECT … FOR UPDATE NOWAIT``,
retried by viewflow), re-reads the item, checks it is still at that step, then
completes the viewflow task as the acting user. A colleague who got there first
wins; the other gets ItemStateError and keeps what they typed.
"""

from contextlib import contextmanager
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from viewflow.workflow.exceptions import FlowLockFailed

from departments import access
from departments.names import display_name

from ..evidence import validate_evidence_files
from ..models import DutyItem, Evidence, Inspection, ItemEvent, Report
from . import stored_files
from .errors import ItemBusy, ItemStateError

Stage = DutyItem.Stage


def _flow():
    from ..flows import DutyFlow

    return DutyFlow


@contextmanager
def locked(item):
    """The item's flow lock for the rest of the transaction; FlowLockFailed becomes ItemBusy."""
    try:
        with _flow().lock(item.pk):
            item.refresh_from_db()
            yield item
    except FlowLockFailed as error:
        raise ItemBusy() from error


def require_stage(item, *stages):
    if item.stage not in stages:
        raise ItemStateError(f"这项任务当前状态为“{item.get_stage_display()}”，不能进行此操作（可能已由他人处理）。")


def _perform_task(item, node, user):
    """Complete the open viewflow task of ``node`` as ``user``; the item is already saved."""
    from viewflow.workflow.status import STATUS

    task = item.task_set.filter(flow_task=node, finished__isnull=True).first()
    if task is None:
        raise ItemStateError("这项任务没有待办的这一步（可能已由他人处理）。")
    with task.activation() as activation:
        if task.status == STATUS.NEW:
            activation.assign(user)
        elif task.owner_id != user.pk:
            activation.reassign(user)
        activation.start(None)
        activation.execute()


def complete_assignment(item, by, text=""):
    """The assign step: the office hands the item to its unit (used when a cycle opens); the unit signs for it next."""
    item.stage = Stage.SIGNING
    item.save(update_fields=["stage"])
    _perform_task(item, _flow().assign, by)
    ItemEvent.objects.create(item=item, kind=ItemEvent.Kind.ASSIGNED, actor=by, text=text)


def perform_signing(item, by, text=""):
    """The sign step on a locked item at 待签收: signed now, on to reporting (the viewflow sign task completed)."""
    item.stage, item.signed_at = Stage.REPORTING, timezone.now()
    item.save(update_fields=["stage", "signed_at"])
    _perform_task(item, _flow().sign, by)
    ItemEvent.objects.create(item=item, kind=ItemEvent.Kind.SIGNED, actor=by, text=text)


def _signed_on_reporting(item, by):
    """Reporting on an item not yet signed for signs for it first (the unit has plainly received it)."""
    if item.stage == Stage.SIGNING:
        perform_signing(item, by, text="填报时签收")


def _write_report(item, by, unit, kind, text, progress=None, files=()):
    if not text.strip():
        raise ValidationError("请填写办理情况。", code="required")
    checked = list(zip(validate_evidence_files(files), files, strict=True))  # before anything is written
    report = Report.objects.create(item=item, kind=kind, author=by, unit=unit, text=text.strip(), progress=progress)
    stored_files.save_checked(checked, partial(Evidence, report=report))
    event_kind = {
        Report.Kind.PROGRESS: ItemEvent.Kind.PROGRESS,
        Report.Kind.CONTRIBUTION: ItemEvent.Kind.CONTRIBUTION,
        Report.Kind.SUBMISSION: ItemEvent.Kind.SUBMITTED,
    }[kind]
    ItemEvent.objects.create(item=item, kind=event_kind, actor=by, text=report.text, report=report)
    return report


@transaction.atomic
def assign_item(by, item, *, deadline, assignee=None, instructions="", reason=""):
    """The office sets or changes what the unit must do by when, and who does it."""
    access.require(access.is_office(by), "只有县政府办公室可以交办任务。")
    with locked(item):
        require_stage(item, *DutyItem.OPEN_STAGES)
        old_deadline = item.deadline
        if deadline != old_deadline:
            if not reason.strip():
                raise ValidationError("修改截止日期须说明理由。", code="reason")
            ItemEvent.objects.create(
                item=item,
                kind=ItemEvent.Kind.DEADLINE_CHANGED,
                actor=by,
                text=reason.strip(),
                old_deadline=old_deadline,
                new_deadline=deadline,
            )
        if item.stage != Stage.ASSIGNING:
            _record_changes(item, by, assignee=assignee, instructions=instructions)
        item.deadline, item.assignee, item.instructions = deadline, assignee, instructions
        item.save(update_fields=["deadline", "assignee", "instructions"])
        if item.stage == Stage.ASSIGNING:
            complete_assignment(item, by, text=instructions)
    return item


def _record_changes(item, by, *, assignee, instructions):
    """Changes to an item already handed over go on its timeline too."""
    if instructions.strip() != item.instructions.strip():
        ItemEvent.objects.create(item=item, kind=ItemEvent.Kind.ASSIGNED, actor=by, text=f"交办要求：{instructions}")
    if assignee != item.assignee:
        name = display_name(assignee, empty="（无）")
        ItemEvent.objects.create(item=item, kind=ItemEvent.Kind.REASSIGNED, actor=by, text=f"经办人：{name}")


@stored_files.removed_on_rollback
def save_progress(by, item, *, text, progress=None, files=()):
    """A progress note by the owner unit's liaison; may be saved many times before submitting."""
    access.require(access.acts_for(by, item.unit_id), "只有承办单位的联络员可以填报进展。")
    with locked(item):
        require_stage(item, Stage.SIGNING, Stage.REPORTING)
        _signed_on_reporting(item, by)
        return _write_report(item, by, item.unit, Report.Kind.PROGRESS, text, progress, files)


@stored_files.removed_on_rollback
def add_contribution(by, item, *, text, files=()):
    """A cooperating unit adds what it did to the same item."""
    unit = access.contributing_unit(by, item)
    access.require(unit is not None, "只有配合单位的联络员可以补充配合情况。")
    with locked(item):
        require_stage(item, Stage.SIGNING, Stage.REPORTING, Stage.INSPECTING)
        return _write_report(item, by, unit, Report.Kind.CONTRIBUTION, text, None, files)


@stored_files.removed_on_rollback
def submit_report(by, item, *, text, files=()):
    """The owner unit submits for inspection: the viewflow report task is completed by this user."""
    access.require(access.acts_for(by, item.unit_id), "只有承办单位的联络员可以提交检查（配合单位只能补充配合情况）。")
    with locked(item):
        require_stage(item, Stage.SIGNING, Stage.REPORTING)
        _signed_on_reporting(item, by)
        report = _write_report(item, by, item.unit, Report.Kind.SUBMISSION, text, 100, files)
        item.stage, item.submitted_at = Stage.INSPECTING, timezone.now()
        item.save(update_fields=["stage", "submitted_at"])
        _perform_task(item, _flow().report, by)
    return report


@transaction.atomic
def inspect_item(by, item, *, accepted, reasons="", new_deadline=None):
    """Accept (the item closes) or return with reasons and a new deadline (back to report, one more rework)."""
    access.require(access.can_inspect(by), "只有督导检查人员可以检查。")
    if not accepted:
        if not reasons.strip():
            raise ValidationError("退回时须写明理由。", code="reasons")
        if new_deadline is None or new_deadline < timezone.localdate():
            raise ValidationError("退回时须给出不早于今天的新截止日期。", code="new_deadline")
    with locked(item):
        require_stage(item, Stage.INSPECTING)
        Inspection.objects.create(
            item=item,
            inspector=by,
            verdict=Inspection.Verdict.ACCEPTED if accepted else Inspection.Verdict.RETURNED,
            reasons=reasons.strip(),
            new_deadline=None if accepted else new_deadline,
        )
        if accepted:
            item.stage, item.closed_at = Stage.CLOSED, timezone.now()
            item.save(update_fields=["stage", "closed_at"])
            ItemEvent.objects.create(item=item, kind=ItemEvent.Kind.ACCEPTED, actor=by, text=reasons.strip())
        else:
            ItemEvent.objects.create(
                item=item,
                kind=ItemEvent.Kind.RETURNED,
                actor=by,
                text=reasons.strip(),
                old_deadline=item.deadline,
                new_deadline=new_deadline,
            )
            item.stage, item.reworks, item.deadline = Stage.REPORTING, item.reworks + 1, new_deadline
            item.save(update_fields=["stage", "reworks", "deadline"])
        _perform_task(item, _flow().inspect, by)
    return item
