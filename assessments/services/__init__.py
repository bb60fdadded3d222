"""Every write of the assessment: schemes, runs (compute, recompute, publish) and API tokens."""

from .runs import MANAGERS_ONLY, RunFrozen, default_as_of, publish, recompute, scheme_for, start_run
from .schemes import save_scheme
from .tokens import TOKENS_REFUSED, issue_own_token, issue_token, revoke_token

__all__ = [
    "MANAGERS_ONLY",
    "TOKENS_REFUSED",
    "RunFrozen",
    "default_as_of",
    "issue_own_token",
    "issue_token",
    "publish",
    "recompute",
    "revoke_token",
    "save_scheme",
    "scheme_for",
    "start_run",
]
