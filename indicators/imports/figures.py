"""Importing a year's figures: check every cell, show what would change, and replace the year in one transaction.

``check_figures(upload, year)`` reads an accepted ``Upload`` and returns a ``FiguresCheck``: the errors
(row, column header, problem), or the values each school part will have and the differences from
what the year holds now. The year is the one the template states (its first sheet's name); ``year``, when
given, only confirms it: a file of another year is refused. A CSV file states none, so it needs ``year``.
A row with no figures at all is a part that has not reported: skipped, not an error.
``apply_figures(check, user)`` writes it: the year's rows are replaced (parts not in the file, or left blank,
lose that year's figures), every changed value is recorded as a ``FigureEdit``, and the
year's indicator values and coefficients are stored again (``store.refresh_year``) in the same transaction.
"""

import hashlib
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from departments.imports.common import ImportResult, RowError, UnitLookup, describe_matches, validate_rows

from ..computation.apportion import apportion
from ..computation.compute import rule_for
from ..models import FIGURE_FIELDS, OPTIONAL_FIGURES, EvaluationRule, FigureEdit, SchoolPart, SchoolYearFigures
from ..services.store import refresh_year
from .columns import COLUMNS, COPIED, HEADER_OF, LABEL_OF_STAGE, MISSING, SHARED, WHOLE_SCHOOL, FiguresRowForm
from .template import sheet_title, stated_year


@dataclass
class PartWrite:
    """The figures one part will have, and which of them come from its school's 全校 row."""

    number: int
    part: SchoolPart
    values: dict
    apportioned: dict = field(default_factory=dict)

    @property
    def label(self):
        return f"{self.part.school.unit.name}（{LABEL_OF_STAGE[self.part.stage]}）"


@dataclass
class Change:
    label: str
    field: str
    old: object
    new: object

    def __str__(self):
        return f"{self.label} {HEADER_OF[self.field]}：{_text(self.old)} → {_text(self.new)}"


@dataclass
class FiguresCheck:
    year: int | None  # None when neither the file nor the form gave one (an error says so)
    result: ImportResult
    writes: list = field(default_factory=list)
    added: list = field(default_factory=list)  # labels of parts that have no figures for the year yet
    removed: list = field(default_factory=list)  # labels of parts whose figures the file leaves out
    changes: list = field(default_factory=list)
    existing: int = 0  # parts with figures for the year before the import
    blank: int = 0  # rows left blank: parts that have not reported

    @property
    def ok(self):
        return self.result.ok

    @property
    def replaces(self):
        """True when the year already has figures: the import then needs a confirmation."""
        return self.existing > 0

    def digest(self):
        """The differences as a SHA-256: what a confirmation page shows, so confirming applies exactly that."""
        return hashlib.sha256("\n".join([str(self.year), *map(str, self.diff_lines())]).encode()).hexdigest()

    def diff_lines(self):
        lines = [f"新增：{label}" for label in self.added]
        lines += [f"删除：{label}（文件中没有这一行，该年度数据将被删除）" for label in self.removed]
        return lines + [str(change) for change in self.changes]

    def summary(self):
        if not self.ok:
            return self.result.summary()
        verb = "替换" if self.replaces else "导入"
        blank = f"；{self.blank} 行没有填写数据，按未报送处理" if self.blank else ""
        return (
            f"{self.year}年：{verb} {len(self.writes)} 个学段的数据；新增 {len(self.added)} 个，"
            f"删除 {len(self.removed)} 个，修改 {len(self.changes)} 项数值{blank}。"
        )


def _text(value):
    return "（无）" if value is None else f"{value}"


def file_year(upload, year=None):
    """(the year of ``upload``, the error that says why there is none): the year the template states, confirmed
    by ``year`` when given; ``year`` alone for a file that states none (a CSV file, a renamed sheet)."""
    stated = stated_year(upload)
    if stated is not None and year is not None and stated != year:
        return None, (
            f"年度不一致：文件是{stated}年的模板（工作表“{sheet_title(stated)}”），所选年度却是{year}年。"
            f"请核对：导入{stated}年的数据请把年度改为{stated}或留空；导入{year}年的数据请下载{year}年的模板填写"
        )
    if stated is None and year is None:
        return None, (
            f"文件没有注明年度：请填写年度，或使用下载的模板（第一个工作表名为“{sheet_title(2026)}”这样的年度）"
        )
    return stated if stated is not None else year, None


def check_figures(upload, year=None):
    """Validate ``upload`` (for ``year``, which must match the year the file states) and work out what would
    change; writes nothing."""
    result = ImportResult(noun="学段")
    year, problem = file_year(upload, year)
    check = FiguresCheck(year=year, result=result)
    if problem:
        result.errors.append(RowError(None, None, problem))
        return check
    rows = validate_rows(upload, COLUMNS, FiguresRowForm, result)
    check.blank = sum(1 for row in rows if row.data.get("blank"))
    parts = {(part.school_id, part.stage): part for part in SchoolPart.objects.select_related("school__unit")}
    schools = UnitLookup([])
    for part in parts.values():
        schools.add(part.school.unit.name, part.school.unit.short_name, part.school)
    totals, part_rows = _resolve(rows, parts, schools, result)
    rule = rule_for(year) if rows else EvaluationRule()
    check.writes = _fill_shared(part_rows, totals, rule, result)
    result.sort_errors(COLUMNS)
    if result.ok:
        _diff(check)
    return check


