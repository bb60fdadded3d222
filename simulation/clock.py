"""The simulated clock: Django's ``timezone.now`` and ``localdate`` (and everything else that reads the time)
follow the simulation, which moves from one moment of the county's working day to the next without sleeping.

time-machine replaces the C-level time functions, so the services, viewflow, the outbox and the ORM's
``auto_now`` fields all see the simulated moment; it does not tick (every step of a moment is stamped with the
same instant, so a seed always gives the same database).
"""

import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings

# The moments of a simulated day, in the county's time (Asia/Shanghai).
NIGHT_SWEEP = datetime.time(0, 30)  # beat's first deadline sweep after midnight
MORNING_DIGEST = datetime.time(8, 0)  # the daily digest (settings.CELERY_BEAT_SCHEDULE)
OFFICE_HOURS = datetime.time(9, 0)  # the office, the plan office and the assessor
LIAISON_HOURS = datetime.time(10, 0)  # the units sign, report, ask and hand back
INSPECTION_HOURS = datetime.time(15, 0)  # the inspectors


class SimulatedClock:
    """Start at ``day``; ``at(day, moment)`` moves the clock. Use as a context manager."""

    def __init__(self, day):
        self.zone = ZoneInfo(settings.TIME_ZONE)
        self.traveller = time_machine.travel(self._instant(day, NIGHT_SWEEP), tick=False)
        self.day = day
        self._travelling = None

    def _instant(self, day, moment):
        return datetime.datetime.combine(day, moment, tzinfo=self.zone)

    def __enter__(self):
        self._travelling = self.traveller.start()
        return self

    def __exit__(self, *exc):
        self.traveller.stop()
        self._travelling = None

    def at(self, day, moment):
        self.day = day
        self._travelling.move_to(self._instant(day, moment))
