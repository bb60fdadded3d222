"""An item's notices and their deliveries; urging (催办) one item or every open item of a unit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from departments import access
from departments.http import post_only
from departments.models import Unit
from workflows.models import DutyItem

from ..forms import UrgeForm, UrgeUnitForm
from ..reads import notices_of_item
from ..services import urge_items
from ..services import urge_unit as urge_unit_service
from ..services.urging import ALL_OPEN, OVERDUE, unit_items_to_urge
from .common import add_service_errors, label_channels, safe_url


@login_required
@require_safe
def item_notices(request, pk):
    """Every notice sent for the item, and each delivery's recipient, channel, status, attempts and error."""
    item = get_object_or_404(DutyItem.objects.for_user(request.user).select_related("unit"), pk=pk)
    notices = list(notices_of_item(item))
    for notice in notices:
        label_channels(notice.deliveries.all())
    context = {
        "item": item,
        "notices": notices,
        "can_urge": access.is_office(request.user) and item.is_open,
        "urge_form": UrgeForm(),
    }
    return render(request, "notices/item_notices.html", context)


def _urge(request, form, action, success, done_url, context):
    """Validate, call the service; on a refusal show the form again with what was typed (400)."""
    if form.is_valid():
        try:
            action(form.cleaned_data["message"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(safe_url(request, form.cleaned_data["next"], done_url))
    return render(request, "notices/urge.html", {"form": form, **context}, status=400)


@login_required
@post_only("workflows:item_detail", kwargs=["pk"])
def urge_item(request, pk):
    access.require(access.is_office(request.user), "只有县政府办公室可以催办。")
    item = get_object_or_404(DutyItem.objects.for_user(request.user).select_related("unit"), pk=pk)
    return _urge(
        request,
        UrgeForm(request.POST),
        lambda message: urge_items(request.user, [item], message=message),
        f"已催办“{item.title}”，承办单位的联络员和负责人将收到通知。",
        item.get_absolute_url(),
        {"item": item, "action": reverse("notices:urge_item", args=[item.pk]), "back": item.get_absolute_url()},
    )


@login_required
@post_only("unit_detail", kwargs=["pk"])
def urge_unit(request, pk):
    """Urge a unit's overdue items (the default), or every open item when the form asks for it."""
    access.require(access.is_office(request.user), "只有县政府办公室可以催办。")
    unit = get_object_or_404(Unit.objects.for_user(request.user), pk=pk)
    form = UrgeUnitForm(request.POST)
    visible = DutyItem.objects.for_user(request.user)
    overdue_count = visible.filter(pk__in=unit_items_to_urge(unit, OVERDUE)).count()
    open_count = visible.filter(pk__in=unit_items_to_urge(unit, ALL_OPEN)).count()
    context = {
        "unit": unit,
        "open_count": open_count,
        "overdue_count": overdue_count,
        "action": reverse("notices:urge_unit", args=[unit.pk]),
        "back": reverse("notices:overdue"),
    }
    if form.is_valid():
        scope = form.cleaned_data["scope"]
        try:
            urging = urge_unit_service(request.user, unit, message=form.cleaned_data["message"], scope=scope)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            what = "逾期未办结任务" if scope == OVERDUE else "未办结任务"
            messages.success(
                request, f"已催办{unit}的 {urging.item_count} 项{what}，该单位的联络员和负责人将收到通知。"
            )
            return redirect(safe_url(request, form.cleaned_data["next"], reverse("notices:overdue")))
    return render(request, "notices/urge.html", {"form": form, **context}, status=400)
