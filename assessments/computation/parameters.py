"""A scheme's parameters, frozen: what a run stores, so that later edits to the scheme change nothing in it."""

from dataclasses import asdict, dataclass
from decimal import Decimal

from ..models import ScoringScheme

MONEY_FIELDS = (
    "base_score",
    "on_time_weight",
    "per_overdue_day",
    "overdue_cap_per_item",
    "per_rework",
    "per_urging",
    "per_criticism",
    "per_praise",
    "lead_weight",
    "cooperating_weight",
    "per_late_signing_day",
)
# The working-day options (lateness from the original deadline, time to sign), with the values a run stored
# before they existed: such a run was computed as these defaults compute.
OPTION_DEFAULTS = {
    "lateness_from": ScoringScheme.LatenessFrom.APPROVED.value,
    "count_signing_time": False,
    "signing_days_allowed": 2,
    "per_late_signing_day": Decimal("0.1"),
}


@dataclass(frozen=True)
class Parameters:
    base_score: Decimal
    on_time_weight: Decimal
    per_overdue_day: Decimal
    overdue_cap_per_item: Decimal
    per_rework: Decimal
    per_urging: Decimal
    per_criticism: Decimal
    per_praise: Decimal
    lead_weight: Decimal
    cooperating_weight: Decimal
    kinds: tuple[str, ...]
    period_ids: tuple[int, ...]
    lateness_from: str = OPTION_DEFAULTS["lateness_from"]
    count_signing_time: bool = False
    signing_days_allowed: int = 2
    per_late_signing_day: Decimal = OPTION_DEFAULTS["per_late_signing_day"]

    @property
    def from_original_deadline(self):
        return self.lateness_from == ScoringScheme.LatenessFrom.ORIGINAL

    @classmethod
    def of(cls, scheme: ScoringScheme):
        return cls(
            **{name: getattr(scheme, name) for name in MONEY_FIELDS},
            kinds=tuple(scheme.counted_kinds()),
            period_ids=tuple(sorted(scheme.periods.values_list("pk", flat=True))),
            lateness_from=scheme.lateness_from,
            count_signing_time=scheme.count_signing_time,
            signing_days_allowed=scheme.signing_days_allowed,
        )

    def to_json(self):
        data = asdict(self)
        for name in MONEY_FIELDS:
            data[name] = f"{data[name].normalize():f}"  # 0.50 → "0.5", 100 → "100"
        data["kinds"], data["period_ids"] = list(self.kinds), list(self.period_ids)
        return data

    @classmethod
    def from_json(cls, data):
        data = {**OPTION_DEFAULTS, **data}
        return cls(
            **{name: Decimal(data[name]) for name in MONEY_FIELDS},
            kinds=tuple(data["kinds"]),
            period_ids=tuple(data["period_ids"]),
            lateness_from=data["lateness_from"],
            count_signing_time=bool(data["count_signing_time"]),
            signing_days_allowed=int(data["signing_days_allowed"]),
        )
