"""延期申请: the owner unit asks the office for a later deadline, with a reason and files; the office approves (the
deadline moves) or rejects it with a reason. One pending request per item."""

from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from departments import access

from ..evidence import validate_evidence_files
from ..models import DutyItem, ExtensionAttachment, ExtensionRequest, ItemEvent
from . import stored_files
from .steps import locked, require_stage

Stage = DutyItem.Stage
# The unit may ask while it still owes the work and holds the item: not once submitted, nor while handed back.
ASKING_STAGES = (Stage.SIGNING, Stage.REPORTING)


def pending_extension(item):
    return ExtensionRequest.objects.filter(item=item, status=ExtensionRequest.Status.PENDING).first()


@stored_files.removed_on_rollback
def request_extension(by, item, *, requested_deadline, reason, files=()):
    """The owner unit's liaison asks for ``requested_deadline`` (after the current one), with a reason."""
    access.require(access.acts_for(by, item.unit_id), "只有承办单位的联络员可以申请延期。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("申请延期须说明理由。", code="reason")
    if requested_deadline is None:
        raise ValidationError("请填写申请延至的日期。", code="requested_deadline")
    checked = list(zip(validate_evidence_files(files), files, strict=True))  # before anything is written
    with locked(item):
        require_stage(item, *ASKING_STAGES)
        if requested_deadline <= item.deadline:
            raise ValidationError(
                f"申请延至的日期须晚于当前截止日期（{item.deadline:%Y年%m月%d日}）。", code="requested_deadline"
            )
        if pending_extension(item) is not None:
            raise ValidationError("这项任务已有一份待审批的延期申请，请等待县政府办公室审批。", code="pending")
        try:
            with transaction.atomic():
                request = ExtensionRequest.objects.create(
                    item=item,
                    unit=item.unit,
                    requested_by=by,
                    current_deadline=item.deadline,
                    requested_deadline=requested_deadline,
                    reason=reason,
                )
        except IntegrityError as error:  # a colleague's request committed meanwhile (the unique constraint)
            raise ValidationError("这项任务已有一份待审批的延期申请。", code="pending") from error
        stored_files.save_checked(checked, partial(ExtensionAttachment, request=request))
        ItemEvent.objects.create(
            item=item,
            kind=ItemEvent.Kind.EXTENSION_REQUESTED,
            actor=by,
            text=f"申请延至 {requested_deadline:%Y年%m月%d日}：{reason}",
            old_deadline=item.deadline,
            new_deadline=requested_deadline,
        )
    return request


@transaction.atomic
def decide_extension(by, request, *, approve, reason=""):
    """The office approves (the item's deadline becomes the requested date) or rejects (a reason is required)."""
    access.require(access.is_office(by), "只有县政府办公室可以审批延期申请。")
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationError("不同意延期须说明理由。", code="reason")
    item = request.item
    with locked(item):
        request.refresh_from_db()
        if request.status != ExtensionRequest.Status.PENDING:
            raise ValidationError("这份延期申请已经审批过了。", code="state")
        require_stage(item, *DutyItem.OPEN_STAGES)
        request.status = ExtensionRequest.Status.APPROVED if approve else ExtensionRequest.Status.REJECTED
        request.decided_by, request.decided_at, request.decision_reason = by, timezone.now(), reason
        request.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        if approve:
            text = f"申请理由：{request.reason}" + (f"\n审批意见：{reason}" if reason else "")
            ItemEvent.objects.create(
                item=item,
                kind=ItemEvent.Kind.EXTENSION_APPROVED,
                actor=by,
                text=text,
                old_deadline=item.deadline,
                new_deadline=request.requested_deadline,
            )
            item.deadline = request.requested_deadline
            item.save(update_fields=["deadline"])
        else:
            ItemEvent.objects.create(
                item=item,
                kind=ItemEvent.Kind.EXTENSION_REJECTED,
                actor=by,
                text=f"不同意延至 {request.requested_deadline:%Y年%m月%d日}：{reason}",
            )
    return request
