from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from departments import access
from departments.models import Unit
from outputs.downloads import CHART_TYPES, chart_response
from workflows.models import DutyTemplate, Plan

from ..reads import plan_progress_charts as charts
from ..reads.plan_progress import yearly_progress


@login_required
def plan_list(request):
    plans = Plan.objects.annotate(duty_count=Count("duty_templates")).order_by("-issued_on")
    return render(request, "workflows/plan_list.html", {"plans": plans})


@login_required
def plan_detail(request, pk):
    """The plan is a public document (此件公开发布): every signed-in user may read it."""
    plan = get_object_or_404(Plan, pk=pk)
    templates = (
        DutyTemplate.objects.filter(plan=plan)
        .select_related("lead_unit")
        .prefetch_related(Prefetch("cooperating_units", queryset=Unit.objects.order_by("name")))
    )
    context = {
        "plan": plan,
        "phases": plan.phases.all(),
        "positions": plan.positions.select_related("unit"),
        "indicators": plan.indicators.all(),
        "templates": templates,
    }
    return render(request, "workflows/plan_detail.html", context)


def _plan(pk):
    """The plan asked for, or the plan in force; 404 when there is none."""
    plan = Plan.objects.filter(pk=pk).first() if pk is not None else Plan.objects.current()
    if plan is None:
        raise Http404("没有这个实施方案" if pk is not None else "还没有导入实施方案")
    return plan


@require_GET
@login_required
@access.required(access.sees_plan_progress)
def plan_progress(request, pk=None):
    """The plan's progress year by year (``pages.reads.plan_progress``), the plan in force without ``pk``. The
    assessments' average scores only for those who may read every unit's result."""
    plan = _plan(pk)
    with_scores = access.sees_every_assessment_result(request.user)
    context = {
        "plan": plan,
        "rows": yearly_progress(plan, with_scores=with_scores),
        "with_scores": with_scores,
        "chart_names": [name for name in charts.CHART_NAMES if with_scores or name != charts.SCORES],
    }
    return render(request, "pages/plan_progress.html", context)


@require_GET
@login_required
@access.required(access.sees_plan_progress)
def plan_progress_chart(request, pk, name, fmt):
    if name not in charts.CHART_NAMES or fmt not in CHART_TYPES:
        raise Http404("没有这张图")
    with_scores = access.sees_every_assessment_result(request.user)
    access.require(with_scores or name != charts.SCORES, "您没有权限查看考核结果。")
    plan = _plan(pk)
    content = charts.draw(name, yearly_progress(plan, with_scores=with_scores), fmt)
    return chart_response(content, fmt, filename=f"实施进度-{name}.png")
