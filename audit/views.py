"""The audit trail's pages, for administrators (系统管理员) and superusers: changes, access events, lockouts."""

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from departments import access
from departments.http import post_only

from . import lockout, reads, services
from .forms import ChangeFilters, EventFilters, UnlockForm

PAGE_SIZE = 50
READERS_ONLY = "只有系统管理员可以查看审计日志。"


def _page(request, rows):
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
@require_safe
@access.required(access.reads_audit_trail, READERS_ONLY)
def changes(request):
    """Changes to items, units, memberships, roles, schemes, the ladder and school figures: who, when, what."""
    form = ChangeFilters(request.GET)
    page = _page(request, reads.changes(form.cleaned_data) if form.is_valid() else reads.changes({}).none())
    context = {
        "form": form,
        "page_obj": page,
        "rows": reads.readable(page.object_list),
        "filter_params": request.GET,
        "retention_days": settings.AUDIT_RETENTION_DAYS,
        "active": "changes",
    }
    return render(request, "audit/changes.html", context)


@login_required
@require_safe
@access.required(access.reads_audit_trail, READERS_ONLY)
def events(request):
    """Logins, failed logins, denied accesses and lifted lockouts."""
    form = EventFilters(request.GET)
    rows = reads.events(form.cleaned_data) if form.is_valid() else reads.events({}).none()
    context = {
        "form": form,
        "page_obj": _page(request, rows),
        "filter_params": request.GET,
        "retention_days": settings.AUDIT_RETENTION_DAYS,
        "active": "events",
    }
    return render(request, "audit/events.html", context)


@login_required
@require_safe
@access.required(access.reads_audit_trail, READERS_ONLY)
def lockouts(request):
    """Who and which addresses have failed logins counted now, the locked ones first; lifting a lock."""
    context = {
        "failures": lockout.current_failures(),
        "limits": lockout.limits(),
        "cool_off_minutes": int(get_cool_off().total_seconds() // 60),
        "can_unlock": access.unlocks_logins(request.user),
        "active": "lockouts",
    }
    return render(request, "audit/lockouts.html", context)


@login_required
@post_only("audit:lockouts")
def unlock(request):
    access.require(access.unlocks_logins(request.user), "只有系统管理员可以解除登录锁定。")
    form = UnlockForm(request.POST)
    if not form.is_valid():
        for message in form.non_field_errors() or ["账号或网络地址有误。"]:
            messages.error(request, message)
        return redirect("audit:lockouts")
    data = form.cleaned_data
    try:
        services.unlock(request.user, username=data["username"], address=data["address"], request=request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        target = f"账号 {data['username']}" if data["username"] else f"网络地址 {data['address']}"
        messages.success(request, f"已解除{target} 的登录锁定，失败次数已清零。")
    return redirect("audit:lockouts")
