from .common import LINE_RANK_ORDER, POINTS, RANK_ORDER
from .runs import AssessmentRun, ScoreLine, UnitScore
from .schemes import ScoringScheme
from .tokens import ApiToken

__all__ = [
    "LINE_RANK_ORDER",
    "POINTS",
    "RANK_ORDER",
    "ApiToken",
    "AssessmentRun",
    "ScoreLine",
    "ScoringScheme",
    "UnitScore",
]
