from .items import DutyItem, Evidence, Inspection, ItemEvent, Period, Report
from .plan import DutyTemplate, LeadershipPosition, Phase, Plan

__all__ = [
    "DutyItem",
    "DutyTemplate",
    "Evidence",
    "Inspection",
    "ItemEvent",
    "LeadershipPosition",
    "Period",
    "Phase",
    "Plan",
    "Report",
]
