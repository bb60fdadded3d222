"""Every write on periods and items: one transaction each, authorised here, timeline written alongside.

Views, commands and Celery tasks call these; none of them writes items itself.
"""

from .cycles import open_cycle
from .errors import ItemBusy, ItemStateError
from .events import record_circular, record_urging
from .extensions import decide_extension, pending_extension, request_extension
from .instructions import give_instruction
from .office import create_ad_hoc_item, extend_deadlines, reassign_items, withdraw_item
from .signing import hand_back_item, pending_hand_back, resolve_hand_back, sign_item
from .steps import add_contribution, assign_item, inspect_item, save_progress, submit_report

__all__ = [
    "ItemBusy",
    "ItemStateError",
    "add_contribution",
    "assign_item",
    "create_ad_hoc_item",
    "decide_extension",
    "extend_deadlines",
    "give_instruction",
    "hand_back_item",
    "inspect_item",
    "open_cycle",
    "pending_extension",
    "pending_hand_back",
    "reassign_items",
    "record_circular",
    "record_urging",
    "request_extension",
    "resolve_hand_back",
    "save_progress",
    "sign_item",
    "submit_report",
    "withdraw_item",
]
