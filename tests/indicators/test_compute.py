"""The indicators of the hand-computed county (conftest.py): every value, every pass mark, every coefficient.

Expected numbers are worked out here by hand, not by calling the code under test.

Primary thresholds (the plan): 4.2, 1, 0.9 per 100 students; 4.5, 7.5 m², 2000 元 per student; 2.3 per 100.
Junior: 5.3, 1, 0.9; 5.8, 10.2, 2500; 2.4. Floor: 85 % of the threshold.
"""

import math

import pytest

from indicators.computation import compute_year
from indicators.computation.catalogue import RESOURCE_CODES
from indicators.models import EvaluationRule

from .conftest import YEAR

pytestmark = pytest.mark.django_db

# teachers above degree, key teachers, PE/art teachers, rooms m², sports m², equipment, multimedia
CODES = RESOURCE_CODES
# Values X = A / P (× 100), e.g. 小学一: 5 teachers / 200 students × 100 = 2.5; 500 m² / 200 = 2.5;
# 250,000 元 / 200 = 1250; 2 rooms / 200 × 100 = 1.0. 九年一贯制 junior: 126 / 1200 × 100 = 10.5, 36/12 = 3,
# 18/12 = 1.5, 12600/1200 = 10.5, 23400/1200 = 19.5, 5,760,000/1200 = 4800, 54/12 = 4.5.
VALUES = {
    ("小学一", "primary"): (2.5, 0.5, 0.5, 2.5, 4.0, 1250, 1.0),
    ("小学二", "primary"): (5.0, 1.0, 1.0, 5.0, 8.0, 2500, 2.25),
    ("小学三", "primary"): (5.0, 1.0, 1.0, 5.0, 8.0, 2500, 1.5),
    ("小学四", "primary"): (7.5, 1.5, 1.5, 7.5, 12.0, 3750, 3.75),
    ("九年一贯制", "primary"): (5.0, 1.0, 1.0, 5.0, 8.0, 2500, 2.5),
    ("九年一贯制", "junior"): (10.5, 3.0, 1.5, 10.5, 19.5, 4800, 4.5),
    ("初中一", "junior"): (5.6, 1.6, 0.8, 5.6, 10.4, 2560, 2.4),
    ("初中二", "junior"): (8.4, 2.4, 1.2, 8.4, 15.6, 3840, 3.6),
    ("初中三", "junior"): (7.0, 2.0, 1.0, 7.0, 13.0, 3200, 3.0),
    ("教学点", "primary"): (10.0, 0.0, 0.0, 10.0, 20.0, 1000, 100 / 30),
    ("特殊教育学校", "primary"): (20.0, 5.0, 7.5, 20.0, 10.0, 5000, 10.0),
    ("特殊教育学校", "junior"): (30.0, 10.0, 15.0, 25.0, 15.0, 5000, 10.0),
}
# (reached, below the floor, passes). 小学二: multimedia 2.25 < 2.3 but ≥ 0.85 × 2.3 = 1.955 → 6 of 7, passes.
# 小学三: multimedia 1.5 < 1.955 → fails although 6 reach. 小学一: nothing reaches; 2.5 < 3.57 (0.85 × 4.2) …
# 初中一: PE/art 0.8 < 0.9 (≥ 0.765) and rooms 5.6 < 5.8 (≥ 4.93): 5 of 7, none below the floor, fails.
# 初中一's multimedia 2.4 equals the threshold and 小学二's key teachers 1.0 equal theirs: both reach.
# 教学点: key 0, PE 0 and equipment 1000 < 1700 (0.85 × 2000) below the floor; teachers 10, rooms 10 m², sports
# 20 m², multimedia 3.33 reach. 特殊教育学校: all 7 reach.
STANDARD = {
    ("小学一", "primary"): (0, 7, False),
    ("小学二", "primary"): (6, 0, True),
    ("小学三", "primary"): (6, 1, False),
    ("小学四", "primary"): (7, 0, True),
    ("九年一贯制", "primary"): (7, 0, True),
    ("九年一贯制", "junior"): (7, 0, True),
    ("初中一", "junior"): (5, 0, False),
    ("初中二", "junior"): (7, 0, True),
    ("初中三", "junior"): (7, 0, True),
    ("教学点", "primary"): (4, 3, False),
    ("特殊教育学校", "primary"): (7, 0, True),
    ("特殊教育学校", "junior"): (7, 0, True),
}

