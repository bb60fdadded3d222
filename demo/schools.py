"""Demo schools for the quick start: eleven sample schools in the sample townships, two years of figures.

The figures are made from the plan's own thresholds times a factor per school and indicator, so some
schools pass the resource standard, some miss one indicator, and a few fall below 85 % of a threshold —
what a dashboard should show. Deterministic; idempotent (a year that already has figures is left alone).
"""

import math
from decimal import Decimal

from django.db import transaction

from departments.models import Unit
from indicators.computation.catalogue import INDICATOR_BY_CODE, RESOURCE_CODES, load_thresholds
from indicators.models import SchoolYearFigures, Stage
from indicators.services.schools import register_school
from indicators.services.store import store_year

# name, township, school type, students per stage (primary, junior), how well resourced (1 = at the thresholds)
SAMPLE_SCHOOLS = [
    ("永安小学", "永安街道", "primary", (1850, 0), 1.35),
    ("夔州小学", "永安街道", "primary", (1420, 0), 1.20),
    ("白帝小学", "白帝镇", "primary", (620, 0), 1.05),
    ("草堂小学", "白帝镇", "primary", (380, 0), 0.92),
    ("夔门小学", "夔门街道", "primary", (960, 0), 1.12),
    ("莲花教学点", "白帝镇", "teaching_point", (36, 0), 0.80),
    ("永安中学", "永安街道", "junior", (0, 1650), 1.25),
    ("夔门中学", "夔门街道", "junior", (0, 1120), 1.08),
    ("白帝中学", "白帝镇", "junior", (0, 540), 0.90),
    ("诗城九年制学校", "夔门街道", "nine_year", (720, 480), 1.02),
    ("奉节特殊教育学校", "永安街道", "special", (60, 40), 1.30),
]
# How each indicator departs from the school's level: a school is rarely even across the board.
INDICATOR_SPREAD = [1.00, 0.88, 0.95, 1.06, 0.97, 1.10, 0.91]


@transaction.atomic
def load_demo_schools(years):
    """Register the sample schools and give each part figures for ``years``; store the computed values."""
    thresholds = load_thresholds()
    for name, township_name, school_type, students, level in SAMPLE_SCHOOLS:
        township = Unit.objects.filter(name=township_name).first()
        unit, _created = Unit.objects.get_or_create(
            name=name, defaults={"kind": Unit.Kind.SCHOOL, "is_sample": True, "parent": township}
        )
        profile = register_school(unit, school_type, township=township)
        for part in profile.parts.all():
            count = students[0] if part.stage == Stage.PRIMARY else students[1]
            for offset, year in enumerate(sorted(years)):
                growth = 1 + 0.04 * offset  # resources grow a little each year
                SchoolYearFigures.objects.get_or_create(
                    part=part,
                    year=year,
                    defaults=_figures(part.stage, count, level * growth, thresholds, seed=len(name) + offset),
                )
    for year in years:
        store_year(year)


def _figures(stage, students, level, thresholds, seed):
    def target(code, index):
        spread = INDICATOR_SPREAD[(index + seed) % len(INDICATOR_SPREAD)]
        value = float(thresholds[(code, stage)].value) * level * spread
        return value * students / INDICATOR_BY_CODE[code].factor

    def amount(value):
        return Decimal(f"{value:.2f}")

    totals = {code: target(code, index) for index, code in enumerate(RESOURCE_CODES)}
    classes = max(1, math.ceil(students / 45))
    teachers = amount(students / 17)
    pe_art = totals["pe_art_teachers_per_100"]
    rooms = max(1, round(classes / 12 * level))
    # Public funds per student (a small primary part funded as 100 students, the plan's rule); training funds
    # around the plan's 5 % of that budget: below it at the schools resourced below the thresholds.
    budget = amount(max(students, 100) * (800 if stage == Stage.PRIMARY else 1000))
    training_share = 0.05 * level
    return {
        "students": students,
        "classes": classes,
        "largest_class": min(students, 38 + (seed * 7) % 16),
        "full_time_teachers": teachers,
        "teachers_above_degree": amount(totals["teachers_above_degree_per_100"]),
        "key_teachers": amount(totals["key_teachers_per_100"]),
        "pe_teachers": amount(pe_art * 0.4),
        "music_teachers": amount(pe_art * 0.3),
        "art_teachers": amount(pe_art * 0.3),
        "teaching_room_area": amount(totals["teaching_room_area_per_student"]),
        "sports_area": amount(totals["sports_area_per_student"]),
        "equipment_value": amount(totals["equipment_value_per_student"]),
        "multimedia_rooms": amount(totals["multimedia_rooms_per_100"]),
        "music_rooms": amount(rooms),
        "music_room_min_area": amount(86 + (seed * 5) % 14),
        "art_rooms": amount(rooms),
        "art_room_min_area": amount(84 + (seed * 3) % 14),
        "trained_teachers": amount(float(teachers) * 0.93),
        "certified_teachers": teachers,
        "rotation_eligible_teachers": amount(float(teachers) * 0.4),
        "rotated_teachers": amount(float(teachers) * 0.4 * 0.12),
        "rotated_key_teachers": amount(float(teachers) * 0.4 * 0.12 * 0.25),
        "public_funds_budget": budget,
        "teacher_training_funds": amount(float(budget) * training_share),
    }
