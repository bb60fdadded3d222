"""A read-only JSON endpoint for the organisation department's own systems, authenticated by an API token.

    curl -H "Authorization: Bearer <token>" https://taskboard.example/api/assessments/2025/

Only published runs are served. The token acts as the person it was made for, who must
be allowed to see every unit's result (考核办 or 县政府办公室).
"""

from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.db.models import F
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from departments import access

from ..exports import RANKING_COLUMNS
from ..models import LINE_RANK_ORDER, RANK_ORDER, AssessmentRun, ScoreLine, UnitScore
from ..services.storage import LINE_COLUMNS
from ..services.tokens import RateLimited, count_request, token_user

SCORE_FIELDS = [field for _header, field in RANKING_COLUMNS]  # what the Excel ranking has, in its order
LINE_FIELDS = [column for column in LINE_COLUMNS if column != "score_id"]
READ_METHODS = ("GET", "HEAD")


def _error(status, message, **headers):
    response = JsonResponse({"error": message}, status=status, json_dumps_params={"ensure_ascii": False})
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="taskboard"'
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def bearer_key(request):
    scheme, _space, key = request.headers.get("Authorization", "").partition(" ")
    return key if scheme.lower() == "bearer" else ""


def api_view(view):
    """JSON for every answer, whatever the method or the token: 405 for anything but GET/HEAD, 401 without a
    valid token, 403 for a person who may not read every unit's result, 429 past the rate limit. The API takes a
    token, never the session's cookie, so there is no CSRF to check and no login page to redirect to."""

    @login_not_required
    @csrf_exempt
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in READ_METHODS:
            return _error(405, f"只支持 GET 请求（收到 {request.method[:10]}）。", Allow=", ".join(READ_METHODS))
        user = token_user(bearer_key(request))
        if user is None:
            return _error(401, "缺少或无效的 API 令牌：请在请求头中提供 Authorization: Bearer <令牌>。")
        if not access.sees_every_assessment_result(user):
            return _error(403, "该令牌所属账号无权查看全县考核结果。")
        try:
            count_request(bearer_key(request))
        except RateLimited as limited:
            return _error(
                429, f"请求过于频繁：请在 {limited.retry_after} 秒后再试。", Retry_After=str(limited.retry_after)
            )
        request.api_user = user  # the person the token acts as (never the session's)
        return view(request, *args, **kwargs)

    return wrapped


@api_view
def not_found(request, rest=""):
    """Any other address under the API: a JSON 404, not the site's HTML page."""
    return _error(404, "没有这个接口：可用的是 /api/assessments/ 和 /api/assessments/<年度>/。")


def _number(value):
    return None if value is None else float(value)


def _run_summary(run):
    return {
        "id": run.pk,
        "year": run.year,
        "as_of": run.as_of.isoformat(),
        "status": run.status,
        "published_at": timezone.localtime(run.published_at).isoformat() if run.published_at else None,
        "parameters": run.parameters,
    }


@api_view
def run_list(request):
    """Every published or superseded run, newest first."""
    runs = (
        AssessmentRun.objects.for_user(request.api_user)
        .exclude(status=AssessmentRun.Status.DRAFT)
        .order_by("-year", "-published_at")
    )
    return JsonResponse({"runs": [_run_summary(run) for run in runs]}, json_dumps_params={"ensure_ascii": False})


@api_view
def year_results(request, year):
    """The year's published run: every unit's score and rank; with ?lines=1 also every deduction and bonus."""
    run = (
        AssessmentRun.objects.for_user(request.api_user)
        .filter(year=year, status=AssessmentRun.Status.PUBLISHED)
        .first()
    )
    if run is None:
        return _error(404, f"{year}年度还没有发布的考核结果。")
    scores = UnitScore.objects.filter(run=run).order_by(RANK_ORDER, "unit_name").values("unit_id", *SCORE_FIELDS)
    units = []
    for row in scores:
        for field in ("score", "deductions", "bonuses", "on_time_rate"):
            row[field] = _number(row[field])
        units.append(row)
    body = {"run": _run_summary(run), "units": units}
    if request.GET.get("lines") in ("1", "true"):
        lines = ScoreLine.objects.filter(score__run=run).order_by(LINE_RANK_ORDER, "score__unit_name", "points", "pk")
        body["lines"] = [
            {**line, "quantity": _number(line["quantity"]), "points": _number(line["points"])}
            for line in lines.values(*LINE_FIELDS, unit_id=F("score__unit_id"))
        ]
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})
