"""The board's URLs, included by the project at ``board/`` under the namespace ``board``."""

from django.urls import path

from .views import board, exports, overview

app_name = "board"

urlpatterns = [
    path("", board.mine, name="mine"),
    path("matrix/", overview.matrix, name="matrix"),
    path("inspection/", overview.inspection, name="inspection"),
    path("export/", exports.export, name="export"),
    path("export/start/", exports.export_start, name="export_start"),
    path("export/<int:pk>/", exports.export_detail, name="export_detail"),
    path("export/<int:pk>/status/", exports.export_status, name="export_status"),
    path("export/<int:pk>/download/", exports.export_download, name="export_download"),
    path("bulk/", board.bulk, name="bulk"),
]
