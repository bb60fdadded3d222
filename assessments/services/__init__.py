"""Every write of the assessment: schemes, runs (compute, recompute, publish) and API tokens."""

from .runs import MANAGERS_ONLY, RunFrozen, default_as_of, publish, recompute, scheme_for, start_run
from .schemes import save_scheme
from .tokens import issue_token

__all__ = [
    "MANAGERS_ONLY",
    "RunFrozen",
    "default_as_of",
    "issue_token",
    "publish",
    "recompute",
    "save_scheme",
    "scheme_for",
    "start_run",
]
