"""Which period or year a page opens on when none is asked for: one rule, used by every selector.

- ``current_period(today, plan=None)``: the period in progress (the narrowest containing ``today``: a year
  rather than the phase around it), else the one that ended last, else the first to come. Not the period
  opened last: the office opens next year's cycle weeks before it starts.
- ``default_year(years, today)``: of the years a page has data for, the year just ended (or the latest before).
- ``last_complete_year(today)``: the year just ended — the year whose figures are entered and whose assessment
  is run (a year's work is judged after it ends).
"""

from .models import Period


def current_period(today, plan=None, periods=None):
    """The period a page about "this period" should open on, of ``plan`` (else any), among ``periods`` (a queryset
    of ``Period``, default all); None when there is none. One to three queries."""
    periods = Period.objects.all() if periods is None else periods
    if plan is not None:
        periods = periods.filter(plan=plan)
    in_progress = (
        periods.filter(starts_on__lte=today, ends_on__gte=today)
        .order_by("-starts_on", "ends_on", "-pk")  # the latest to start, the first to end: the narrowest
        .first()
    )
    if in_progress is not None:
        return in_progress
    ended = periods.filter(ends_on__lt=today).order_by("-ends_on", "-pk").first()
    return ended or periods.order_by("starts_on", "pk").first()


def last_complete_year(today):
    """The year just ended: 2025 all through 2026."""
    return today.year - 1


def default_year(years, today):
    """Of ``years`` (those a page has data for), the one it opens on: the year just ended if among them, else the
    latest before it, else the latest; None when there is none. Not simply the latest: a year in progress with a
    few schools' figures would open before the year that is complete."""
    years = sorted(set(years))
    if not years:
        return None
    ended = last_complete_year(today)
    earlier = [year for year in years if year <= ended]
    return earlier[-1] if earlier else years[-1]
