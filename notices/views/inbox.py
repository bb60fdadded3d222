"""The user's in-app notices (the notifications library's rows): list, open (marks read), mark all read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from notifications.helpers import invalidate_unread_count_cache

from ..reads import inbox_for
from ..services.inbox import mark_all_read as mark_all_read_service
from ..services.inbox import mark_read
from .common import PAGE_SIZE, safe_url


@login_required
@require_safe
def inbox(request):
    notifications = inbox_for(request.user)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "filter_params": request.GET,
        "unread_count": notifications.unread().count(),
        "active": "inbox",
    }
    return render(request, "notices/inbox.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def open_notification(request, pk):
    """Go where one of the user's own notices points; the inbox's button (a POST) also marks it read, a plain
    link (GET) only follows it. Someone else's notice is 404; a link off the site leads to the inbox."""
    notification = get_object_or_404(inbox_for(request.user), pk=pk)
    if request.method == "POST" and notification.unread:
        mark_read(request.user, notification)
        invalidate_unread_count_cache(request.user, request)
    url = (notification.data or {}).get("url") if isinstance(notification.data, dict) else None
    return redirect(safe_url(request, url, reverse("notices:inbox")))


@login_required
@require_POST
def mark_all_read(request):
    count = mark_all_read_service(request.user)
    invalidate_unread_count_cache(request.user, request)
    messages.success(request, f"已将 {count} 条通知标为已读。" if count else "没有未读通知。")
    return redirect("notices:inbox")
