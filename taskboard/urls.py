from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views
from .workflow_site import site as workflow_site

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/", include("departments.urls")),
    path("plans/", include("workflows.urls")),
    path("board/", include("taskboard.board_urls")),
    path("notices/", include("notices.urls")),
    path("assessments/", include("assessments.urls")),
    path("api/assessments/", include("assessments.api_urls")),
    path("indicators/", include("indicators.urls")),
    path("inbox/notifications/", include("notifications.urls", namespace="notifications")),
    path("workflow/", workflow_site.urls),
    path("admin/", admin.site.urls),
]