# Primary coefficient over 小学一…四 and the nine-year primary part (P = 200, 400, 600, 800, 1000; ΣP = 3000);
# the teaching point (30 < 50 students) and the special school are left out.
# For the 6 indicators c × r: X̄ = c × Σ(r P) / ΣP = c × (100 + 400 + 600 + 1200 + 1000) / 3000 = 1.1 c.
#   S² / c² = [200 (.5 − 1.1)² + 400 (1 − 1.1)² + 600 (.1)² + 800 (1.5 − 1.1)² + 1000 (.1)²] / 3000
#           = (72 + 4 + 6 + 128 + 10) / 3000 = 220 / 3000 = 0.073333…;  S = 0.270801 c;  CV = 0.270801 / 1.1 = 0.246183.
# Multimedia (2.5 × m): X̄ = 2.5 × (80 + 360 + 360 + 1200 + 1000) / 3000 = 2.5 × 1.0 = 2.5.
#   S² / 2.5² = [200 (.6)² + 400 (.1)² + 600 (.4)² + 800 (.5)² + 0] / 3000 = (72 + 4 + 96 + 200) / 3000 = 0.124;
#   CV = √0.124 = 0.352136.
# Junior over 初中一…三 and the nine-year junior part (P = 500, 500, 1000, 1200; ΣP = 3200), every indicator c × q:
#   X̄ = c × (400 + 600 + 1000 + 1800) / 3200 = 1.1875 c;
#   S² / c² = [500 (.8 − 1.1875)² + 500 (1.2 − 1.1875)² + 1000 (1 − 1.1875)² + 1200 (1.5 − 1.1875)²] / 3200
#           = (75.078125 + 0.078125 + 35.15625 + 117.1875) / 3200 = 227.5 / 3200 = 0.07109375;
#   S = 0.266634 c;  CV = 0.266634 / 1.1875 = 0.224534.
PRIMARY_CV, MULTIMEDIA_CV, JUNIOR_CV = 0.246183, 0.352136, 0.224534
PRIMARY_C = (5, 1, 1, 5, 8, 2500)  # c of the 6 indicators; multimedia's X̄ is 2.5
JUNIOR_C = (7, 2, 1, 7, 13, 3200, 3)


@pytest.fixture
def result(county):
    return compute_year(YEAR)


def by_part(frame):
    return {(row.school_name, row.stage): row for row in frame.itertuples(index=False)}


def test_every_indicator_value(result):
    values = {(row.school_name, row.stage, row.code): row.value for row in result.values.itertuples(index=False)}
    assert len(values) == 12 * 7
    for (school, stage), expected in VALUES.items():
        for code, value in zip(CODES, expected, strict=True):
            assert values[(school, stage, code)] == pytest.approx(value, abs=1e-9), (school, stage, code)


def test_resource_standard_six_of_seven_and_the_floor(result):
    parts = by_part(result.parts)
    for key, (reached, below_floor, passes) in STANDARD.items():
        row = parts[key]
        assert (row.reached_count, row.below_floor_count, bool(row.passes)) == (reached, below_floor, passes), key


def test_the_pass_rule_is_data(county):
    EvaluationRule.objects.create(year=YEAR, min_reached=7, floor_ratio="0.60")
    parts = by_part(compute_year(YEAR).parts)
    assert not parts[("小学二", "primary")].passes  # 6 of 7 is no longer enough
    assert parts[("小学四", "primary")].passes


def test_difference_coefficients(result):
    rows = {(row.stage, row.code): row for row in result.coefficients.itertuples(index=False)}
    assert len(rows) == 14
    for code, c in zip(CODES[:6], PRIMARY_C, strict=True):
        row = rows[("primary", code)]
        assert (row.parts, row.students) == (5, 3000)
        assert row.county_ratio == pytest.approx(1.1 * c)
        assert row.coefficient == pytest.approx(PRIMARY_CV, abs=1e-6)
        assert row.reached
        assert row.threshold == 0.5
    multimedia = rows[("primary", "multimedia_rooms_per_100")]
    assert multimedia.county_ratio == pytest.approx(2.5)
    assert multimedia.coefficient == pytest.approx(MULTIMEDIA_CV, abs=1e-6)
    for code, c in zip(CODES, JUNIOR_C, strict=True):
        row = rows[("junior", code)]
        assert (row.parts, row.students) == (4, 3200)
        assert row.county_ratio == pytest.approx(1.1875 * c)
        assert row.coefficient == pytest.approx(JUNIOR_CV, abs=1e-6)
        assert row.reached
        assert row.threshold == 0.45
    # For information: the mean of the 7 CVs. Primary (6 × 0.246183 + 0.352136) / 7 = 0.261319.
    assert result.coefficient_means["primary"] == pytest.approx(0.261319, abs=1e-6)
    assert result.coefficient_means["junior"] == pytest.approx(JUNIOR_CV, abs=1e-6)


def test_the_wrong_formulas_would_give_other_coefficients(result):
    """The plain mean of the X_i with the n − 1 deviation differs, so this test cannot pass with it.

    Primary r-pattern: plain mean (.5 + 1 + 1 + 1.5 + 1) / 5 = 1.0 (not 1.1); deviation √((.25 + 0 + 0 + .25 + 0) / 4)
    = 0.353553 → plain CV 0.353553. Enrolment-weighted deviation around the plain mean: √((200·.25 + 800·.25) / 3000)
    = 0.288675 → 0.288675. Junior: plain mean (.8 + 1.2 + 1 + 1.5) / 4 = 1.125 (not 1.1875), plain CV 0.265429.
    """
    rows = {(row.stage, row.code): row for row in result.coefficients.itertuples(index=False)}
    teachers = rows[("primary", "teachers_above_degree_per_100")]
    assert teachers.plain_mean == pytest.approx(5.0)
    assert teachers.county_ratio == pytest.approx(5.5)
    assert teachers.plain_cv == pytest.approx(0.353553, abs=1e-6)
    for wrong in (0.353553, 0.288675):
        assert not math.isclose(teachers.coefficient, wrong, abs_tol=1e-3)
    junior = rows[("junior", "key_teachers_per_100")]
    assert junior.plain_mean == pytest.approx(2 * 1.125)
    assert junior.plain_cv == pytest.approx(0.265429, abs=1e-6)
    assert not math.isclose(junior.coefficient, junior.plain_cv, abs_tol=1e-3)


