"""Downloads of a run (XLSX, CSV) and its charts (SVG on the page, PNG to save). Only for those who see every unit."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.views.decorators.http import require_GET

from outputs.downloads import CHART_TYPES, chart_response

from .. import exports
from .pages import visible_run


@login_required
@require_GET
def export_xlsx(request, pk):
    return exports.xlsx_response(visible_run(request.user, pk))


@login_required
@require_GET
def export_csv(request, pk):
    run = visible_run(request.user, pk)
    if request.GET.get("sheet") == "lines":
        return exports.csv_lines_response(run)
    return exports.csv_ranking_response(run)


@login_required
@require_GET
def chart(request, pk, name, fmt):
    run = visible_run(request.user, pk)
    draw = exports.CHARTS.get(name)
    if draw is None or fmt not in CHART_TYPES:
        raise Http404
    return chart_response(draw(run, fmt), fmt, filename=f"{run.year}年度考核-{name}.png", max_age=300)
