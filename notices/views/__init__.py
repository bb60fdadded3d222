"""The notice pages: the inbox, an item's notices, urging (催办), the overdue dashboard, delivery failures and
circulars (通报).

Views find items through ``DutyItem.objects.for_user`` (an item the user may not see is 404), refuse early
what the services would refuse (403), and call one service, whose refusals (``ValidationError``) are shown
on the form with the input kept.
"""

from .circulars import circular_create, circular_detail, circular_list, circular_publish
from .dashboard import failures, overdue, retry_delivery
from .inbox import inbox, mark_all_read, open_notification, preferences
from .items import item_notices, urge_item, urge_unit
from .ladder import ladder, rung_delete, rung_form

__all__ = [
    "circular_create",
    "circular_detail",
    "circular_list",
    "circular_publish",
    "failures",
    "inbox",
    "item_notices",
    "ladder",
    "mark_all_read",
    "open_notification",
    "overdue",
    "preferences",
    "retry_delivery",
    "rung_delete",
    "rung_form",
    "urge_item",
    "urge_unit",
]
