"""The board's export to Excel, one click on the board's 导出 (a POST of its filters): the filtered list (every page)
at once when it is small; above ``TASKBOARD_EXPORT_SYNC_ROWS`` rows, a background job with a progress page and a
download link that only the person who asked may open (``BoardExport.objects.for_user``). A second identical click
while the job runs lands on the same job. The old GET address still works for links and bookmarks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from departments import access
from departments.http import post_only
from outputs import jobs
from outputs.downloads import content_disposition
from outputs.xlsx import XLSX_CONTENT_TYPE

from .. import exports, services
from ..models import BoardExport
from ..reads import board_query


def _board_ids(request, params):
    """(the person's filtered item ids in board order, or None if the filters are invalid; today)."""
    today = timezone.localdate()
    board = board_query(request, params, today)
    if not board.filterset.is_valid():
        messages.error(request, "筛选条件有误，请修改后再导出。")
        return None, today
    return services.visible_ids(board), today


def _download(ids, today):
    workbook = exports.items_workbook(ids, today=today)
    name, fallback = exports.filename(today)
    return exports.xlsx_response(workbook, name, fallback=fallback)


@login_required
@require_safe
def export(request):
    """The old GET address of the export (links and bookmarks made before the board's 导出 became a form): the file
    when the list is small; else a page offering to write it in the background (a POST: a GET writes nothing)."""
    ids, today = _board_ids(request, request.GET)
    if ids is None:
        return redirect(f"{reverse('board:mine')}?{request.GET.urlencode()}")
    if services.exports_in_background(len(ids)):
        context = {"count": len(ids), "querystring": request.GET.urlencode()}
        return render(request, "board/export_confirm.html", context)
    return _download(ids, today)


@login_required
@post_only("board:mine")
def export_start(request):
    """The board's 导出 button (one click; the filters come in ``querystring``): the file itself when the list is
    small; else the background job, new or the one already running for the same file, and its progress page."""
    params = QueryDict(request.POST.get("querystring", ""))
    ids, today = _board_ids(request, params)
    if ids is None:
        return redirect(f"{reverse('board:mine')}?{params.urlencode()}")
    if not services.exports_in_background(len(ids)):
        return _download(ids, today)
    job, created = services.request_export(request.user, ids, today=today, query=params.urlencode())
    if created:
        messages.info(request, f"正在后台导出 {len(ids)} 项任务，完成后可在本页下载。")
    else:
        messages.info(request, "同样的导出正在进行，请等待完成，不必重复提交。")
    return redirect("board:export_detail", pk=job.pk)


def _export(user, pk):
    return get_object_or_404(BoardExport.objects.for_user(user).select_related("requested_by"), pk=pk)


def status_payload(job):
    return {**jobs.status_payload(job, reverse("board:export_download", args=[job.pk])), "rows": job.rows}


@login_required
@require_safe
def export_detail(request, pk):
    job = _export(request.user, pk)
    back = f"{reverse('board:mine')}?{job.query}" if job.query else reverse("board:mine")
    return render(request, "board/export_detail.html", {"job": job, "status": status_payload(job), "back": back})


@login_required
@require_safe
def export_status(request, pk):
    return JsonResponse(status_payload(_export(request.user, pk)), json_dumps_params={"ensure_ascii": False})


@login_required
@require_safe
def export_download(request, pk):
    job = get_object_or_404(BoardExport.objects.for_user(request.user), pk=pk, status=BoardExport.Status.DONE)
    if not job.file:
        raise Http404("导出文件不存在")
    access.require(
        services.still_visible_to(request.user, job), "您已无权查看这份导出中的部分任务，请回到任务看板重新导出。"
    )
    try:
        handle = job.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("导出文件不存在") from error
    response = FileResponse(handle, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(job.filename, job.fallback_filename)
    return response
