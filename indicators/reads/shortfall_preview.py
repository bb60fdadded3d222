"""The 问题清单 of a year: its shortfalls school by school, split into those raising would turn into
rectification items and those already raised or still being rectified (the no-duplicate rule of
``services.rectification``), with the unit each school's item would go to.

Every shortfall of the year is computed (pandas, over the year's figures) and counted, so the totals describe the
whole year; the schools' rows — their profiles, owners and blocking items — are built for the schools shown only:
every school for raising, a page of them (by school name) for the page.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q

from departments import access
from departments.models import Unit
from workflows.models import DutyItem

from ..computation.catalogue import CatalogueIncomplete, load_thresholds
from ..computation.compute import compute_year
from ..computation.frame import year_frame
from ..computation.shortfalls import Found, find_shortfalls
from ..models import SchoolProfile, Shortfall

PER_PAGE = 50  # schools per page of the 问题清单


@dataclass
class SchoolPreview:
    """One school's shortfalls of the year: those to raise, and those already raised or being rectified."""

    school: SchoolProfile
    owner: Unit | None  # None when the school has no liaison and there is no 县教委
    has_liaison: bool
    new: list[Found] = field(default_factory=list)
    already: list[tuple[Found, Shortfall]] = field(default_factory=list)  # with the row that blocks it


@dataclass(frozen=True)
class Counts:
    """The whole year's totals, whichever schools are shown."""

    schools: int = 0  # schools with a shortfall
    raising: int = 0  # of which with a new one: the rectification items raising would create
    new: int = 0  # shortfalls raising would record
    already: int = 0  # shortfalls already raised this year or in an open item


@dataclass
class ShortfallPreview:
    year: int
    schools: list[SchoolPreview]  # every school with a shortfall, or the page's (``page_obj``)
    commission: Unit | None
    counts: Counts = field(default_factory=Counts)
    page_obj: object = None  # the Paginator page of school ids, when paged

    @property
    def raising(self):
        return [school for school in self.schools if school.new]

    @property
    def new_count(self):
        return self.counts.new

    @property
    def already_count(self):
        return self.counts.already

    @property
    def missing_owner(self):
        return [school for school in self.raising if school.owner is None]


def education_commission():
    return Unit.objects.filter(kind=Unit.Kind.EDUCATION_COMMISSION, active=True).order_by("pk").first()


def _year_shortfalls(year):
    """(every Found of ``year`` in school and catalogue order, {school id: school name}). Three queries."""
    try:
        thresholds = load_thresholds()
    except CatalogueIncomplete as error:
        raise ValidationError(str(error), code="catalogue") from error
    frame = year_frame(year)
    if frame.empty:
        raise ValidationError(f"{year}年还没有学校年度数据。", code="no_figures")
    found = find_shortfalls(compute_year(year, thresholds=thresholds, frame=frame), frame, thresholds)
    return found, dict(zip(frame["school_id"].tolist(), frame["school_name"].tolist(), strict=True))


def _blocking(year):
    """Shortfall rows that keep a key from being raised: the year's own, and those in an open item (any year)."""
    return Shortfall.objects.filter(Q(year=year) | Q(item__stage__in=DutyItem.OPEN_STAGES))


def _counts(by_school, blocked):
    new = sum(1 for found in by_school.values() for shortfall in found if shortfall.key not in blocked)
    raising = sum(1 for found in by_school.values() if any(shortfall.key not in blocked for shortfall in found))
    total = sum(len(found) for found in by_school.values())
    return Counts(schools=len(by_school), raising=raising, new=new, already=total - new)


def _previews(year, by_school, commission):
    """[SchoolPreview] of the schools of ``by_school`` ({school id: [Found]}), in its order. Three queries."""
    blockers = {}
    existing = _blocking(year).filter(school_id__in=list(by_school)).select_related("item").order_by("year", "pk")
    for row in existing:
        blockers[(row.school_id, row.stage, row.code)] = row  # the latest wins
    schools = SchoolProfile.objects.select_related("unit").in_bulk(list(by_school))
    liaisons = access.liaisons_by_unit({school.unit_id for school in schools.values()})
    previews = []
    for school_id, found in by_school.items():
        school = schools[school_id]
        has_liaison = bool(liaisons.get(school.unit_id))
        preview = SchoolPreview(school, school.unit if has_liaison else commission, has_liaison)
        for shortfall in found:
            blocker = blockers.get(shortfall.key)
            if blocker is None:
                preview.new.append(shortfall)
            else:
                preview.already.append((shortfall, blocker))
        previews.append(preview)
    return previews


def preview_shortfalls(year, *, page=None):
    """What raising ``year`` would create (``raising``) and what is already raised or open (``already``), school by
    school in name order; with ``page``, only that page of schools (``PER_PAGE``; a bad number is the nearest page),
    the totals (``counts``) still of every school.

    A fixed number of queries (9) whatever the number of schools. ValidationError if the year has no
    figures or the plan's catalogue lacks thresholds.
    """
    found, names = _year_shortfalls(year)
    by_school = {}
    for shortfall in found:
        by_school.setdefault(shortfall.school_id, []).append(shortfall)
    blocked = set(_blocking(year).values_list("school_id", "stage", "code"))
    ordered = sorted(by_school, key=names.__getitem__)  # stable: schools of the same name by id
    page_obj = Paginator(ordered, PER_PAGE).get_page(page) if page is not None else None
    shown = page_obj.object_list if page_obj is not None else ordered
    commission = education_commission()
    return ShortfallPreview(
        year=year,
        schools=_previews(year, {school_id: by_school[school_id] for school_id in shown}, commission),
        commission=commission,
        counts=_counts(by_school, blocked),
        page_obj=page_obj,
    )
