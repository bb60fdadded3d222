"""What a year's figures fall short of, school by school, each with its gap, as lines an item can carry.

Pure computation over ``compute_year`` (no writes): the resource indicators a part does not reach (those
below the floor flagged), a part's largest class over its limit, and the whole-school checks — size,
music and art rooms per 12 classes, the smallest music and art room's area, the teacher-training funds' share
of the public-funds budget (when the school reported both amounts).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from ..models import Stage
from .catalogue import (
    ART_AREA,
    ART_ROOMS,
    CLASS_SIZE,
    INDICATOR_BY_CODE,
    JUNIOR,
    MUSIC_AREA,
    MUSIC_ROOMS,
    PRIMARY,
    RESOURCE_INDICATORS,
    SCHOOL_SIZE,
    TRAINING_SHARE,
)
from .compute import _strictest, compare
from .training_funds import school_training_funds, training_threshold

RESOURCE_ORDER = {indicator.code: index for index, indicator in enumerate(RESOURCE_INDICATORS)}
# code → (name, unit, at most?) of the school checks; the resource indicators' come from the catalogue.
CHECKS = {
    CLASS_SIZE: ("最大班额", "人", True),
    SCHOOL_SIZE: ("学校规模（在校生数）", "人", True),
    MUSIC_ROOMS: ("每12个班音乐专用教室", "间", False),
    MUSIC_AREA: ("音乐专用教室最小一间面积", "㎡", False),
    ART_ROOMS: ("每12个班美术专用教室", "间", False),
    ART_AREA: ("美术专用教室最小一间面积", "㎡", False),
    TRAINING_SHARE: ("教师培训经费占年度公用经费预算总额比例", "%", False),
}
CHECK_ORDER = {code: 100 + index for index, code in enumerate(CHECKS)}
UNITS = {"平方米": "㎡"}
STAGE_PREFIX = {Stage.PRIMARY: "小学部", Stage.JUNIOR: "初中部"}
SHORT_COLUMNS = ("school_id", "part_id", "stage", "code", "value", "threshold", "below_floor")


def number(value):
    """2 decimals at most, no trailing zeros: 3.10 → "3.1", 1250.0 → "1250"."""
    rounded = Decimal(repr(float(value))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{rounded.normalize():f}"


@dataclass(frozen=True)
class Found:
    """One shortfall computed from the figures (not saved): what, how far, and whether below the floor."""

    school_id: int
    part_id: int | None
    stage: str  # the part's stage, "" for a whole-school check
    code: str
    name: str
    unit: str
    value: float
    threshold: float
    at_most: bool  # the threshold is a maximum (class size, school size)
    below_floor: bool = False
    floor_percent: str = "85"
    show_stage: bool = False  # the school has more than one part

    @property
    def key(self):
        return (self.school_id, self.stage, self.code)

    @property
    def gap(self):
        return abs(self.value - self.threshold)

    @property
    def order(self):
        """Parts first (primary, then junior), then the whole-school checks; catalogue order within each."""
        return (self.stage == "", self.stage == JUNIOR, RESOURCE_ORDER.get(self.code, CHECK_ORDER.get(self.code, 999)))

    def text(self):
        """E.g. "生均教学及辅助用房面积 3.1㎡，标准 4.5㎡，差 1.4㎡（低于标准的85%）"."""
        prefix = f"{STAGE_PREFIX[self.stage]} " if self.show_stage and self.stage else ""
        value, threshold, gap, unit = number(self.value), number(self.threshold), number(self.gap), self.unit
        if self.at_most:
            line = f"{self.name} {value}{unit}，标准不超过 {threshold}{unit}，超 {gap}{unit}"
        else:
            line = f"{self.name} {value}{unit}，标准 {threshold}{unit}，差 {gap}{unit}"
        if self.below_floor:
            line += f"（低于标准的{self.floor_percent}%）"
        return prefix + line


def find_shortfalls(result, frame, thresholds):
    """Every shortfall of the year, in school, stage and catalogue order. ``result`` is ``compute_year``'s."""
    parts_per_school = frame.groupby("school_id")["part_id"].count().to_dict() if len(frame) else {}
    floor = number(float(result.rule.floor_ratio) * 100)
    found = []

    def add(school_id, **fields):
        found.append(Found(school_id=int(school_id), show_stage=parts_per_school.get(school_id, 1) > 1, **fields))

    short = result.values[~result.values["reached"]][list(SHORT_COLUMNS)]  # only the columns read: 10× faster
    for school_id, part_id, stage, code, value, threshold, below_floor in short.itertuples(index=False, name=None):
        indicator = INDICATOR_BY_CODE[code]
        add(school_id, part_id=int(part_id), stage=stage, code=code, name=indicator.name,
            unit=UNITS.get(indicator.unit, indicator.unit), value=float(value), threshold=float(threshold),
            at_most=False, below_floor=bool(below_floor), floor_percent=floor)  # fmt: skip
    if len(frame):
        class_limits = {stage: float(thresholds[(CLASS_SIZE, stage)].value) for stage in (PRIMARY, JUNIOR)}
        limits = frame["stage"].map(class_limits)
        over = frame[~compare(frame["largest_class"], "lte", limits)]
        for row, limit in zip(over.itertuples(index=False), limits[over.index], strict=True):
            name, unit, _at_most = CHECKS[CLASS_SIZE]
            add(row.school_id, part_id=int(row.part_id), stage=row.stage, code=CLASS_SIZE, name=name, unit=unit,
                value=float(row.largest_class), threshold=limit, at_most=True)  # fmt: skip
    _school_checks(result.schools, thresholds, add)
    _training_funds(frame, thresholds, add)
    return sorted(found, key=lambda f: (f.school_id, f.order))


