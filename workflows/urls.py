from django.urls import path

from .views import cycles, item_requests, items, requests

app_name = "workflows"

urlpatterns = [
    path("<int:plan_pk>/open-cycle/", cycles.open_cycle, name="open_cycle"),
    path("items/new/", cycles.create_item, name="item_create"),
    path("items/<int:pk>/", items.item_detail, name="item_detail"),
    path("items/<int:pk>/sign/", item_requests.item_sign, name="item_sign"),
    path("items/<int:pk>/hand-back/", item_requests.item_hand_back, name="item_hand_back"),
    path("items/<int:pk>/hand-back/resolve/", item_requests.item_resolve_hand_back, name="item_resolve_hand_back"),
    path("items/<int:pk>/extension/", item_requests.item_request_extension, name="item_request_extension"),
    path("items/<int:pk>/extension/decide/", item_requests.item_decide_extension, name="item_decide_extension"),
    path("items/<int:pk>/instruct/", item_requests.item_instruct, name="item_instruct"),
    path("items/<int:pk>/report/", items.item_report, name="item_report"),
    path("items/<int:pk>/contribute/", items.item_contribute, name="item_contribute"),
    path("items/<int:pk>/inspect/", items.item_inspect, name="item_inspect"),
    path("items/<int:pk>/assign/", items.item_assign, name="item_assign"),
    path("items/<int:pk>/withdraw/", items.item_withdraw, name="item_withdraw"),
    path("requests/", requests.pending_requests, name="pending_requests"),
    path("evidence/<int:pk>/", items.evidence_download, name="evidence_download"),
    path(
        "extension-files/<int:pk>/",
        item_requests.extension_attachment_download,
        name="extension_attachment_download",
    ),
]
