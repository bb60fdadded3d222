"""The board's URLs, included by the project at ``board/`` under the namespace ``board``."""

from django.urls import path

from .views import board

app_name = "board"

urlpatterns = [
    path("", board.mine, name="mine"),
    path("matrix/", board.matrix, name="matrix"),
    path("inspection/", board.inspection, name="inspection"),
    path("export/", board.export, name="export"),
    path("bulk/", board.bulk, name="bulk"),
]
