from django.urls import path

from .views import downloads, pages, tokens

app_name = "assessments"

urlpatterns = [
    path("", pages.index, name="index"),
    path("schemes/<int:year>/", pages.scheme_edit, name="scheme_edit"),
    path("runs/new/", pages.run_start, name="run_start"),
    path("runs/<int:pk>/", pages.run_detail, name="run_detail"),
    path("runs/<int:pk>/recompute/", pages.run_recompute, name="run_recompute"),
    path("runs/<int:pk>/publish/", pages.run_publish, name="run_publish"),
    path("runs/<int:pk>/units/<int:unit_id>/", pages.unit_detail, name="unit_detail"),
    path("runs/<int:pk>/export.xlsx", downloads.export_xlsx, name="export_xlsx"),
    path("runs/<int:pk>/export.csv", downloads.export_csv, name="export_csv"),
    path("tokens/", tokens.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", tokens.token_revoke, name="token_revoke"),
    path("runs/<int:pk>/charts/<slug:name>.<str:fmt>", downloads.chart, name="chart"),
]
