from django.urls import path

from . import views, views_cycles, views_items

app_name = "workflows"

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:plan_pk>/open-cycle/", views_cycles.open_cycle, name="open_cycle"),
    path("items/new/", views_cycles.create_item, name="item_create"),
    path("items/<int:pk>/", views_items.item_detail, name="item_detail"),
    path("items/<int:pk>/report/", views_items.item_report, name="item_report"),
    path("items/<int:pk>/contribute/", views_items.item_contribute, name="item_contribute"),
    path("items/<int:pk>/inspect/", views_items.item_inspect, name="item_inspect"),
    path("items/<int:pk>/assign/", views_items.item_assign, name="item_assign"),
    path("items/<int:pk>/withdraw/", views_items.item_withdraw, name="item_withdraw"),
    path("evidence/<int:pk>/", views_items.evidence_download, name="evidence_download"),
]
