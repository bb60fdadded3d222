from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.changes, name="changes"),
    path("access/", views.events, name="events"),
    path("lockouts/", views.lockouts, name="lockouts"),
    path("lockouts/unlock/", views.unlock, name="unlock"),
]
