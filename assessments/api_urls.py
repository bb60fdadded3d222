from django.urls import path, re_path

from .views import api

app_name = "assessments_api"

urlpatterns = [
    path("", api.run_list, name="run_list"),
    path("<int:year>/", api.year_results, name="year_results"),
    re_path(r"^(?P<rest>.+)$", api.not_found, name="not_found"),
]
