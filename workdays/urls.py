"""The working-day calendar's URLs, included by the project at ``workdays/`` under the namespace ``workdays``."""

from django.urls import path

from . import views

app_name = "workdays"

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("days/add/", views.add_day, name="add_day"),
    path("days/remove/", views.remove_day, name="remove_day"),
    path("years/checked/", views.mark_covered, name="mark_covered"),
    path("years/load/", views.load, name="load"),
]
