"""The indicators dashboard, its charts, and the county-level figures' page: thin callers of reads and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from departments import access
from outputs.downloads import CHART_TYPES, chart_response
from workflows.periods import default_year, last_complete_year

from ..forms import CountyFigureForm, DashboardFilterForm
from ..models import Stage
from ..reads.charts import CHART_NAMES, CV_TREND, draw
from ..reads.county import county_rows, enterable
from ..reads.dashboard import dashboard as dashboard_context
from ..reads.dashboard import stored_years
from ..reads.reporting import reporting
from ..services.county import enter_county_figure


def _filters(request):
    """(form, year, stage, township) from the query string; bad or no values: the year just ended (else the
    latest stored, ``default_year``), 小学, all townships."""
    years = stored_years()
    form = DashboardFilterForm(request.GET or None, years)
    if form.is_bound:
        form.is_valid()  # keeps the valid fields in cleaned_data; the errors are shown on the page
    data = getattr(form, "cleaned_data", {})
    year = data.get("year") or default_year(years, timezone.localdate())
    return form, year, data.get("stage") or Stage.PRIMARY, data.get("township")


@require_GET
@login_required
@access.required(access.sees_every_school)
def dashboard(request):
    form, year, stage, township = _filters(request)
    context = {"form": form, "year": year}
    if year is not None:
        context.update(dashboard_context(year, stage, township, page=request.GET.get("page") or 1))
        query = {"year": year, "stage": stage, **({"township": township.pk} if township else {})}
        context["chart_query"] = "&".join(f"{key}={value}" for key, value in query.items())
        context["chart_names"] = CHART_NAMES[1:]
    return render(request, "indicators/dashboard.html", context)


@require_GET
@login_required
@access.required(access.sees_every_school)
def dashboard_chart(request, name, fmt):
    if name not in CHART_NAMES or fmt not in CHART_TYPES:
        raise Http404("没有这张图")
    _form, year, stage, township = _filters(request)
    if year is None and name != CV_TREND:
        raise Http404("还没有指标数据")
    content = draw(name, year=year, stage=stage, township=township, fmt=fmt)
    return chart_response(content, fmt, filename=f"{year or ''}{Stage(stage).label}-{name}.png")


@require_http_methods(["GET", "POST"])
@login_required
def county_figures(request):
    """The county-level figures of a year: the responsible units' liaisons enter theirs, the plan office all."""
    measures = enterable(request.user)
    if not measures:
        raise PermissionDenied("您的单位没有需要填报的县级指标")
    try:
        year = int(request.POST.get("year") or request.GET.get("year") or last_complete_year(timezone.localdate()))
    except ValueError as error:
        raise Http404("年度无效") from error
    form = CountyFigureForm(request.POST or None, measures=measures, initial={"year": year})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            figure = enter_county_figure(request.user, data["year"], data["measure"], data["value"], data["note"])
        except ValidationError as error:
            form.add_error("value", error)
        else:
            messages.success(request, f"已保存 {figure.year}年的填报数值。")
            return redirect(reverse("indicators:county_figures") + f"?year={figure.year}")
    keys = {measure.key for measure in measures}
    rows = county_rows(year)
    context = {"form": form, "year": year, "rows": rows, "mine": keys, "reporting": reporting(year)}
    return render(request, "indicators/county.html", context)
