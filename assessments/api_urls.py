from django.urls import path

from .views import api

app_name = "assessments_api"

urlpatterns = [
    path("", api.run_list, name="run_list"),
    path("<int:year>/", api.year_results, name="year_results"),
]
