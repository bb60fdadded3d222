"""The notice pages, included by the project at ``notices/`` under the namespace ``notices``."""

from django.urls import path

from . import views

app_name = "notices"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/open/", views.open_notification, name="open"),
    path("read-all/", views.mark_all_read, name="mark_all_read"),
    path("settings/", views.preferences, name="preferences"),
    path("items/<int:pk>/", views.item_notices, name="item_notices"),
    path("items/<int:pk>/urge/", views.urge_item, name="urge_item"),
    path("units/<int:pk>/urge/", views.urge_unit, name="urge_unit"),
    path("overdue/", views.overdue, name="overdue"),
    path("failures/", views.failures, name="failures"),
    path("failures/<int:pk>/retry/", views.retry_delivery, name="retry_delivery"),
    path("ladder/", views.ladder, name="ladder"),
    path("ladder/new/", views.rung_form, name="rung_create"),
    path("ladder/<int:pk>/", views.rung_form, name="rung_edit"),
    path("ladder/<int:pk>/delete/", views.rung_delete, name="rung_delete"),
    path("circulars/", views.circular_list, name="circular_list"),
    path("circulars/new/", views.circular_create, name="circular_create"),
    path("circulars/<int:pk>/", views.circular_detail, name="circular_detail"),
    path("circulars/<int:pk>/publish/", views.circular_publish, name="circular_publish"),
]
