from django.urls import path

from .views import imports

app_name = "departments"

urlpatterns = [
    path("import/units/", imports.import_units_view, name="import_units"),
    path("import/people/", imports.import_people_view, name="import_people"),
]
