"""The board's URLs, included by the project at ``board/`` under the namespace ``board``."""

from django.urls import path

from .views import board, overview

app_name = "board"

urlpatterns = [
    path("", board.mine, name="mine"),
    path("matrix/", overview.matrix, name="matrix"),
    path("inspection/", overview.inspection, name="inspection"),
    path("export/", board.export, name="export"),
    path("bulk/", board.bulk, name="bulk"),
]