def _resolve(rows, parts, schools, result):
    """Find each row's school and part: ({school id: (number, 全校 values)}, [(number, part, values)])."""
    totals, part_rows, seen = {}, [], {}
    for row in rows:
        data, number = row.data, row.number
        stage, reference = data.get("stage"), data.get("school")
        if not reference:
            continue
        matches = schools.find(reference)
        message = describe_matches(reference, matches, "学校")
        if message:
            message = f"未知学校：“{reference}”" if not matches else message
            result.errors.append(RowError(number, HEADER_OF["school"], message))
            continue
        school = matches[0]
        if not stage or data.get("blank"):
            continue  # a blank row: the part has not reported
        key = (school.pk, stage)
        if key in seen:
            message = f"“{school.unit.name}”的“{LABEL_OF_STAGE[stage]}”与第 {seen[key]} 行重复"
            result.errors.append(RowError(number, HEADER_OF["stage"], message))
            continue
        seen[key] = number
        if stage == WHOLE_SCHOOL:
            if len(school.stages) < 2:
                message = (
                    f"“{school.unit.name}”只有一个学段，不用“全校”行：请把学段改为{LABEL_OF_STAGE[school.stages[0]]}"
                )
                result.errors.append(RowError(number, HEADER_OF["stage"], message))
            elif row.valid:
                totals[school.pk] = (number, data)
            continue
        part = parts.get(key)
        if part is None:
            message = f"“{school.unit.name}”（{school.get_school_type_display()}）没有{LABEL_OF_STAGE[stage]}学段"
            result.errors.append(RowError(number, HEADER_OF["stage"], message))
        elif row.valid:
            part_rows.append((number, part, data))
    return totals, part_rows


def _fill_shared(part_rows, totals, rule, result):
    """Fill blank shared cells from the 全校 row, split 1 : junior weight by students; blank without one: 缺少."""
    by_school = {}
    for number, part, data in part_rows:
        by_school.setdefault(part.school_id, {})[part.stage] = (number, part, data)
    writes = []
    for school_id, stages in by_school.items():
        total = totals.get(school_id)
        for number, part, data in stages.values():
            write = PartWrite(number, part, dict(data))
            for name in SHARED:
                if data.get(name) is not None:
                    continue
                value = total[1].get(name) if total else None
                if value is not None and any(other[2].get(name) is not None for other in stages.values()):
                    # the 全校 total is split between both parts or not at all: half of it given, half apportioned,
                    # would add up to more than the total
                    message = "另一学段已填写该项：按“全校”行折算时两个学段都应留空"
                    result.errors.append(RowError(number, HEADER_OF[name], message))
                    continue
                if value is None and name in OPTIONAL_FIGURES:
                    write.values[name] = None  # not reported
                    continue
                if value is None or len(stages) < 2:
                    hint = "" if total is None else "（“全校”行也没有填写，或该校只导入了一个学段）"
                    result.errors.append(RowError(number, HEADER_OF[name], MISSING + hint))
                    continue
                write.values[name] = value if name in COPIED else _share(value, stages, part.stage, rule)
                write.apportioned[name] = str(value)
            writes.append(write)
    for school_id, (number, _data) in totals.items():
        if school_id not in by_school:
            result.errors.append(RowError(number, HEADER_OF["stage"], "有“全校”行，却没有该校的小学和初中行"))
    return writes if result.ok else []


def _share(total, stages, stage, rule):
    primary = stages["primary"][2]["students"]
    junior = stages["junior"][2]["students"]
    shares = dict(zip(("primary", "junior"), apportion(total, primary, junior, rule.junior_weight), strict=True))
    return shares[stage]


def _diff(check):
    current = {
        figures.part_id: figures
        for figures in SchoolYearFigures.objects.filter(year=check.year).select_related("part__school__unit")
    }
    check.existing = len(current)
    incoming = {write.part.pk for write in check.writes}
    for write in check.writes:
        old = current.get(write.part.pk)
        if old is None:
            check.added.append(write.label)
            continue
        for name in FIGURE_FIELDS:
            if getattr(old, name) != write.values[name]:
                check.changes.append(Change(write.label, name, getattr(old, name), write.values[name]))
        check.result.record(write.number, "updated", write.label)
    for part_id, figures in current.items():
        if part_id not in incoming:
            check.removed.append(str(figures.part))


def apply_figures(check, user):
    """Replace the year's figures with ``check``'s, recording each changed value. One transaction."""
    if not check.ok:
        raise ValueError("apply_figures needs a check without errors")
    try:
        with transaction.atomic():
            current = {f.part_id: f for f in SchoolYearFigures.objects.select_for_update().filter(year=check.year)}
            keep = {write.part.pk for write in check.writes}
            SchoolYearFigures.objects.filter(year=check.year).exclude(part_id__in=keep).delete()
            edits = []
            for write in check.writes:
                figures = current.get(write.part.pk) or SchoolYearFigures(part=write.part, year=check.year)
                for name in FIGURE_FIELDS:
                    old = getattr(figures, name, None) if figures.pk else None
                    if figures.pk and old != write.values[name]:
                        edits.append((figures, name, old, write.values[name]))
                    setattr(figures, name, write.values[name])
                figures.apportioned = write.apportioned
                figures.save()
            FigureEdit.objects.bulk_create(
                FigureEdit(
                    figures=figures,
                    field=name,
                    old_value="" if old is None else str(old),
                    new_value="" if new is None else str(new),
                    source=FigureEdit.Source.IMPORT,
                    edited_by=user,
                )
                for figures, name, old, new in edits
            )
            refresh_year(check.year)  # same transaction: the stored values follow the figures
    except IntegrityError:
        check.result.errors.append(RowError(None, None, "保存时与他人同时进行的修改冲突，没有导入任何数据；请重新导入"))
    return check
