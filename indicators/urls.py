from django.urls import path

from . import views, views_dashboard, views_rectification
from .report import views as report_views

app_name = "indicators"

urlpatterns = [
    path("", views_dashboard.dashboard, name="dashboard"),
    path("charts/<slug:name>.<str:fmt>", views_dashboard.dashboard_chart, name="dashboard_chart"),
    path("county/", views_dashboard.county_figures, name="county_figures"),
    path("import/", views.import_figures, name="import_figures"),
    path("import/confirm/", views.confirm_import, name="confirm_import"),
    path("import/template.xlsx", views.figures_template, name="figures_template"),
    path("schools/<int:pk>/", views.school_detail, name="school_detail"),
    path("schools/<int:pk>/edit/", views.edit_school_figure, name="edit_school_figure"),
    path("shortfalls/", views_rectification.shortfalls, name="shortfalls"),
    path("ledger/", views_rectification.ledger, name="ledger"),
    path("ledger/export.xlsx", views_rectification.ledger_export, name="ledger_export"),
    path("reports/", report_views.report_list, name="report_list"),
    path("reports/generate/", report_views.report_request, name="report_request"),
    path("reports/<int:pk>/", report_views.report_detail, name="report_detail"),
    path("reports/<int:pk>/status/", report_views.report_status, name="report_status"),
    path("reports/<int:pk>/download/", report_views.report_download, name="report_download"),
]
