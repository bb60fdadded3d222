"""Splitting a nine-year school's whole-school figure between its primary and junior parts.

Where only the school's total exists, a shared figure is split by students weighted
1 (primary) : ``junior_weight`` (junior, 1.1 by default, ``EvaluationRule``). The parts'
shares are rounded to the figure's two decimals and always add up to the total.
"""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def apportion(total, primary_students, junior_students, junior_weight=Decimal("1.1")):
    """(primary share, junior share) of ``total``: Decimals that add up to ``total``."""
    total = Decimal(total)
    primary_weight = Decimal(primary_students)
    junior = Decimal(junior_students) * Decimal(junior_weight)
    if primary_weight + junior == 0:
        raise ValueError("apportioning needs students in at least one part")
    primary_share = (total * primary_weight / (primary_weight + junior)).quantize(CENT, rounding=ROUND_HALF_UP)
    return primary_share, total - primary_share
