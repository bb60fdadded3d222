"""The project's URLs: each app's own under its prefix, viewflow's pages under /workflow/, the admin."""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LogoutView
from django.urls import URLPattern, include, path
from django.views.generic import RedirectView
from notifications import urls as notification_urls

from departments.http import post_only
from pages.views.accounts import LoginView, PasswordChangeView
from workflows.views.viewflow_site import site as workflow_site


def library_post_only(patterns, redirect_to):
    """A library's POST-only views (``require_POST``) answer a GET with ``redirect_to``, as the project's own do."""
    return [
        URLPattern(pattern.pattern, post_only(redirect_to)(pattern.callback), pattern.default_args, pattern.name)
        if pattern.name in POST_ONLY_LIBRARY_VIEWS
        else pattern
        for pattern in patterns
    ]


# The notifications library's buttons (Taskboard's inbox has its own; these stay reachable as the library made them).
POST_ONLY_LIBRARY_VIEWS = {"mark_all_as_read", "mark_as_read", "mark_as_unread", "delete"}

urlpatterns = [
    path("", include("pages.urls")),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", post_only("home")(login_not_required(LogoutView.as_view())), name="logout"),
    path("password/", PasswordChangeView.as_view(), name="password_change"),
    path("units/", include("departments.urls")),
    path("plans/", include("workflows.urls")),
    path("board/", include("board.urls")),
    path("workdays/", include("workdays.urls")),
    path("notices/", include("notices.urls")),
    path("assessments/", include("assessments.urls")),
    path("api/assessments/", include("assessments.api_urls")),
    path("indicators/", include("indicators.urls")),
    path("audit/", include("audit.urls")),
    path(
        "inbox/notifications/",
        include(
            (library_post_only(notification_urls.urlpatterns, "notices:inbox"), notification_urls.app_name),
            namespace="notifications",
        ),
    ),
    path("workflow/", workflow_site.urls),
    # One place to change one's password, where a wrong old password counts as a failed login (pages.views.accounts).
    path("admin/password_change/", RedirectView.as_view(pattern_name="password_change")),
    path("admin/", admin.site.urls),
]

# Chinese pages, and JSON with a Chinese message under /api/ (pages.errors).
handler403 = "pages.errors.permission_denied"
handler404 = "pages.errors.page_not_found"
handler500 = "pages.errors.server_error"
