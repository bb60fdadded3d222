"""问题清单 (a year's shortfalls, confirmed into rectification items) and 问题台账: thin callers of reads and
services."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from departments import access
from workflows.periods import default_year

from ..computation.frame import years_with_figures
from ..exports import ledger_xlsx_response
from ..forms import LedgerFilterForm, RaiseShortfallsForm
from ..reads.ledger import ledger_rows
from ..reads.shortfall_preview import preview_shortfalls
from ..services.rectification import raise_rectifications

DEFAULT_DAYS = 90  # the deadline offered first; the plan office chooses


@require_http_methods(["GET", "POST"])
@login_required
@access.required(access.can_raise_shortfalls, "只有领导小组办公室可以把问题清单转为整改任务。")
def shortfalls(request):
    years = years_with_figures()
    if request.method == "POST":
        form = RaiseShortfallsForm(request.POST)
        if form.is_valid():
            year = form.cleaned_data["year"]
            try:
                items = raise_rectifications(request.user, year, form.cleaned_data["deadline"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if items:
                    messages.success(request, f"已为 {len(items)} 所学校生成整改任务。")
                else:
                    messages.info(request, f"{year}年没有新的问题需要整改。")
                return redirect(reverse("indicators:ledger") + f"?year={year}")
        year = form.cleaned_data.get("year")
    else:
        try:
            year = int(request.GET.get("year") or default_year(years, timezone.localdate()) or 0) or None
        except ValueError:
            year = default_year(years, timezone.localdate())
        form = RaiseShortfallsForm(initial={"year": year, "deadline": timezone.localdate() + timedelta(DEFAULT_DAYS)})
    preview, problem = None, None
    if year:
        try:  # a page of schools (by name); the totals and the confirmation are of the whole year
            preview = preview_shortfalls(year, page=request.GET.get("page") or 1)
        except ValidationError as error:
            problem = "；".join(error.messages)
    context = {
        "form": form,
        "years": years,
        "year": year,
        "preview": preview,
        "problem": problem,
        "page_obj": preview.page_obj if preview else None,
        "filter_params": request.GET,
    }
    return render(request, "indicators/shortfalls.html", context)


def _ledger(request):
    access.require(access.sees_rectification_ledger(request.user), "只有学校、县教委和各督办角色可以查看整改台账。")
    form = LedgerFilterForm(request.GET)
    filters = form.filters()
    return form, filters, ledger_rows(**filters, user=request.user)


@require_GET
@login_required
def ledger(request):
    form, filters, rows = _ledger(request)
    query = request.GET.urlencode()
    context = {
        "form": form,
        "filters": filters,
        "rows": rows,
        "years": years_with_figures(),
        "today": timezone.localdate(),
        "export_url": reverse("indicators:ledger_export") + (f"?{query}" if query else ""),
        "can_raise": access.can_raise_shortfalls(request.user),
    }
    return render(request, "indicators/ledger.html", context)


@require_GET
@login_required
def ledger_export(request):
    _form, filters, rows = _ledger(request)
    return ledger_xlsx_response(rows, filters["year"])
