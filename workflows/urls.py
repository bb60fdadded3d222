from django.urls import path

from .views import cycles, items

app_name = "workflows"

urlpatterns = [
    path("<int:plan_pk>/open-cycle/", cycles.open_cycle, name="open_cycle"),
    path("items/new/", cycles.create_item, name="item_create"),
    path("items/<int:pk>/", items.item_detail, name="item_detail"),
    path("items/<int:pk>/report/", items.item_report, name="item_report"),
    path("items/<int:pk>/contribute/", items.item_contribute, name="item_contribute"),
    path("items/<int:pk>/inspect/", items.item_inspect, name="item_inspect"),
    path("items/<int:pk>/assign/", items.item_assign, name="item_assign"),
    path("items/<int:pk>/withdraw/", items.item_withdraw, name="item_withdraw"),
    path("evidence/<int:pk>/", items.evidence_download, name="evidence_download"),
]
