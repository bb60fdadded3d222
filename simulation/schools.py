"""The simulated schools: registered once, then each year's figures filled in by the plan office through the
figures import (the same form, check and apply as the page), moving towards the plan's 2028 thresholds.

A school starts somewhere between well below and well above the thresholds and moves towards a target level
by 2027: most targets lie a little above the thresholds (so the schools converge and the coefficients fall),
about one school in twelve lags below them. Figures are the thresholds times the school's level that year,
spread a little per indicator, so some schools meet every indicator, some miss one, and a few fall below 85 %
of a threshold. Everything is drawn from the seed.
"""

import csv
import io
import math
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from departments import access
from departments.models import Unit
from indicators.computation.catalogue import INDICATOR_BY_CODE, RESOURCE_CODES, load_thresholds
from indicators.forms import FiguresUploadForm
from indicators.imports.columns import COLUMNS, LABEL_OF_STAGE
from indicators.imports.figures import apply_figures, check_figures
from indicators.models import SchoolPart, Stage
from indicators.services.schools import register_school

from .profiles import draw

SCHOOL_TYPES = (  # type, name ending, share, students per part (low, high)
    ("primary", "小学", 0.55, (180, 1900)),
    ("junior", "中学", 0.24, (300, 1800)),
    ("nine_year", "九年制学校", 0.13, (250, 900)),
    ("teaching_point", "教学点", 0.08, (12, 60)),
)
INDICATOR_SPREAD = (1.00, 0.94, 0.97, 1.05, 0.98, 1.08, 0.95)  # a school is rarely even across the board
FIRST_TARGET_YEAR = 2027  # the year the schools reach their target level: the plan is evaluated in 2028
SAMPLE_TOWNSHIPS = ("永安街道", "夔门街道", "白帝镇")
NUMERALS = "零一二三四五六七八九"


def chinese_number(number):
    """1 → 一, 12 → 十二, 40 → 四十 (up to 99)."""
    tens, ones = divmod(number, 10)
    text = ("" if tens == 1 else NUMERALS[tens]) + "十" if tens else ""
    return text + (NUMERALS[ones] if ones or not tens else "")


def register_schools(seed, count):
    """``count`` schools spread over the townships (sample townships are added if the county has none)."""
    townships = list(Unit.objects.filter(kind=Unit.Kind.TOWNSHIP, active=True).order_by("name"))
    if not townships:
        townships = add_sample_townships()
    registered = SchoolPart.objects.filter(school__unit__is_sample=True).values("school_id").distinct().count()
    numbers = {}
    for index in range(registered, count):
        township = townships[index % len(townships)]
        school_type, ending, _share, _students = _school_type(draw(seed, "school type", index))
        numbers[(township.pk, ending)] = numbers.get((township.pk, ending), _existing(township, ending)) + 1
        name = f"{township.name[:2]}第{chinese_number(numbers[(township.pk, ending)])}{ending}"
        unit, _created = Unit.objects.get_or_create(
            name=name, defaults={"kind": Unit.Kind.SCHOOL, "is_sample": True, "parent": township}
        )
        register_school(unit, school_type, township=township)


def _existing(township, ending):
    return Unit.objects.filter(kind=Unit.Kind.SCHOOL, parent=township, name__endswith=ending).count()


def _school_type(number):
    for school_type in SCHOOL_TYPES:
        if number < school_type[2]:
            return school_type
        number -= school_type[2]
    return SCHOOL_TYPES[0]


def add_sample_townships():
    """The sample townships (marked as samples: a county's real ones come by bulk import), in the collective."""
    collective = Unit.objects.filter(kind=Unit.Kind.COLLECTIVE).order_by("pk").first()
    townships = []
    for name in SAMPLE_TOWNSHIPS:
        township, _created = Unit.objects.get_or_create(
            name=name, defaults={"kind": Unit.Kind.TOWNSHIP, "is_sample": True}
        )
        if collective is not None:
            collective.member_units.add(township)
        townships.append(township)
    return townships


