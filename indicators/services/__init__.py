"""Computation (pandas, no writes) and the few writes of the indicators: storing results, editing figures."""

from .apportion import apportion
from .catalogue import RESOURCE_INDICATORS, CatalogueIncomplete, load_thresholds
from .compute import YearResult, compute_year, rule_for
from .store import store_year

__all__ = [
    "RESOURCE_INDICATORS",
    "CatalogueIncomplete",
    "YearResult",
    "apportion",
    "compute_year",
    "load_thresholds",
    "rule_for",
    "store_year",
]
