"""The plan office's figures import (template, upload, confirmation) and a school's page: thin callers of reads
and services. A file that would replace a year waits on the server (``services.figure_uploads``) until its
page is confirmed; the page's form posts back its token and the digest of the differences it showed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from departments import access
from departments.forms import import_upload_limit
from departments.http import post_only
from departments.uploads import bounded_upload
from outputs.downloads import attachment_response
from outputs.xlsx import XLSX_CONTENT_TYPE
from workflows.periods import last_complete_year

from ..forms import FigureEditForm, FiguresUploadForm
from ..imports import COLUMNS, apply_figures, build_template, check_figures
from ..models import SchoolProfile, SchoolYearFigures
from ..reads.school_page import school_page
from ..services.figure_uploads import ONLY_THE_PLAN_OFFICE, confirm_upload, hold_upload
from ..services.schools import edit_figure


@bounded_upload(import_upload_limit)
@require_http_methods(["GET", "POST"])
@login_required
@access.required(access.can_import_school_figures, ONLY_THE_PLAN_OFFICE)
def import_figures(request):
    check, pending = None, None
    form = FiguresUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload, year = form.cleaned_data["file"], form.cleaned_data["year"]
        check = check_figures(upload, year)
        if check.ok and not check.replaces:
            return _applied(request, apply_figures(check, request.user))
        if check.ok:
            pending = hold_upload(request.user, upload, check)
    context = {
        "form": form,
        "check": check,
        "columns": COLUMNS,
        "pending": pending,
        "changes": pending.changes if pending else "",
        "template_year": last_complete_year(timezone.localdate()),
    }
    return render(request, "indicators/import.html", context)


@login_required
@post_only("indicators:import_figures")
@access.required(access.can_import_school_figures, ONLY_THE_PLAN_OFFICE)
def confirm_import(request):
    """Replace a year after the user saw the differences. The file is checked again: the data may have moved."""
    try:
        check = confirm_upload(request.user, request.POST.get("token"), request.POST.get("changes"))
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("indicators:import_figures")
    return _applied(request, check)


def _applied(request, check):
    if check.ok:
        messages.success(request, "导入完成：" + check.summary())
    else:
        messages.error(request, check.summary())
    return redirect("indicators:import_figures")


@require_http_methods(["GET"])
@login_required
@access.required(access.can_import_school_figures, ONLY_THE_PLAN_OFFICE)
def figures_template(request):
    try:
        year = int(request.GET.get("year") or last_complete_year(timezone.localdate()))
    except ValueError as error:
        raise Http404("年度无效") from error
    return attachment_response(
        build_template(year),
        content_type=XLSX_CONTENT_TYPE,
        filename=f"{year}年学校数据模板.xlsx",
        fallback=f"{year}-school-figures.xlsx",
    )


def _school(user, pk):
    return get_object_or_404(SchoolProfile.objects.for_user(user).select_related("unit", "township"), pk=pk)


@require_http_methods(["GET"])
@login_required
def school_detail(request, pk):
    profile = _school(request.user, pk)
    context = school_page(profile, request.GET.get("year"))
    context["can_edit"] = access.can_edit_school_figures(request.user)
    context["edit_form"] = FigureEditForm()
    return render(request, "indicators/school_detail.html", context)


@login_required
@post_only("indicators:school_detail", kwargs=["pk"])
def edit_school_figure(request, pk):
    profile = _school(request.user, pk)
    figures_id = request.POST.get("figures", "")
    if not figures_id.isdigit():
        raise Http404("没有这一年的学校数据")
    figures = get_object_or_404(SchoolYearFigures, pk=int(figures_id), part__school=profile)
    form = FigureEditForm(request.POST)
    url = reverse("indicators:school_detail", args=[profile.pk]) + f"?year={figures.year}"
    if not form.is_valid():
        messages.error(request, "；".join(message for errors in form.errors.values() for message in errors))
        return redirect(url)
    try:
        edit = edit_figure(
            request.user, figures, form.cleaned_data["field"], form.cleaned_data["value"], form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect(url)
    messages.success(request, f"已修改：{edit}" if edit else "数值没有变化。")
    return redirect(url)
