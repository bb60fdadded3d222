"""The board (任务看板): the user's items with their traffic lights, the office's bulk actions on them (their export
to Excel: ``views.exports``). Reads come from ``board.reads``; writes go through ``workflows.services`` (催办:
``notices.services``), which authorise themselves; the views only refuse early what the services would refuse.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.views.decorators.http import require_safe

from departments import access
from departments.http import post_only
from departments.names import display_name
from notices import services as notice_services
from notices.reads import recent_circulars
from workflows import services
from workflows.models import DutyItem
from workflows.periods import current_period
from workflows.querysets import LIGHT_LABELS, warning_days

from ..forms import BulkForm
from ..reads import LIGHT_COLOURS, LIGHT_ORDER, board_query, with_light_display

PAGE_SIZE = 25
DATE_FORMAT = "Y年n月j日"


@login_required
@require_safe
def mine(request):
    """My unit's items (owned or cooperating); every item for the office roles. Without a ``period`` in the
    query, those of the period in progress (``workflows.periods.current_period``); ``period=`` (全部): all."""
    params = request.GET
    if "period" not in params:
        period = current_period(timezone.localdate())
        if period is not None:
            params = params.copy()
            params["period"] = str(period.pk)
    return render_board(request, params)


def open_elsewhere(request, filterset):
    """How many open items the user may see lie outside the chosen period (earlier periods, ad-hoc and
    rectification tasks): the board says so, so the period in progress never hides unfinished work. One COUNT.
    The period is the filter's validated one: a made-up value in the query string is the filter's error, not ours."""
    period = filterset.form.cleaned_data.get("period") if filterset.is_valid() else None
    if period is None:
        return 0
    visible = DutyItem.objects.for_user(request.user).filter(stage__in=DutyItem.OPEN_STAGES)
    return visible.exclude(period=period).count()


def without_page(params):
    """The board's filters as a query string, without the page: what its 导出 exports (every page)."""
    params = params.copy()
    params.pop("page", None)
    return params.urlencode()


def render_board(request, params, bulk_form=None):
    today = timezone.localdate()
    board = board_query(request, params, today)
    page = Paginator(board.pages, PAGE_SIZE).get_page(params.get("page"))
    with_light_display(page.object_list)
    can_bulk = access.is_office(request.user)
    if can_bulk and bulk_form is None:
        bulk_form = BulkForm(user=request.user, initial={"querystring": params.urlencode()})
    context = {
        "filterset": board.filterset,
        "filter_params": params,
        "export_querystring": without_page(params),
        "page_obj": page,
        "lights": [
            {
                "key": light,
                "label": LIGHT_LABELS[light],
                "colour": LIGHT_COLOURS[light],
                "count": board.light_counts[light],
            }
            for light in LIGHT_ORDER
        ],
        "active_light": board.filterset.form.cleaned_data.get("light") if board.filterset.is_valid() else None,
        "sees_all": access.sees_every_item(request.user),
        "can_bulk": can_bulk,
        "bulk_form": bulk_form,
        "selected_ids": bulk_form.selected_ids() if bulk_form is not None and bulk_form.is_bound else set(),
        "warning_days": warning_days(),
        "circulars": recent_circulars(),
        "open_elsewhere": open_elsewhere(request, board.filterset),
    }
    return render(request, "board/mine.html", context)


@login_required
@post_only("board:mine")
def bulk(request):
    """Extend the deadline of, reassign or urge (催办) the ticked items. Errors re-show the list, ticks kept."""
    access.require(access.is_office(request.user), "只有县政府办公室可以批量调整任务。")
    form = BulkForm(request.POST, user=request.user)
    params = QueryDict(request.POST.get("querystring", ""))
    if form.is_valid():
        try:
            done = perform_bulk_action(request.user, form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, done)
            return redirect(f"{reverse('board:mine')}?{params.urlencode()}")
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return render_board(request, params, bulk_form=form)


def perform_bulk_action(user, data):
    """Call the service for the chosen action; returns the success message."""
    items = list(data["items"])
    if data["action"] == BulkForm.URGE:
        notice_services.urge_items(user, items, message=data["message"])
        return f"已催办 {len(items)} 项任务，承办单位的联络员和负责人将收到通知。"
    if data["action"] == BulkForm.EXTEND:
        count = services.extend_deadlines(user, items, new_deadline=data["new_deadline"], reason=data["reason"])
        return f"已将 {count} 项任务的截止日期调整为{dateformat.format(data['new_deadline'], DATE_FORMAT)}。"
    assignee = data["assignee"]
    count = services.reassign_items(user, items, assignee=assignee)
    return f"已将 {count} 项任务改由{display_name(assignee)}办理。"
