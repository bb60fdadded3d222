from django.urls import path

from .views import imports, people

app_name = "departments"

urlpatterns = [
    path("import/units/", imports.import_units_view, name="import_units"),
    path("import/people/", imports.import_people_view, name="import_people"),
    path("people/<int:pk>/reset-password/", people.reset_person_password, name="reset_password"),
]
