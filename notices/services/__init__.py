"""Every write of notices: the deadline sweep, the dispatcher, urgings and circulars."""

from .circulars import draft_circular, publish_circular
from .dispatch import DispatchResult, dispatch_deliveries, retry_delivery
from .sweep import SweepResult, plan_deliveries, sweep_deadlines
from .urging import urge_items, urge_unit

__all__ = [
    "DispatchResult",
    "SweepResult",
    "dispatch_deliveries",
    "draft_circular",
    "plan_deliveries",
    "publish_circular",
    "retry_delivery",
    "sweep_deadlines",
    "urge_items",
    "urge_unit",
]
