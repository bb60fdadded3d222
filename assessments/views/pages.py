"""The assessment pages: runs, the year's scheme, the ranking and each unit's explanation. Thin: services decide."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime

from departments import access
from departments.http import post_only

from .. import services
from ..forms import RankingFilterForm, SchemeForm, StartRunForm
from ..models import RANK_ORDER, AssessmentRun, ScoreLine, ScoringScheme, UnitScore


def visible_run(user, pk):
    """A run this person may open as a whole (the ranking); 404 for anyone else, so nothing leaks."""
    return get_object_or_404(AssessmentRun.objects.for_user(user), pk=pk)


@login_required
def index(request):
    user = request.user
    own_units = access.own_unit_ids(user)
    own_scores = (
        UnitScore.objects.for_user(user)
        .filter(unit_id__in=own_units)
        .exclude(run__status=AssessmentRun.Status.DRAFT)
        .select_related("run")
        .order_by("-run__year", "-run__published_at", "unit_name")
    )
    if not access.sees_every_assessment_result(user) and not access.manages_assessment(user):
        access.require(own_units, "年度考核结果只对县委组织部（考核办）、县政府办公室和被考核单位开放。")
        return render(request, "assessments/own_scores.html", {"own_scores": own_scores})
    runs = AssessmentRun.objects.for_user(user).select_related("created_by", "published_by")
    context = {
        "runs": runs,
        "own_scores": own_scores,
        "is_manager": access.manages_assessment(user),
        "start_form": StartRunForm(),
        "schemes": ScoringScheme.objects.all(),
    }
    return render(request, "assessments/index.html", context)


@login_required
@access.required(access.manages_assessment, services.MANAGERS_ONLY)
def scheme_edit(request, year):
    if not 2000 < year < 2101:
        raise Http404
    scheme = ScoringScheme.objects.filter(year=year).first() or ScoringScheme(year=year)
    form = SchemeForm(request.POST or None, instance=scheme)
    if request.method == "POST" and form.is_valid():
        services.save_scheme(request.user, form)
        messages.success(request, f"{year}年度评分办法已保存。草稿考核需“重新计算”后才按新办法计分；已发布的结果不变。")
        return redirect("assessments:index")
    runs = AssessmentRun.objects.filter(year=year)
    return render(request, "assessments/scheme_form.html", {"form": form, "year": year, "runs": runs})


@login_required
@post_only("assessments:index")
@access.required(access.manages_assessment, services.MANAGERS_ONLY)
def run_start(request):
    form = StartRunForm(request.POST)
    if form.is_valid():
        try:
            run = services.start_run(request.user, form.cleaned_data["year"], form.cleaned_data["as_of"])
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, f"{run.year}年度考核已计算（草稿），核对无误后发布。")
            return redirect(run)
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{'；'.join(errors)}" if label else "；".join(errors))
    return redirect("assessments:index")


@login_required
@post_only("assessments:run_detail", kwargs=["pk"])
def run_recompute(request, pk):
    run = visible_run(request.user, pk)
    try:
        services.recompute(request.user, run)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, "已按当前任务数据和评分办法重新计算。")
    return redirect(run)


@login_required
@post_only("assessments:run_detail", kwargs=["pk"])
def run_publish(request, pk):
    run = visible_run(request.user, pk)
    try:
        services.publish(request.user, run, computed_at=reviewed_computation(request))
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, "考核结果已发布，此后不再变化；如需更正，请新建一次考核。")
    return redirect(run)


def reviewed_computation(request):
    """The computation the publisher's page showed (its computed_at, as the page sent it back)."""
    value = parse_datetime(request.POST.get("computed_at", ""))
    return value if value is not None else datetime.datetime(1, 1, 1, tzinfo=datetime.UTC)  # never a computation's time


def filtered_scores(run, data):
    form = RankingFilterForm(data or None)
    scores = UnitScore.objects.filter(run=run)
    if form.is_valid():
        if form.cleaned_data["kind"]:
            scores = scores.filter(unit_kind=form.cleaned_data["kind"])
        if form.cleaned_data["q"]:
            scores = scores.filter(Q(unit_name__contains=form.cleaned_data["q"]))
        if form.cleaned_data["below"] is not None:
            scores = scores.filter(score__lt=form.cleaned_data["below"])
    return form, scores.order_by(RANK_ORDER, "unit_name")


@login_required
def run_detail(request, pk):
    run = visible_run(request.user, pk)
    form, scores = filtered_scores(run, request.GET)
    context = {
        "run": run,
        "form": form,
        "scores": scores,
        "unit_count": UnitScore.objects.filter(run=run).count(),
        "is_manager": access.manages_assessment(request.user),
        "parameters": run.parameters,
        "query": request.GET.urlencode(),
    }
    return render(request, "assessments/run_detail.html", context)


@login_required
def unit_detail(request, pk, unit_id):
    score = get_object_or_404(UnitScore.objects.for_user(request.user).select_related("run"), run=pk, unit_id=unit_id)
    run = score.run
    lines = ScoreLine.objects.filter(score=score).order_by("points", "kind", "item_title", "pk")
    back = (
        reverse("assessments:run_detail", args=[run.pk])
        if AssessmentRun.objects.for_user(request.user).filter(pk=run.pk).exists()
        else reverse("assessments:index")
    )
    return render(request, "assessments/unit_detail.html", {"run": run, "score": score, "lines": lines, "back": back})
