"""The 问题清单 of a year: its shortfalls school by school, split into those raising would turn into
rectification items and those already raised or still being rectified (the no-duplicate rule of
``services.rectification``), with the unit each school's item would go to.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q

from departments import access
from departments.models import Unit
from workflows.models import DutyItem

from ..computation.catalogue import CatalogueIncomplete, load_thresholds
from ..computation.compute import compute_year
from ..computation.frame import year_frame
from ..computation.shortfalls import Found, find_shortfalls
from ..models import SchoolProfile, Shortfall


@dataclass
class SchoolPreview:
    """One school's shortfalls of the year: those to raise, and those already raised or being rectified."""

    school: SchoolProfile
    owner: Unit | None  # None when the school has no liaison and there is no 县教委
    has_liaison: bool
    new: list[Found] = field(default_factory=list)
    already: list[tuple[Found, Shortfall]] = field(default_factory=list)  # with the row that blocks it


@dataclass
class ShortfallPreview:
    year: int
    schools: list[SchoolPreview]
    commission: Unit | None

    @property
    def raising(self):
        return [school for school in self.schools if school.new]

    @property
    def new_count(self):
        return sum(len(school.new) for school in self.schools)

    @property
    def already_count(self):
        return sum(len(school.already) for school in self.schools)

    @property
    def missing_owner(self):
        return [school for school in self.raising if school.owner is None]


def education_commission():
    return Unit.objects.filter(kind=Unit.Kind.EDUCATION_COMMISSION, active=True).order_by("pk").first()


def preview_shortfalls(year):
    """What raising ``year`` would create (``raising``) and what is already raised or open (``already``).

    A fixed number of queries (7) whatever the number of schools. ValidationError if the year has no
    figures or the plan's catalogue lacks thresholds.
    """
    try:
        thresholds = load_thresholds()
    except CatalogueIncomplete as error:
        raise ValidationError(str(error), code="catalogue") from error
    frame = year_frame(year)
    if frame.empty:
        raise ValidationError(f"{year}年还没有学校年度数据。", code="no_figures")
    found = find_shortfalls(compute_year(year, thresholds=thresholds, frame=frame), frame, thresholds)
    school_ids = {f.school_id for f in found}
    blockers = {}
    existing = (
        Shortfall.objects.filter(school_id__in=school_ids)
        .filter(Q(year=year) | Q(item__stage__in=DutyItem.OPEN_STAGES))
        .select_related("item")
        .order_by("year", "pk")
    )
    for row in existing:
        blockers[(row.school_id, row.stage, row.code)] = row  # the latest wins
    schools = SchoolProfile.objects.select_related("unit").in_bulk(school_ids)
    liaisons = access.liaisons_by_unit({school.unit_id for school in schools.values()})
    commission = education_commission()
    previews = {}
    for shortfall in found:
        school = schools[shortfall.school_id]
        if school.pk not in previews:
            has_liaison = bool(liaisons.get(school.unit_id))
            previews[school.pk] = SchoolPreview(school, school.unit if has_liaison else commission, has_liaison)
        blocker = blockers.get(shortfall.key)
        if blocker is None:
            previews[school.pk].new.append(shortfall)
        else:
            previews[school.pk].already.append((shortfall, blocker))
    ordered = sorted(previews.values(), key=lambda p: p.school.unit.name)
    return ShortfallPreview(year=year, schools=ordered, commission=commission)
