"""The user's in-app notices (the notifications library's rows): list, open (marks read), mark all read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe
from notifications.helpers import invalidate_unread_count_cache

from ..reads import inbox_for
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
@require_safe
def open_notification(request, pk):
    """Mark one of the user's own notices read and go where it points. Someone else's is 404."""
    notification = get_object_or_404(inbox_for(request.user), pk=pk)
    if notification.unread:
        notification.mark_as_read()
        invalidate_unread_count_cache(request.user, request)
    url = (notification.data or {}).get("url") if isinstance(notification.data, dict) else None
    return redirect(safe_url(request, url, reverse("notices:inbox")))


@login_required
@require_POST
def mark_all_read(request):
    count = inbox_for(request.user).mark_all_as_read(recipient=request.user)
    invalidate_unread_count_cache(request.user, request)
    messages.success(request, f"已将 {count} 条通知标为已读。" if count else "没有未读通知。")
    return redirect("notices:inbox")
