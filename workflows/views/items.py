"""An item's page (details, timeline, the forms of the steps the user may take) and the step endpoints.

Views find the item through ``DutyItem.objects.for_user`` (another unit's item is 404), validate the
form, and call one service; the service authorises again and does the work. A refused step re-renders
the page with the message and everything the user typed (files must be chosen again).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from departments import access
from departments.http import post_only
from departments.uploads import bounded_upload
from outputs.downloads import ascii_filename, content_disposition

from .. import services
from ..evidence import evidence_upload_limit
from ..forms import (
    AssignForm,
    ContributionForm,
    DecideExtensionForm,
    ExtensionRequestForm,
    HandBackForm,
    InspectForm,
    InstructionForm,
    ReportForm,
    ResolveHandBackForm,
    SignForm,
    WithdrawForm,
)
from ..models import DutyItem, Evidence, ItemEvent
from ..querysets import LIGHT_LABELS
from ..services.extensions import ASKING_STAGES


def visible_item(user, pk):
    return get_object_or_404(DutyItem.objects.for_user(user).with_light().for_list(), pk=pk)


def timeline(item):
    return (
        ItemEvent.objects.filter(item=item)
        .select_related("actor", "report__unit")
        .prefetch_related(Prefetch("report__evidence"))
        .order_by("created_at", "pk")
    )


def allowed_steps(user, item, *, pending_extension=None, pending_hand_back=None):
    """Which forms the page offers. The services check again; this only decides what to show."""
    stage, Stage = item.stage, DutyItem.Stage
    owner = access.acts_for(user, item.unit_id)
    return {
        "sign": stage == Stage.SIGNING and owner,
        "hand_back": stage == Stage.SIGNING and owner,
        "resolve_hand_back": stage == Stage.HANDED_BACK and pending_hand_back is not None and access.is_office(user),
        "request_extension": stage in ASKING_STAGES and owner and pending_extension is None,
        "decide_extension": pending_extension is not None and item.is_open and access.is_office(user),
        "instruct": access.can_instruct(user, item),
        "report": stage in (Stage.SIGNING, Stage.REPORTING) and owner,
        "contribute": stage in (Stage.SIGNING, Stage.REPORTING, Stage.INSPECTING)
        and access.contributing_unit(user, item) is not None,
        "inspect": stage == DutyItem.Stage.INSPECTING and access.can_inspect(user),
        "assign": item.is_open and access.is_office(user),
        "withdraw": item.is_open and access.is_office(user),
    }


# The step each form belongs to (``allowed_steps``): a refused form whose section is no longer shown (e.g. signed
# by a colleague meanwhile) has its message shown at the top of the page instead.
FORM_STEPS = {
    "sign_form": "sign",
    "hand_back_form": "hand_back",
    "resolve_form": "resolve_hand_back",
    "extension_form": "request_extension",
    "decide_form": "decide_extension",
    "instruction_form": "instruct",
    "report_form": "report",
    "contribution_form": "contribute",
    "inspect_form": "inspect",
    "assign_form": "assign",
    "withdraw_form": "withdraw",
}


def _hidden_errors(forms, steps):
    return [
        error
        for name, form in forms.items()
        if form is not None and not steps.get(FORM_STEPS.get(name, ""), False)
        for error in form.non_field_errors()
    ]


def render_item(request, item, status=200, **forms):
    pending_extension = services.pending_extension(item)
    pending_hand_back = services.pending_hand_back(item) if item.stage == DutyItem.Stage.HANDED_BACK else None
    steps = allowed_steps(request.user, item, pending_extension=pending_extension, pending_hand_back=pending_hand_back)
    context = {
        "item": item,
        "light_label": LIGHT_LABELS[item.light],
        "events": timeline(item),
        "steps": steps,
        "hidden_errors": _hidden_errors(forms, steps),
        "pending_extension": pending_extension,
        "pending_hand_back": pending_hand_back,
        "last_extension": None if pending_extension else item.extension_requests.order_by("-created_at", "-pk").first(),
        "sign_form": forms.get("sign_form") or SignForm(),
        "hand_back_form": forms.get("hand_back_form") or HandBackForm(),
        "resolve_form": forms.get("resolve_form") or ResolveHandBackForm(),
        "extension_form": forms.get("extension_form") or ExtensionRequestForm(),
        "decide_form": forms.get("decide_form")
        or DecideExtensionForm(initial={"request": pending_extension.pk if pending_extension else None}),
        "instruction_form": forms.get("instruction_form") or InstructionForm(),
        "report_form": forms.get("report_form") or ReportForm(),
        "contribution_form": forms.get("contribution_form") or ContributionForm(),
        "inspect_form": forms.get("inspect_form") or InspectForm(),
        "assign_form": forms.get("assign_form")
        or AssignForm(
            item=item,
            initial={"deadline": item.deadline, "assignee": item.assignee, "instructions": item.instructions},
        ),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(),
        "today": timezone.localdate(),
    }
    return render(request, "workflows/item_detail.html", context, status=status)


@login_required
def item_detail(request, pk):
    return render_item(request, visible_item(request.user, pk))


def _run_step(request, item, form_name, form, action):
    """Validate, call the service, and on a refusal show the page again with the user's input kept."""
    if form.is_valid():
        try:
            message = action(form.cleaned_data)
        except ValidationError as error:
            for text in error.messages:
                form.add_error(None, text)
        else:
            messages.success(request, message)
            return redirect(item.get_absolute_url())
    if request.FILES:
        form.add_error(None, "附件需要重新选择（浏览器不会保留已选的文件）。")
    return render_item(request, item, status=400, **{form_name: form})


