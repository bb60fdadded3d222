"""A hand-computed county: 10 schools, primary and junior parts, one nine-year school, one teaching point,
one special school, with the figures of 2025. The expected numbers are worked out in test_compute.py."""

from decimal import Decimal

import pytest

from departments.models import Unit
from indicators.models import FIGURE_FIELDS, SchoolPart, SchoolProfile, SchoolYearFigures
from indicators.services.schools import register_school

YEAR = 2025
T = SchoolProfile.SchoolType

# Columns: students, classes, largest class, teachers above the degree, key teachers, PE, music, art teachers,
# teaching room m², sports m², equipment 元, multimedia rooms, music rooms, smallest music room m²,
# art rooms, smallest art room m².
COLUMNS = (
    "students", "classes", "largest_class", "teachers_above_degree", "key_teachers", "pe_teachers",
    "music_teachers", "art_teachers", "teaching_room_area", "sports_area", "equipment_value", "multimedia_rooms",
    "music_rooms", "music_room_min_area", "art_rooms", "art_room_min_area",
)  # fmt: skip
# fmt: off
# (school, type, stage) → figures. Primary: the 6 indicators are c × r with r = .5, 1, 1, 1.5, 1 for
# P1, P2, P3, P4, N; multimedia rooms are 2.5 × m with m = .4, .9, .6, 1.5, 1. Junior: every indicator
# is c × q with q = .8, 1.2, 1, 1.5 for J1, J2, J3, N.
PARTS = {
    ("小学一", T.PRIMARY, "primary"): (200, 5, 40, 5, 1, 1, 0, 0, 500, 800, 250_000, 2, 0, 0, 0, 0),
    ("小学二", T.PRIMARY, "primary"): (400, 10, 46, 20, 4, 2, 1, 1, 2000, 3200, 1_000_000, 9, 1, 96, 1, 90),
    ("小学三", T.PRIMARY, "primary"): (600, 14, 45, 30, 6, 2, 2, 2, 3000, 4800, 1_500_000, 9, 1, 100, 1, 95),
    ("小学四", T.PRIMARY, "primary"): (800, 18, 44, 60, 12, 6, 3, 3, 6000, 9600, 3_000_000, 30, 2, 95, 2, 89),
    ("九年一贯制", T.NINE_YEAR, "primary"): (1000, 24, 45, 50, 10, 4, 3, 3, 5000, 8000, 2_500_000, 25, 2, 96, 2, 90),
    ("九年一贯制", T.NINE_YEAR, "junior"): (1200, 24, 50, 126, 36, 6, 6, 6, 12600, 23400, 5_760_000, 54, 2, 98, 2, 92),
    ("初中一", T.JUNIOR, "junior"): (500, 11, 50, 28, 8, 2, 1, 1, 2800, 5200, 1_280_000, 12, 1, 120, 1, 100),
    ("初中二", T.JUNIOR, "junior"): (500, 11, 51, 42, 12, 2, 2, 2, 4200, 7800, 1_920_000, 18, 1, 90, 1, 90),
    ("初中三", T.JUNIOR, "junior"): (1000, 20, 48, 70, 20, 4, 3, 3, 7000, 13000, 3_200_000, 30, 1, 96, 2, 91),
    # Left out of the coefficient by the default rule: a teaching point under 50 students, a special school.
    ("教学点", T.TEACHING_POINT, "primary"): (30, 3, 12, 3, 0, 0, 0, 0, 300, 600, 30_000, 1, 0, 0, 0, 0),
    ("特殊教育学校", T.SPECIAL, "primary"): (40, 4, 10, 8, 2, 1, 1, 1, 800, 400, 200_000, 4, 1, 96, 1, 90),
    ("特殊教育学校", T.SPECIAL, "junior"): (20, 2, 10, 6, 2, 1, 1, 1, 500, 300, 100_000, 2, 1, 96, 1, 90),
}
# fmt: on


def make_school(name, school_type, township):
    unit = Unit.objects.create(name=name, kind=Unit.Kind.SCHOOL, parent=township)
    return register_school(unit, school_type)


def figures_for(part, year, values, **extra):
    row = dict.fromkeys(FIGURE_FIELDS, Decimal(0))
    row.update(zip(COLUMNS, values, strict=True))
    row.update(extra)
    return SchoolYearFigures(part=part, year=year, **row)


@pytest.fixture
def township(db):
    return Unit.objects.create(name="样例镇", kind=Unit.Kind.TOWNSHIP)


@pytest.fixture
def county(plan, township):
    """{school name: SchoolProfile}, with the 2025 figures of every part written."""
    schools, rows = {}, []
    for (name, school_type, stage), values in PARTS.items():
        if name not in schools:
            schools[name] = make_school(name, school_type, township)
        part = SchoolPart.objects.get(school=schools[name], stage=stage)
        rows.append(figures_for(part, YEAR, values, full_time_teachers=values[3] + 2))
    SchoolYearFigures.objects.bulk_create(rows)
    return schools