def level(seed, school_name, year):
    """How well resourced the school is in ``year`` (1 = exactly at the thresholds)."""
    start = 0.84 + 0.38 * draw(seed, "start", school_name)
    lagging = draw(seed, "lagging", school_name) < 0.08
    aim = draw(seed, "target", school_name)
    target = 0.9 + 0.08 * aim if lagging else 1.1 + 0.1 * aim
    progress = min(1.0, max(0.0, (year - 2021) / (FIRST_TARGET_YEAR - 2021)))
    noise = 0.04 * (draw(seed, "noise", school_name, year) - 0.5)
    return start + (target - start) * progress + noise


def enter_year(seed, plan_office, year):
    """The plan office imports the year's figures as a CSV file, through the page's form, check and apply."""
    access.require(access.can_import_school_figures(plan_office), "只有领导小组办公室可以导入学校数据。")
    upload = SimpleUploadedFile(f"学校数据-{year}.csv", figures_csv(seed, year).encode("utf-8"), "text/csv")
    form = FiguresUploadForm(data={"year": year}, files={"file": upload})
    if not form.is_valid():
        raise ValueError(f"{year}年学校数据文件未通过检查：{form.errors.as_text()}")
    check = check_figures(form.cleaned_data["file"], year)
    if not check.ok:
        raise ValueError(f"{year}年学校数据未通过检查：{check.result.errors[:3]}")
    return apply_figures(check, plan_office)


def figures_csv(seed, year):
    thresholds = load_thresholds()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.header for column in COLUMNS])
    students_of_type = {school_type: students for school_type, _ending, _share, students in SCHOOL_TYPES}
    parts = SchoolPart.objects.filter(school__unit__is_sample=True).select_related("school__unit")
    for part in parts.order_by("school__unit__name", "stage"):
        name = part.school.unit.name
        low, high = students_of_type.get(part.school.school_type, (200, 1200))
        base = low + (high - low) * draw(seed, "students", name, part.stage)
        students = max(8, round(base * (1 + 0.03 * (draw(seed, "roll", name, part.stage, year) - 0.5))))
        values = figures(part.stage, students, level(seed, name, year), thresholds, seed=len(name) + year)
        writer.writerow([name, LABEL_OF_STAGE[part.stage], *(values[column.key] for column in COLUMNS[2:])])
    return buffer.getvalue()


def figures(stage, students, level, thresholds, seed):
    """One part's yearly figures from its level: the thresholds times the level, spread per indicator."""

    def target(code, index):
        spread = INDICATOR_SPREAD[(index + seed) % len(INDICATOR_SPREAD)]
        value = float(thresholds[(code, stage)].value) * level * spread
        return value * students / INDICATOR_BY_CODE[code].factor

    def amount(value):
        return Decimal(f"{value:.2f}")

    totals = {code: target(code, index) for index, code in enumerate(RESOURCE_CODES)}
    classes = max(1, math.ceil(students / 45))
    teachers = amount(max(1.0, students / 17))
    pe_art = totals["pe_art_teachers_per_100"]
    rooms = max(1, round(classes / 12 * level))
    # Public funds per student (a small primary part funded as 100 students, the plan's rule); training funds
    # around the plan's 5 % of that budget: below it at the schools resourced below the thresholds.
    budget = amount(max(students, 100) * (800 if stage == Stage.PRIMARY else 1000))
    return {
        "students": students,
        "classes": classes,
        "largest_class": min(students, round(45 * (2 - level)) - 2 + seed % 3),
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
        "music_room_min_area": amount(96 * (0.9 + 0.15 * level) + seed % 3),
        "art_rooms": amount(rooms),
        "art_room_min_area": amount(96 * (0.9 + 0.15 * level) + seed % 2),
        "trained_teachers": amount(float(teachers) * 0.93),
        "certified_teachers": teachers,
        "rotation_eligible_teachers": amount(float(teachers) * 0.4),
        "rotated_teachers": amount(float(teachers) * 0.4 * 0.12),
        "rotated_key_teachers": amount(float(teachers) * 0.4 * 0.12 * 0.25),
        "public_funds_budget": budget,
        "teacher_training_funds": amount(float(budget) * 0.05 * level),
    }