def test_teaching_points_under_fifty_and_special_schools_are_data(county):
    EvaluationRule.objects.create(year=YEAR, exclude_special_schools=False, teaching_point_min_students=30)
    rows = {(row.stage, row.code): row for row in compute_year(YEAR).coefficients.itertuples(index=False)}
    # Now the teaching point (30 students, not fewer than 30) and the special school's two parts count.
    assert (rows[("primary", "key_teachers_per_100")].parts, rows[("primary", "key_teachers_per_100")].students) == (
        7,
        3070,
    )
    assert rows[("junior", "key_teachers_per_100")].parts == 5
    assert rows[("primary", "key_teachers_per_100")].coefficient != pytest.approx(PRIMARY_CV, abs=1e-4)


def test_school_checks(result):
    schools = {row.school_name: row for row in result.schools.itertuples(index=False)}
    # Largest class: 小学二 46 > 45, 初中二 51 > 50; 初中一 50 and the nine-year school's 45 / 50 are within.
    failing_classes = {name for name, row in schools.items() if not row.largest_class_ok}
    assert failing_classes == {"小学二", "初中二"}
    # Size: the nine-year school has 1000 + 1200 = 2200 students, within its own 2500 (over the 2000 of others).
    nine = schools["九年一贯制"]
    assert (nine.students, nine.size_limit, bool(nine.size_ok)) == (2200, 2500, True)
    assert schools["小学四"].size_limit == 2000
    assert schools["初中三"].size_limit == 2000
    assert schools["特殊教育学校"].size_ok is None  # the plan sets no size limit for special schools
    # Music rooms per 12 classes: 小学三 1 × 12 / 14 = 0.857, 初中三 12 / 20 = 0.6, 小学一 none; the nine-year
    # school 4 rooms × 12 / 48 classes = 1.0 exactly.
    assert {n for n, r in schools.items() if not r.music_rooms_ok} == {"小学一", "小学三", "初中三", "教学点"}
    assert schools["九年一贯制"].music_rooms_per_12_classes == pytest.approx(1.0)
    # Smallest music room under 96 m²: 小学四 95, 初中二 90; no room at all fails too.
    assert {n for n, r in schools.items() if not r.music_room_min_area_ok} == {"小学一", "小学四", "初中二", "教学点"}
    # Art rooms: 小学三 12 / 14 < 1; smallest art room under 90 m²: 小学四 89.
    assert {n for n, r in schools.items() if not r.art_rooms_ok} == {"小学一", "小学三", "教学点"}
    assert {n for n, r in schools.items() if not r.art_room_min_area_ok} == {"小学一", "小学四", "教学点"}


def test_computing_a_year_does_not_grow_queries_with_schools(county, count_queries, township):
    from .conftest import PARTS, figures_for, make_school

    small = count_queries(lambda: compute_year(YEAR))
    extra = []
    for index in range(20):
        school = make_school(f"新增小学{index}", "primary", township)
        extra.append(figures_for(school.parts.get(), YEAR, PARTS[("小学二", "primary", "primary")]))
    from indicators.models import SchoolYearFigures

    SchoolYearFigures.objects.bulk_create(extra)
    assert count_queries(lambda: compute_year(YEAR)) == small <= 3


def test_a_missing_threshold_is_reported_not_guessed(county, plan):
    from indicators.computation import CatalogueIncomplete, load_thresholds

    plan.indicators.filter(code="sports_area_per_student", stage="junior").delete()
    with pytest.raises(CatalogueIncomplete, match=r"sports_area_per_student（junior）"):
        load_thresholds()


def test_a_nine_year_school_whose_rooms_are_all_on_one_part_meets_the_area_check(county):
    # The junior part records no music or art room (0 rooms, area 0): the school's smallest room is the
    # primary part's 96 / 90 m², not "0 m²"; 2 rooms × 12 / 48 classes is short of 1 per 12 classes.
    from indicators.models import SchoolYearFigures

    SchoolYearFigures.objects.filter(part__school=county["九年一贯制"], part__stage="junior").update(
        music_rooms=0, music_room_min_area=0, art_rooms=0, art_room_min_area=0
    )
    nine = next(row for row in compute_year(YEAR).schools.itertuples(index=False) if row.school_name == "九年一贯制")
    assert (nine.music_room_min_area, nine.art_room_min_area) == (96, 90)
    assert nine.music_room_min_area_ok
    assert nine.art_room_min_area_ok
    assert not nine.music_rooms_ok
    assert not nine.art_rooms_ok
