from .items import DutyItem, Evidence, Inspection, ItemEvent, Period, Report
from .plan import DutyTemplate, Indicator, LeadershipPosition, Phase, Plan

__all__ = [
    "DutyItem",
    "DutyTemplate",
    "Evidence",
    "Indicator",
    "Inspection",
    "ItemEvent",
    "LeadershipPosition",
    "Period",
    "Phase",
    "Plan",
    "Report",
]
