"""The user's in-app notices (the notifications library's rows): list with filters, open (a POST marks it read),
mark all read, and the person's choice per kind of notice (at once or in the daily digest)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe
from notifications.helpers import invalidate_unread_count_cache

from departments.http import post_only

from ..forms import InboxFilterForm, PreferencesForm
from ..preferences import modes_for
from ..reads import filter_inbox, inbox_for
from ..services import save_preferences
from ..services.inbox import mark_all_read as mark_all_read_service
from ..services.inbox import mark_read
from .common import PAGE_SIZE, add_service_errors, safe_url


@login_required
@require_safe
def inbox(request):
    """The person's notices, newest first, filtered (unread, kind, period, words); opening one is a POST."""
    notifications = inbox_for(request.user)
    form = InboxFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    listed = filter_inbox(notifications, **filters)
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "form": form,
        "filtered": any(filters.get(key) for key in ("unread", "kind", "period", "q")),
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
@post_only("notices:inbox")
def mark_all_read(request):
    count = mark_all_read_service(request.user)
    invalidate_unread_count_cache(request.user, request)
    messages.success(request, f"已将 {count} 条通知标为已读。" if count else "没有未读通知。")
    return redirect("notices:inbox")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request):
    """通知设置: per kind of notice, at once or in the daily digest at 08:00."""
    modes = modes_for(request.user)
    form = PreferencesForm(request.POST if request.method == "POST" else None, modes=modes)
    if request.method == "POST":
        if form.is_valid():
            try:
                save_preferences(request.user, form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "通知设置已保存，此后的通知按新的设置发送。")
                return redirect("notices:preferences")
        return render(request, "notices/preferences.html", {"form": form, "active": "preferences"}, status=400)
    return render(request, "notices/preferences.html", {"form": form, "active": "preferences"})
