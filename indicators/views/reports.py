"""The self-evaluation report pages: the list with its 生成 button, a job's progress page, its JSON status and
its download. Every cross-unit role reads and downloads (indicators.view_selfevaluationreport); the plan office
and administrators generate (indicators.add_selfevaluationreport); liaisons get 403.

The GET pages write nothing: a job without progress for too long is shown as interrupted as it is read
(``looks_stuck``); it is marked failed when a report is requested (``request_report``) and by beat."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from departments import access
from departments.http import post_only
from outputs import jobs
from outputs.downloads import content_disposition
from workflows.periods import default_year

from ..computation.frame import years_with_figures
from ..models import SelfEvaluationReport
from ..models.work import county_name
from ..report.services import request_report

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@require_GET
@login_required
@access.required(access.reads_self_evaluation_reports)
def report_list(request):
    years = years_with_figures()
    return render(
        request,
        "indicators/reports.html",
        {
            "reports": SelfEvaluationReport.objects.for_user(request.user).select_related("requested_by")[:50],
            "years": years[::-1],
            "default_year": default_year(years, timezone.localdate()),
            "can_generate": access.can_generate_self_evaluation_report(request.user),
            "county_name": county_name(),
        },
    )


@login_required
@post_only("indicators:report_list")
@access.required(access.can_generate_self_evaluation_report, "只有领导小组办公室可以生成自评报告。")
def report_request(request):
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        year = None
    if year not in years_with_figures():
        messages.error(request, "请选择已有学校数据的年度。")
        return redirect("indicators:report_list")
    report, created = request_report(request.user, year)
    if created:
        messages.success(request, f"已开始生成{year}年度自评报告。")
    else:
        messages.info(request, f"{year}年度自评报告正在生成，请等待完成，不必重复提交。")
    return redirect("indicators:report_detail", pk=report.pk)


def _report(user, pk):
    return get_object_or_404(SelfEvaluationReport.objects.for_user(user).select_related("requested_by"), pk=pk)


@require_GET
@login_required
@access.required(access.reads_self_evaluation_reports)
def report_detail(request, pk):
    report = _report(request.user, pk)
    return render(request, "indicators/report_detail.html", {"report": report, "status": status_payload(report)})


def status_payload(report):
    """The job as its page and its JSON status show it (``outputs.jobs.status_payload``), with its year."""
    download_url = reverse("indicators:report_download", args=[report.pk])
    return {**jobs.status_payload(report, download_url), "year": report.year}


@require_GET
@login_required
@access.required(access.reads_self_evaluation_reports)
def report_status(request, pk):
    return JsonResponse(status_payload(_report(request.user, pk)), json_dumps_params={"ensure_ascii": False})


@require_GET
@login_required
@access.required(access.reads_self_evaluation_reports)
def report_download(request, pk):
    report = get_object_or_404(
        SelfEvaluationReport.objects.for_user(request.user), pk=pk, status=SelfEvaluationReport.Status.DONE
    )
    if not report.file:
        raise Http404("报告文件不存在")
    try:
        handle = report.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("报告文件不存在") from error
    response = FileResponse(handle, content_type=DOCX)
    response["Content-Disposition"] = content_disposition(report.filename, f"self-evaluation-report-{report.year}.docx")
    return response
