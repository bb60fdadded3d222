"""What both importers share: columns, errors, the result, row validation and unit look-up."""

from collections import defaultdict
from dataclasses import dataclass, field

from .files import FileRejected, read_table

STATUS_NAMES = {"created": "新建", "updated": "更新", "unchanged": "不变"}


@dataclass(frozen=True)
class Column:
    """One column of an import file: its form field, Chinese header, the other headers accepted for it."""

    key: str
    header: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    help: str = ""


@dataclass(frozen=True)
class RowError:
    """What is wrong, where the user sees it in Excel (header is row 1, first data row is 2)."""

    row: int | None
    column: str | None
    message: str

    def __str__(self):
        if self.row and self.column:
            return f"第 {self.row} 行“{self.column}”：{self.message}"
        if self.row:
            return f"第 {self.row} 行：{self.message}"
        return self.message


@dataclass
class ImportResult:
    """Counts per row (created / updated / unchanged), generated passwords, and every error found."""

    noun: str
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    memberships_created: int = 0
    passwords: dict[str, str] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def sort_errors(self, columns):
        """File-wide errors first, then by row, and within a row in the order of ``columns``."""
        order = {column.header: index for index, column in enumerate(columns)}
        self.errors.sort(key=lambda error: (error.row or 0, order.get(error.column, len(order))))

    @property
    def ok(self):
        return not self.errors

    rows: list[tuple[int, str, str]] = field(default_factory=list)  # (row number, status, what)

    def record(self, number, status, what):
        """Count one valid row as ``created``, ``updated`` or ``unchanged``."""
        setattr(self, status, getattr(self, status) + 1)
        self.rows.append((number, status, what))

    def row_lines(self):
        """ "第 2 行：新建 乡镇（街道）“永安街道”", one per valid row."""
        return [f"第 {number} 行：{STATUS_NAMES[status]} {what}" for number, status, what in self.rows]

    def summary(self):
        if not self.ok:
            return f"发现 {len(self.errors)} 处错误，没有导入任何数据。"
        will = "将" if self.dry_run else ""
        text = f"{will}新建 {self.created} 个{self.noun}，{will}更新 {self.updated} 个，{self.unchanged} 个没有变化"
        if self.noun == "用户":
            text += f"；{will}新增 {self.memberships_created} 个单位职务"
        if self.dry_run:
            return f"检查通过（试运行，未写入任何数据）：{text}。"
        return f"导入完成：{text}。"


@dataclass
class ParsedRow:
    """A data row: its Excel row number, the form's cleaned data (only the valid cells), and whether all were valid."""

    number: int
    data: dict
    valid: bool = True


def headers_for(columns):
    return {column.key: column.header for column in columns}


def validate_rows(upload, columns, form_class, result):
    """Read the upload and validate each row with ``form_class``; errors go to ``result``.

    Returns every row as a ``ParsedRow``, so that the importers can still check the
    valid cells of an invalid row (and report all of a row's errors at once).
    """
    try:
        rows = read_table(upload, columns)
    except FileRejected as rejected:
        result.errors.extend(RowError(None, None, message) for message in rejected.messages)
        return []
    header_of = headers_for(columns)
    parsed = []
    for number, values in rows:
        form = form_class(data=values)
        valid = form.is_valid()
        parsed.append(ParsedRow(number, form.cleaned_data, valid))
        for key, messages in form.errors.items():
            column = header_of.get(key)  # None for form-wide errors
            result.errors.extend(RowError(number, column, message) for message in messages)
    return parsed


class UnitLookup:
    """Find a unit by its full name, else by its short name (which may be ambiguous)."""

    def __init__(self, units):
        self.by_name = {}
        self.by_short = defaultdict(list)
        for unit in units:
            self.add(unit.name, unit.short_name, unit)

    def add(self, name, short_name, target, replaces=None):
        """Index ``target``; ``replaces`` (the unit it stands for) is no longer found by its short name."""
        if replaces is not None:
            for targets in self.by_short.values():
                if replaces in targets:
                    targets.remove(replaces)
        self.by_name[name] = target
        if short_name and target not in self.by_short[short_name]:
            self.by_short[short_name].append(target)

    def find(self, reference):
        """The targets ``reference`` names: one, none, or several (an ambiguous short name)."""
        if reference in self.by_name:
            return [self.by_name[reference]]
        return list(self.by_short.get(reference, []))


def describe_matches(reference, matches, what="单位"):
    """The error for a reference that matched no unit or several; None when it matched exactly one."""
    if not matches:
        return f"找不到{what}“{reference}”"
    if len(matches) > 1:
        names = "、".join(sorted(str(getattr(match, "name", match)) for match in matches))
        return f"简称“{reference}”对应多个{what}（{names}），请填写全称"
    return None