def _step_view(form_class, form_name, action, form_kwargs=None, upload_limit=None):
    """The POST endpoint of one step; ``upload_limit`` for the forms that take files (over it: 413, unread)."""

    @login_required
    @post_only("workflows:item_detail", kwargs=["pk"])
    def view(request, pk):
        item = visible_item(request.user, pk)
        kwargs = form_kwargs(item) if form_kwargs else {}
        form = form_class(request.POST, request.FILES, **kwargs)
        # PermissionDenied from a service becomes a 403 on its own.
        return _run_step(request, item, form_name, form, lambda data: action(request.user, item, data, request))

    return bounded_upload(upload_limit)(view) if upload_limit else view


def _report(user, item, data, request):
    files = data["files"]
    if "submit" in request.POST:
        services.submit_report(user, item, text=data["text"], files=files)
        return "已提交检查。"
    services.save_progress(user, item, text=data["text"], progress=data["progress"], files=files)
    return "进展已保存。"


def _contribute(user, item, data, request):
    services.add_contribution(user, item, text=data["text"], files=data["files"])
    return "配合情况已补充。"


def _inspect(user, item, data, request):
    accepted = data["verdict"] == "accept"
    services.inspect_item(
        user, item, accepted=accepted, reasons=data["reasons"] or "", new_deadline=data["new_deadline"]
    )
    return "检查通过，任务已办结。" if accepted else "已退回整改。"


def _assign(user, item, data, request):
    services.assign_item(
        user,
        item,
        deadline=data["deadline"],
        assignee=data["assignee"],
        instructions=data["instructions"],
        reason=data["reason"],
    )
    return "交办信息已保存。"


def _withdraw(user, item, data, request):
    services.withdraw_item(user, item, reason=data["reason"])
    return "任务已撤回。"


item_report = _step_view(ReportForm, "report_form", _report, upload_limit=evidence_upload_limit)
item_contribute = _step_view(ContributionForm, "contribution_form", _contribute, upload_limit=evidence_upload_limit)
item_inspect = _step_view(InspectForm, "inspect_form", _inspect)
item_assign = _step_view(AssignForm, "assign_form", _assign, form_kwargs=lambda item: {"item": item})
item_withdraw = _step_view(WithdrawForm, "withdraw_form", _withdraw)


def serve_item_file(request, rows, pk, item_path):
    """A stored file row (evidence, an extension request's file) as a download, found only among the rows whose
    item (``item_path``: the lookup from the row to its item) the person may see: 404 otherwise."""
    row = get_object_or_404(rows, pk=pk, **{f"{item_path}__in": DutyItem.objects.for_user(request.user).values("pk")})
    response = FileResponse(row.file.open("rb"), content_type=row.content_type)
    # The name as uploaded (Chinese, usually), and an ASCII one for clients that ignore ``filename*``.
    response["Content-Disposition"] = content_disposition(
        row.original_name, ascii_filename(row.original_name, default_stem=f"file-{row.pk}")
    )
    return response


@login_required
def evidence_download(request, pk):
    """Evidence is served only to people who may see its item."""
    return serve_item_file(request, Evidence.objects.all(), pk, "report__item")
