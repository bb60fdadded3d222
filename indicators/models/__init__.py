from .catalogue import FundingRule, Indicator
from .pending import PendingUpload, StaleYear
from .schools import (
    FIGURE_FIELDS,
    OPTIONAL_FIGURES,
    STAGES_OF_TYPE,
    CoefficientValue,
    EvaluationRule,
    FigureEdit,
    IndicatorValue,
    SchoolPart,
    SchoolProfile,
    SchoolYearFigures,
    Stage,
    largest_value,
)
from .work import CountyFigure, SelfEvaluationReport, Shortfall, report_path

__all__ = [
    "FIGURE_FIELDS",
    "OPTIONAL_FIGURES",
    "STAGES_OF_TYPE",
    "CoefficientValue",
    "CountyFigure",
    "EvaluationRule",
    "FigureEdit",
    "FundingRule",
    "Indicator",
    "IndicatorValue",
    "PendingUpload",
    "SchoolPart",
    "SchoolProfile",
    "SchoolYearFigures",
    "SelfEvaluationReport",
    "Shortfall",
    "Stage",
    "StaleYear",
    "largest_value",
    "report_path",
]
