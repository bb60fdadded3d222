"""The indicators' computation: pure pandas over a year's figures, and the few reads it needs (the figures,
the plan's thresholds, the rule). Nothing here writes; ``services.store`` stores what ``compute_year`` gives.

- ``catalogue``: which figures each indicator is computed from, the thresholds read from the plan's catalogue;
- ``frame``: a year's figures as a DataFrame (one query);
- ``compute``: indicator values, the resource standard, the school checks, the difference coefficients;
- ``shortfalls``: what a year's figures fall short of, school by school, as lines an item can carry;
- ``apportion``: splitting a nine-year school's whole-school figure between its parts.
"""

from .apportion import apportion
from .catalogue import RESOURCE_INDICATORS, CatalogueIncomplete, load_thresholds
from .compute import YearResult, compute_year, compute_years, rule_for

__all__ = [
    "RESOURCE_INDICATORS",
    "CatalogueIncomplete",
    "YearResult",
    "apportion",
    "compute_year",
    "compute_years",
    "load_thresholds",
    "rule_for",
]
