from .items import DutyItem, Evidence, Inspection, ItemEvent, Period, Report
from .plan import DutyTemplate, LeadershipPosition, Phase, Plan
from .requests import ExtensionAttachment, ExtensionRequest, HandBack

__all__ = [
    "DutyItem",
    "DutyTemplate",
    "Evidence",
    "ExtensionAttachment",
    "ExtensionRequest",
    "HandBack",
    "Inspection",
    "ItemEvent",
    "LeadershipPosition",
    "Period",
    "Phase",
    "Plan",
    "Report",
]
