"""The project's URLs: each app's own under its prefix, viewflow's pages under /workflow/, the admin."""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LogoutView
from django.urls import include, path
from django.views.generic import RedirectView

from pages.views.accounts import LoginView, PasswordChangeView
from workflows.views.viewflow_site import site as workflow_site

urlpatterns = [
    path("", include("pages.urls")),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", login_not_required(LogoutView.as_view()), name="logout"),
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
    path("inbox/notifications/", include("notifications.urls", namespace="notifications")),
    path("workflow/", workflow_site.urls),
    # One place to change one's password, where a wrong old password counts as a failed login (pages.views.accounts).
    path("admin/password_change/", RedirectView.as_view(pattern_name="password_change")),
    path("admin/", admin.site.urls),
]
