"""Pages that compose several apps: the home page, the unit pages and the plan pages (no namespace)."""

from django.urls import path

from .views import favicon, home, plans, units

urlpatterns = [
    path("", home.home, name="home"),
    path("favicon.ico", favicon.favicon, name="favicon"),
    path("units/", units.unit_list, name="unit_list"),
    path("units/<int:pk>/", units.unit_detail, name="unit_detail"),
    path("plans/", plans.plan_list, name="plan_list"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("plans/progress/", plans.plan_progress, name="plan_progress"),
    path("plans/<int:pk>/progress/", plans.plan_progress, name="plan_progress_of"),
    path("plans/<int:pk>/progress/charts/<slug:name>.<str:fmt>", plans.plan_progress_chart, name="plan_progress_chart"),
]
