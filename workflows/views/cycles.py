"""The office opens a cycle (with a preview first) and creates ad-hoc items."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from departments import access
from workdays.calendar import WorkCalendar, uncovered_warning

from .. import cycles, services
from ..forms import AdHocItemForm, OpenCycleForm
from ..models import Plan


@login_required
@access.required(access.can_open_cycles, "只有县政府办公室或领导小组办公室可以开启周期。")
def open_cycle(request, plan_pk):
    """GET shows the form; "preview" shows what would be created; "open" creates it."""
    plan = get_object_or_404(Plan, pk=plan_pk)
    form = OpenCycleForm(request.POST or None, plan=plan)
    preview = None
    if request.method == "POST" and form.is_valid():
        period = {"year": form.cleaned_data["year"], "phase": form.cleaned_data["phase"]}
        try:
            if "open" in request.POST:
                result = services.open_cycle(request.user, plan, **period)
                messages.success(
                    request,
                    f"{result.period.label}已开启：新建 {len(result.created)} 项任务（原有 {result.existing} 项）。",
                )
                return redirect("board:mine")
            preview = cycles.preview_cycle(plan, **period)
        except ValidationError as error:
            form.add_error(None, error)
        except IntegrityError:
            form.add_error(None, "有人正在同时开启这个周期，请刷新后查看结果。")
    return render(request, "workflows/open_cycle.html", {"plan": plan, "form": form, "preview": preview})


@login_required
@access.required(access.is_office, "只有县政府办公室可以交办临时任务。")
def create_item(request):
    form = AdHocItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.create_ad_hoc_item(
                request.user,
                unit=data["unit"],
                title=data["title"],
                deadline=data["deadline"],
                working_days=data["working_days"],
                instructions=data["instructions"],
                cooperating_units=data["cooperating_units"],
                kind=data["kind"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            limit = f"，{item.working_days}个工作日内" if item.working_days else ""
            messages.success(request, f"任务已交办，截止 {item.deadline:%Y年%m月%d日}{limit}。")
            if item.working_days:
                years = WorkCalendar.load().uncovered_years(timezone.localdate(), item.deadline)
                if years:
                    messages.warning(request, uncovered_warning(years))
            return redirect(item.get_absolute_url())
    return render(request, "workflows/item_form.html", {"form": form})
