"""The plan office's figures import (template, upload, confirmation) and a school's page: thin callers of services."""

import base64
import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from departments import access
from departments.imports.files import Upload

from ..forms import FigureEditForm, FiguresUploadForm
from ..imports import COLUMNS, apply_figures, build_template, check_figures
from ..models import SchoolProfile, SchoolYearFigures
from ..services.school_page import school_page
from ..services.schools import edit_figure

PENDING_KEY = "indicators.pending_figures"


@require_http_methods(["GET", "POST"])
@login_required
@access.required(access.can_import_school_figures, "只有领导小组办公室可以导入学校年度数据。")
def import_figures(request):
    check = None
    form = FiguresUploadForm(
        request.POST or None, request.FILES or None, initial={"year": timezone.localdate().year - 1}
    )
    if request.method == "POST" and form.is_valid():
        upload, year = form.cleaned_data["file"], form.cleaned_data["year"]
        check = check_figures(upload, year)
        if check.ok and not check.replaces:
            return _apply(request, check)
        if check.ok:
            request.session[PENDING_KEY] = {
                "year": year,
                "name": upload.name,
                "format": upload.format,
                "data": base64.b64encode(upload.data).decode("ascii"),
                "changes": changes_digest(check),
            }
    changes = changes_digest(check) if check is not None and check.ok and check.replaces else ""
    context = {"form": form, "check": check, "columns": COLUMNS, "changes": changes}
    return render(request, "indicators/import.html", context)


def changes_digest(check):
    """What the confirmation page showed: confirming applies exactly that file and those changes, or nothing."""
    return hashlib.sha256("\n".join([str(check.year), *map(str, check.diff_lines())]).encode()).hexdigest()


@login_required
@require_POST
@access.required(access.can_import_school_figures, "只有领导小组办公室可以导入学校年度数据。")
def confirm_import(request):
    """Replace a year after the user saw the differences. The file is checked again: the data may have moved."""
    pending = request.session.pop(PENDING_KEY, None)
    if not pending or request.POST.get("changes") != pending.get("changes"):
        # another upload since (in another tab), or nothing pending: never apply what was not shown
        messages.error(request, "没有待确认的导入，或已被另一次上传取代：请重新上传文件。")
        return redirect("indicators:import_figures")
    upload = Upload(pending["name"], pending["format"], base64.b64decode(pending["data"]))
    check = check_figures(upload, pending["year"])
    if check.ok and changes_digest(check) != pending["changes"]:
        messages.error(request, "系统中的数据在确认前已被修改，替换内容与刚才显示的不同：请重新上传文件核对。")
        return redirect("indicators:import_figures")
    return _apply(request, check)


def _apply(request, check):
    apply_figures(check, request.user)
    if check.ok:
        messages.success(request, "导入完成：" + check.summary())
    else:
        messages.error(request, check.summary())
    return redirect("indicators:import_figures")


@require_http_methods(["GET"])
@login_required
@access.required(access.can_import_school_figures, "只有领导小组办公室可以导入学校年度数据。")
def figures_template(request):
    try:
        year = int(request.GET.get("year") or timezone.localdate().year - 1)
    except ValueError as error:
        raise Http404("年度无效") from error
    response = HttpResponse(
        build_template(year), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{year}-school-figures.xlsx"
    return response


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
@require_POST
def edit_school_figure(request, pk):
    profile = _school(request.user, pk)
    figures = get_object_or_404(SchoolYearFigures, pk=request.POST.get("figures"), part__school=profile)
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
