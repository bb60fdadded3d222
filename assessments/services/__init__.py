from .access import is_manager, may_see_unit, own_unit_ids, require_manager, runs_for, sees_all
from .runs import RunFrozen, default_as_of, publish, recompute, scheme_for, start_run

__all__ = [
    "RunFrozen",
    "default_as_of",
    "is_manager",
    "may_see_unit",
    "own_unit_ids",
    "publish",
    "recompute",
    "require_manager",
    "runs_for",
    "scheme_for",
    "sees_all",
    "start_run",
]
