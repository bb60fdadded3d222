"""Every write on periods and items: one transaction each, authorised here, timeline written alongside.

Views, commands and Celery tasks call these; none of them writes items itself.
"""

from .cycles import open_cycle
from .errors import ItemBusy, ItemStateError
from .events import record_circular, record_urging
from .office import create_ad_hoc_item, extend_deadlines, reassign_items, withdraw_item
from .steps import add_contribution, assign_item, inspect_item, save_progress, submit_report

__all__ = [
    "ItemBusy",
    "ItemStateError",
    "add_contribution",
    "assign_item",
    "create_ad_hoc_item",
    "extend_deadlines",
    "inspect_item",
    "open_cycle",
    "reassign_items",
    "record_circular",
    "record_urging",
    "save_progress",
    "submit_report",
    "withdraw_item",
]
