"""Importing townships, streets and schools. Every row is checked before anything is written."""

from collections import defaultdict
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from ..forms import UnitRowForm
from ..models import Unit
from .common import Column, ImportResult, RowError, UnitLookup, describe_matches, validate_rows

UNIT_COLUMNS = (
    Column("name", "名称", required=True, aliases=("单位名称", "学校名称", "全称"), help="全称，不能重复"),
    Column("short_name", "简称", aliases=("单位简称",), help="可不填；不填时保留原有简称"),
    Column("kind", "类型", required=True, aliases=("单位类型",), help="乡镇、街道 或 学校"),
    Column(
        "township",
        "所属乡镇（街道）",
        aliases=("所属乡镇", "所属街道", "乡镇（街道）"),
        help="学校必填：已有乡镇（街道）的全称或简称，或本文件中写在前面的乡镇（街道）",
    ),
    Column(
        "collective",
        "所属集合",
        aliases=("集合单位", "所属集合单位"),
        help="乡镇（街道）可填，如“各乡镇（街道）”；不填时加入系统中唯一的集合单位",
    ),
)
KIND_NAMES = {Unit.Kind.TOWNSHIP: "乡镇（街道）", Unit.Kind.SCHOOL: "学校"}
MEMBER_UNITS = Unit.member_units.through


def kind_name(unit):
    return KIND_NAMES.get(unit.kind) or str(unit.get_kind_display())


@dataclass
class UnitPlan:
    """What one valid row will do. ``parent`` is a Unit or an earlier UnitPlan of the same file."""

    number: int
    name: str
    short_name: str
    kind: str
    existing: Unit | None
    parent: object = None
    collective: Unit | None = None
    status: str = "created"
    unit: Unit | None = None

    def parent_unit(self):
        return self.parent.unit if isinstance(self.parent, UnitPlan) else self.parent

    def parent_pk(self):
        """The parent's id as it is now in the database (None for a township this file creates)."""
        unit = self.parent.existing if isinstance(self.parent, UnitPlan) else self.parent
        return unit.pk if unit is not None else None


def import_units(upload, *, dry_run=False):
    """Create or update the townships, streets and schools of ``upload`` (an accepted ``Upload``)."""
    result = ImportResult(noun="单位", dry_run=dry_run)
    rows = validate_rows(upload, UNIT_COLUMNS, UnitRowForm, result)
    plans = _plan(rows, result)
    result.sort_errors(UNIT_COLUMNS)
    if result.errors or dry_run:
        return result
    try:
        with transaction.atomic():
            for plan in plans:
                _write(plan)
    except IntegrityError:
        result.errors.append(RowError(None, None, "保存时与他人同时进行的修改冲突，没有导入任何数据；请重新导入"))
    return result


def _plan(rows, result):
    units = list(Unit.objects.all())
    existing = {unit.name: unit for unit in units}
    townships = UnitLookup(unit for unit in units if unit.kind == Unit.Kind.TOWNSHIP)
    collectives = UnitLookup(unit for unit in units if unit.kind == Unit.Kind.COLLECTIVE)
    everything = UnitLookup(units)
    links = MEMBER_UNITS.objects.filter(from_unit__kind=Unit.Kind.COLLECTIVE).values_list(
        "from_unit_id", "to_unit_id", "to_unit__kind"
    )
    memberships, member_kinds = set(), defaultdict(set)
    for collective_id, member_id, member_kind in links:
        memberships.add((collective_id, member_id))
        member_kinds[collective_id].add(member_kind)
    default = _default_collective([unit for unit in units if unit.kind == Unit.Kind.COLLECTIVE], member_kinds)
    later = _townships_by_row(rows)
    seen, plans = {}, []
    for row in rows:
        # An invalid row is still checked, cell by cell, as far as its valid cells allow.
        data, number = row.data, row.number
        errors = []
        name, kind = data.get("name"), data.get("kind")
        if name in seen:
            errors.append(RowError(number, "名称", f"“{name}”与第 {seen[name]} 行重复"))
        unit = existing.get(name)
        if name:
            seen.setdefault(name, number)
        if unit is not None and kind and unit.kind != kind:
            message = f"单位“{unit.name}”已存在，类型是“{kind_name(unit)}”，不能改为“{KIND_NAMES[kind]}”"
            errors.append(RowError(number, "类型", message))
        plan = UnitPlan(number, name, data.get("short_name", ""), kind, unit)
        if kind == Unit.Kind.SCHOOL and data.get("township"):
            plan.parent = _find_township(data["township"], number, townships, everything, later, errors)
        elif kind == Unit.Kind.TOWNSHIP and "collective" in data:
            plan.collective = _find_collective(data["collective"], number, collectives, default, errors)
        if kind == Unit.Kind.TOWNSHIP and name:
            short_name = plan.short_name or (unit.short_name if unit else "")
            townships.add(name, short_name, plan, replaces=unit)
        if errors or not row.valid:
            result.errors.extend(errors)
            continue
        plan.status = _status(plan, memberships)
        result.record(number, plan.status, f"{KIND_NAMES[plan.kind]}“{plan.name}”")
        plans.append(plan)
    return plans


