"""The item page's working-day steps: 签收, 退回交办 and its resolution, 延期申请 and its decision, 批示.

Each is a POST endpoint like the other steps (``items._step_view``): the form is validated, one service called;
a refusal shows the item's page again, with the message and what was typed.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError

from .. import services
from ..evidence import evidence_upload_limit
from ..forms import (
    DecideExtensionForm,
    ExtensionRequestForm,
    HandBackForm,
    InstructionForm,
    ResolveHandBackForm,
    SignForm,
)
from ..models import ExtensionAttachment, ExtensionRequest
from .items import _step_view, serve_item_file


def _sign(user, item, data, request):
    services.sign_item(user, item)
    return "已签收，请按期办理。"


def _hand_back(user, item, data, request):
    services.hand_back_item(user, item, reason=data["reason"])
    return "已退回交办，等待县政府办公室处理。"


def _resolve(user, item, data, request):
    hand_back = services.resolve_hand_back(user, item, new_unit=data["new_unit"], note=data["note"])
    if hand_back.new_unit_id:
        return f"已改由{hand_back.new_unit}承办，等待其签收。"
    return "已确认由原单位承办，等待其签收。"


def _request_extension(user, item, data, request):
    services.request_extension(
        user, item, requested_deadline=data["requested_deadline"], reason=data["reason"], files=data["files"]
    )
    return "延期申请已提交，等待县政府办公室审批。"


def _decide_extension(user, item, data, request):
    extension = ExtensionRequest.objects.filter(item=item, pk=data["request"]).first()
    if extension is None:
        raise ValidationError("找不到这份延期申请（可能已撤销或不属于这项任务）。")
    approve = data["decision"] == "approve"
    services.decide_extension(user, extension, approve=approve, reason=data["reason"])
    return f"已同意延期至 {extension.requested_deadline:%Y年%m月%d日}。" if approve else "已不同意延期。"


def _instruct(user, item, data, request):
    services.give_instruction(user, item, text=data["text"])
    return "批示已记入办理记录。"


item_sign = _step_view(SignForm, "sign_form", _sign)
item_hand_back = _step_view(HandBackForm, "hand_back_form", _hand_back)
item_resolve_hand_back = _step_view(ResolveHandBackForm, "resolve_form", _resolve)
item_request_extension = _step_view(
    ExtensionRequestForm, "extension_form", _request_extension, upload_limit=evidence_upload_limit
)
item_decide_extension = _step_view(DecideExtensionForm, "decide_form", _decide_extension)
item_instruct = _step_view(InstructionForm, "instruction_form", _instruct)


@login_required
def extension_attachment_download(request, pk):
    """A file of an extension request, served only to people who may see its item."""
    return serve_item_file(request, ExtensionAttachment.objects.all(), pk, "request__item")
