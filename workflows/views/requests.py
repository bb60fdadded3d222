"""待审批: the office's list of what units asked of it — pending extension requests and hand-backs — each linking to
the item's page, where it is decided. A fixed number of queries, however many are waiting."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from departments import access

from ..models import DutyItem, ExtensionRequest, HandBack


@login_required
@access.required(access.is_office, "只有县政府办公室可以审批延期申请和退回交办。")
def pending_requests(request):
    items = DutyItem.objects.for_user(request.user)
    extensions = (
        ExtensionRequest.objects.filter(
            status=ExtensionRequest.Status.PENDING,
            item__in=items.filter(stage__in=DutyItem.OPEN_STAGES).values("pk"),
        )
        .select_related("item", "unit", "requested_by")
        .order_by("created_at", "pk")
    )
    hand_backs = (
        HandBack.objects.filter(
            resolution=HandBack.Resolution.PENDING,
            item__in=items.filter(stage=DutyItem.Stage.HANDED_BACK).values("pk"),
        )
        .select_related("item", "unit", "handed_back_by")
        .order_by("created_at", "pk")
    )
    return render(
        request,
        "workflows/pending_requests.html",
        {"extensions": list(extensions), "hand_backs": list(hand_backs)},
    )
