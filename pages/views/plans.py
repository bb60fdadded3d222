from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, render

from departments.models import Unit
from workflows.models import DutyTemplate, Plan


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