def _townships_by_row(rows):
    """Every township of the file by name and short name, to explain a reference to a later row."""
    later = {}
    for row in rows:
        if row.data.get("kind") == Unit.Kind.TOWNSHIP:
            for key in (row.data.get("name"), row.data.get("short_name")):
                if key:
                    later.setdefault(key, row.number)
    return later


def _find_township(reference, number, townships, everything, later, errors):
    matches = townships.find(reference)
    if len(matches) == 1:
        return matches[0]
    message = describe_matches(reference, matches, "乡镇（街道）")
    if not matches:
        other = everything.find(reference)
        if len(other) == 1:
            message = f"“{reference}”不是乡镇（街道），而是{kind_name(other[0])}"
        elif reference in later:
            message += f"：它在第 {later[reference]} 行，须写在本行之前"
    errors.append(RowError(number, "所属乡镇（街道）", message))
    return None


def _default_collective(collectives, member_kinds):
    """(unit, None) for the collective townships join when a row names none, else (None, why not).

    The only collective; or, among several, the only one for townships: its name says
    乡镇 or 街道, or every member it has is a township.
    """
    candidates = collectives
    if len(candidates) > 1:
        candidates = [unit for unit in collectives if _is_for_townships(unit, member_kinds.get(unit.pk))]
    if len(candidates) == 1:
        return candidates[0], None
    if not collectives:
        return None, "没有填写，而系统中还没有集合单位（如“各乡镇（街道）”）：请先创建，再导入"
    names = "、".join(sorted(unit.name for unit in candidates or collectives))
    return None, f"没有填写，而系统中有多个集合单位（{names}），请填写要加入哪一个"


def _is_for_townships(unit, member_kinds):
    named = any(word in f"{unit.name}{unit.short_name}" for word in ("乡镇", "街道"))
    return named or member_kinds == {Unit.Kind.TOWNSHIP}


def _find_collective(reference, number, collectives, default, errors):
    if reference:
        matches = collectives.find(reference)
        message = describe_matches(reference, matches, "集合单位")
        unit = matches[0] if message is None else None
    else:
        unit, message = default
    if message:
        errors.append(RowError(number, "所属集合", message))
    return unit


def _status(plan, memberships):
    unit = plan.existing
    if unit is None:
        return "created"
    changed = (
        (plan.short_name and plan.short_name != unit.short_name)
        or unit.is_sample
        or (plan.kind == Unit.Kind.SCHOOL and (plan.parent_pk() is None or plan.parent_pk() != unit.parent_id))
        or (plan.collective is not None and (plan.collective.pk, unit.pk) not in memberships)
    )
    return "updated" if changed else "unchanged"


def _write(plan):
    unit = plan.existing or Unit(name=plan.name, kind=plan.kind)
    if plan.short_name:
        unit.short_name = plan.short_name
    if plan.kind == Unit.Kind.SCHOOL:
        unit.parent = plan.parent_unit()
    unit.is_sample = False  # a real list replaces the demo data's sample
    if plan.status != "unchanged":
        unit.save()
    if plan.collective is not None:
        plan.collective.member_units.add(unit)
    plan.unit = unit
