"""How the simulated units behave: four seeded profiles, and every decision drawn from the seed.

A decision is a pure function of the seed, the item (by what it is, never by its id) and the day, so the same
seed gives the same history whatever order the database returns rows in, and a run stopped at a date
(``--until``) is the same history as a longer run up to that date.
"""

import hashlib
import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    code: str
    label: str
    weight: float  # the share of units that behave so
    sign_chance: float  # per working day, of signing for an assigned item
    report_from: int  # days before the deadline the unit starts working towards a submission
    report_chance: float  # per working day once it has started (doubled once the deadline has passed)
    return_chance: float  # of a first submission being returned by the inspector (halves with each rework)
    extension_chance: float  # of asking for an extension a week before the deadline
    hand_back_chance: float  # of handing an assigned item back to the office (once per item)
    waits_for_urging: bool  # a silent unit submits nothing late until it has been urged


DILIGENT = Profile("diligent", "按时办理", 0.45, 0.6, 75, 0.05, 0.08, 0.0, 0.02, False)
LATE = Profile("late", "经常拖延", 0.25, 0.25, 10, 0.03, 0.2, 0.35, 0.03, False)
REWORK_PRONE = Profile("rework_prone", "常被退回", 0.18, 0.5, 40, 0.06, 0.6, 0.05, 0.02, False)
SILENT = Profile("silent", "不闻不问", 0.12, 0.08, -20, 0.04, 0.3, 0.1, 0.05, True)
PROFILES = (DILIGENT, LATE, REWORK_PRONE, SILENT)


def draw(seed, *parts):
    """A number in [0, 1) fixed by the seed and ``parts``: a hash of them, stable across runs and machines."""
    text = ":".join(str(part) for part in (seed, *parts)).encode()
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "big") / 2**64


def assign_profiles(seed, unit_names):
    """{unit name: Profile}: the profiles in their shares, dealt to the units in a seeded order."""
    names = sorted(unit_names)
    random.Random(f"{seed}:profiles").shuffle(names)  # noqa: S311  (a simulation, not a secret)
    dealt, start = {}, 0
    for number, profile in enumerate(PROFILES):
        count = len(names) - start if number == len(PROFILES) - 1 else round(profile.weight * len(names))
        for name in names[start : start + count]:
            dealt[name] = profile
        start += count
    return dealt