def _school_checks(schools, thresholds, add):
    if schools.empty:
        return
    limits = {
        MUSIC_ROOMS: _strictest(schools, thresholds, MUSIC_ROOMS),
        ART_ROOMS: _strictest(schools, thresholds, ART_ROOMS),
        MUSIC_AREA: _strictest(schools, thresholds, MUSIC_AREA),
        ART_AREA: _strictest(schools, thresholds, ART_AREA),
    }
    for index, row in enumerate(schools.itertuples(index=False)):

        def check(code, value, threshold, row=row):
            name, unit, at_most = CHECKS[code]
            add(row.school_id, part_id=None, stage="", code=code, name=name, unit=unit, value=float(value),
                threshold=float(threshold), at_most=at_most)  # fmt: skip

        if row.size_ok is False:
            check(SCHOOL_SIZE, row.students, row.size_limit)
        if not row.music_rooms_ok:
            check(MUSIC_ROOMS, _finite(row.music_rooms_per_12_classes), limits[MUSIC_ROOMS][index])
        if not row.music_room_min_area_ok:
            area = row.music_room_min_area if row.music_rooms > 0 else 0
            check(MUSIC_AREA, area, limits[MUSIC_AREA][index])
        if not row.art_rooms_ok:
            check(ART_ROOMS, _finite(row.art_rooms_per_12_classes), limits[ART_ROOMS][index])
        if not row.art_room_min_area_ok:
            area = row.art_room_min_area if row.art_rooms > 0 else 0
            check(ART_AREA, area, limits[ART_AREA][index])


def _training_funds(frame, thresholds, add):
    threshold = training_threshold(thresholds)
    if threshold is None or frame.empty:
        return
    name, unit, at_most = CHECKS[TRAINING_SHARE]
    for row in school_training_funds(frame, threshold).itertuples(index=False):
        if row.ok is False:
            add(row.school_id, part_id=None, stage="", code=TRAINING_SHARE, name=name, unit=unit,
                value=float(row.share), threshold=float(threshold.value), at_most=at_most)  # fmt: skip


def _finite(value):
    return float(value) if np.isfinite(value) else 0.0
