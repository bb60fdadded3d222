from django.urls import path

from . import views_import

app_name = "departments"

urlpatterns = [
    path("import/units/", views_import.import_units_view, name="import_units"),
    path("import/people/", views_import.import_people_view, name="import_people"),
]
