"""Every write of notices: the deadline sweep, the timeline's notices, the dispatcher and the daily digest,
preferences, urgings and circulars."""

from .circulars import draft_circular, publish_circular
from .digest import DigestResult, send_daily_digest
from .dispatch import DispatchResult, dispatch_deliveries, retry_delivery
from .events import notify_events
from .ladder import remove_rung, save_rung
from .preferences import save_preferences
from .sweep import SweepResult, plan_deliveries, sweep_deadlines
from .urging import urge_items, urge_unit

__all__ = [
    "DigestResult",
    "DispatchResult",
    "SweepResult",
    "dispatch_deliveries",
    "draft_circular",
    "notify_events",
    "plan_deliveries",
    "publish_circular",
    "remove_rung",
    "retry_delivery",
    "save_preferences",
    "save_rung",
    "send_daily_digest",
    "sweep_deadlines",
    "urge_items",
    "urge_unit",
]
