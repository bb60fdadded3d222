from django.urls import path

from .views import dashboard, figures, rectification, reports

app_name = "indicators"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("charts/<slug:name>.<str:fmt>", dashboard.dashboard_chart, name="dashboard_chart"),
    path("county/", dashboard.county_figures, name="county_figures"),
    path("import/", figures.import_figures, name="import_figures"),
    path("import/confirm/", figures.confirm_import, name="confirm_import"),
    path("import/template.xlsx", figures.figures_template, name="figures_template"),
    path("schools/<int:pk>/", figures.school_detail, name="school_detail"),
    path("schools/<int:pk>/edit/", figures.edit_school_figure, name="edit_school_figure"),
    path("shortfalls/", rectification.shortfalls, name="shortfalls"),
    path("ledger/", rectification.ledger, name="ledger"),
    path("ledger/export.xlsx", rectification.ledger_export, name="ledger_export"),
    path("reports/", reports.report_list, name="report_list"),
    path("reports/generate/", reports.report_request, name="report_request"),
    path("reports/<int:pk>/", reports.report_detail, name="report_detail"),
    path("reports/<int:pk>/status/", reports.report_status, name="report_status"),
    path("reports/<int:pk>/download/", reports.report_download, name="report_download"),
]
