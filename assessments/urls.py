from django.urls import path

from . import views, views_downloads

app_name = "assessments"

urlpatterns = [
    path("", views.index, name="index"),
    path("schemes/<int:year>/", views.scheme_edit, name="scheme_edit"),
    path("runs/new/", views.run_start, name="run_start"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/recompute/", views.run_recompute, name="run_recompute"),
    path("runs/<int:pk>/publish/", views.run_publish, name="run_publish"),
    path("runs/<int:pk>/units/<int:unit_id>/", views.unit_detail, name="unit_detail"),
    path("runs/<int:pk>/export.xlsx", views_downloads.export_xlsx, name="export_xlsx"),
    path("runs/<int:pk>/export.csv", views_downloads.export_csv, name="export_csv"),
    path("runs/<int:pk>/charts/<slug:name>.<str:fmt>", views_downloads.chart, name="chart"),
]
