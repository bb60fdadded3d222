"""Import files are read within bounds: an XLSX archive is judged before openpyxl opens it, and rows — blank ones
included — stop being read at the row limit. Both imports read files through ``departments.imports.files``: the
people and units import and the schools' figures import get the same refusals."""

import io
import tracemalloc
import zipfile

import openpyxl
import pytest

from departments.imports import import_people, import_units
from departments.imports.files import MAX_DATA_ROWS, MAX_ROWS, FileRejected, Upload, read_table
from departments.imports.units import UNIT_COLUMNS
from departments.imports.xlsx_archive import MAX_MEMBERS
from indicators.imports import check_figures

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
SHEET = "xl/worksheets/sheet1.xml"
SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_END = "</sheetData></worksheet>"
TOO_MANY_ROWS = (
    f"行数太多：第 {MAX_ROWS + 1} 行超出了上限。一次最多导入 {MAX_DATA_ROWS} 行数据，连同表头和空行不能超过 "
    f"{MAX_ROWS} 行；请删去末尾的空行，或分成几个文件导入"
)


def workbook_bytes(rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_members(data, replaced=None, added=(), level=6):
    """The workbook ``data`` with members replaced ({name: content}) and ``added`` [(name, content)]; a content is
    bytes, or a function writing to the member."""
    source, buffer = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    members = [(name, (replaced or {}).get(name) or source.read(name)) for name in source.namelist()]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, content in [*members, *added]:
            if callable(content):
                with archive.open(name, "w", force_zip64=True) as member:
                    content(member)
            else:
                archive.writestr(name, content)
    return buffer.getvalue()


def units_workbook(**changes):
    return with_members(workbook_bytes([["名称", "类型"], ["白帝镇", "乡镇"]]), **changes)


def shared_strings_of(size):
    """A sharedStrings.xml of ``size`` bytes, written in pieces: 300 MB of it packs into under 1 MB."""
    block = b"<si><t>" + b"a" * 1000 + b"</t></si>"

    def write(member):
        member.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
        piece = block * 1000
        for _ in range(-(-size // len(piece))):
            member.write(piece)
        member.write(b"</sst>")

    return write


def refusal(upload):
    with pytest.raises(FileRejected) as raised:
        read_table(upload, UNIT_COLUMNS)
    return raised.value.messages


# --- the archive -----------------------------------------------------------------------------------------------


def test_strings_that_unpack_to_300_mb_are_refused_before_the_workbook_is_opened():
    data = units_workbook(added=[("xl/sharedStrings.xml", shared_strings_of(300 * MB))])
    assert len(data) < MB

    tracemalloc.start()
    try:
        (message,) = refusal(Upload("单位.xlsx", "xlsx", data))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert message.startswith("Excel 文件“单位.xlsx”解压后有 300.")
    assert message.endswith(" MB，超过了 50.0 MB 的上限：请删去多余的工作表、空行和格式，或分成几个文件导入")
    assert peak < 5 * MB  # nothing was unpacked


def test_the_unpacked_limit_is_a_setting(settings):
    data = units_workbook()
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 1000
    assert refusal(Upload("单位.xlsx", "xlsx", data))[0].startswith("Excel 文件“单位.xlsx”解压后有 ")
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 50 * MB
    assert read_table(Upload("单位.xlsx", "xlsx", data), UNIT_COLUMNS) == [(2, {"name": "白帝镇", "kind": "乡镇"})]


def test_a_part_packed_far_too_tightly_is_refused():
    """2 MB of the same byte packs into about 2 KB: no spreadsheet part does that."""
    data = units_workbook(added=[("xl/media/image1.png", b"\0" * (2 * MB))])
    (message,) = refusal(Upload("单位.xlsx", "xlsx", data))
    assert message.startswith("Excel 文件“单位.xlsx”内的部件“xl/media/image1.png”压缩比异常（")
    assert message.endswith("解压后为 2.0 MB），不是正常的工作簿")


def test_an_archive_of_too_many_parts_is_refused():
    data = units_workbook(added=[(f"xl/media/{n}.txt", b"x") for n in range(MAX_MEMBERS)])
    assert refusal(Upload("单位.xlsx", "xlsx", data)) == [
        f"Excel 文件“单位.xlsx”内含 {MAX_MEMBERS + 9} 个部件，超过了 {MAX_MEMBERS} 个的上限，不是正常的工作簿"
    ]


def test_a_sheet_damaged_halfway_is_refused_naming_the_rows_read():
    rows = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>镇{n}</t></is></c></row>' for n in range(2, 5000))
    start = SHEET_START.replace("<sheetData>", '<dimension ref="A1:A5000"/><sheetData>')  # opened unread
    sheet = start + '<row r="1"><c r="A1" t="inlineStr"><is><t>名称</t></is></c></row>' + rows + "<row r=<"
    (message,) = refusal(Upload("单位.xlsx", "xlsx", units_workbook(replaced={SHEET: sheet.encode()})))
    assert message.startswith("无法读取 Excel 文件：第 ")
    assert message.endswith(" 行之后的内容已损坏")


def test_both_imports_refuse_the_same_archive(settings):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 1000
    upload = Upload("数据.xlsx", "xlsx", units_workbook())
    expected = "Excel 文件“数据.xlsx”解压后有 "
    for result in (import_units(upload), import_people(upload), check_figures(upload, 2025).result):
        assert str(result.errors[0]).startswith(expected)
        assert result.created == 0


# --- rows --------------------------------------------------------------------------------------------------------


HEAD_ROWS = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>名称</t></is></c><c r="B1" t="inlineStr"><is><t>类型</t></is></c>'
    '</row><row r="2"><c r="A2" t="inlineStr"><is><t>白帝镇</t></is></c><c r="B2" t="inlineStr"><is><t>乡镇</t>'
    "</is></c></row>"
)


@pytest.fixture(scope="module")
def million_blank_rows():
    """The XML of a header, one township and a million formatted but empty rows (the file is about 2.6 MB)."""
    return HEAD_ROWS + "".join(f'<row r="{n}" s="1" customFormat="1"/>' for n in range(3, 1_000_003))


@pytest.fixture
def rows_read(monkeypatch):
    """How many rows the reader turned into cells (blank or not) before it stopped: the work done, counted rather
    than timed (timings on a shared machine are noise; bench/ measures them)."""
    from departments.imports import files

    counted = {"rows": 0}
    real_cells = files._cells

    def counting_cells(values):
        counted["rows"] += 1
        return real_cells(values)

    monkeypatch.setattr(files, "_cells", counting_cells)
    return counted


@pytest.fixture
def workbook_never_opened(monkeypatch):
    """openpyxl must not even open the workbook: the archive's own row count refuses it first."""

    def refuse(*args, **kwargs):
        raise AssertionError("the workbook was opened: its rows were not counted first")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


def refused(function):
    try:
        function()
    except FileRejected as rejected:
        return rejected.messages
    raise AssertionError("not refused")


@pytest.mark.parametrize("dimension", ["", '<dimension ref="A1:B1000002"/>'], ids=["no dimension", "dimension"])
def test_a_million_blank_xlsx_rows_are_refused_before_openpyxl_reads_them(
    million_blank_rows, dimension, workbook_never_opened
):
    """Without a <dimension>, openpyxl would parse the whole sheet just to open it: the rows are counted first."""
    sheet = SHEET_START.replace("<sheetData>", dimension + "<sheetData>") + million_blank_rows + SHEET_END
    upload = Upload("单位.xlsx", "xlsx", units_workbook(replaced={SHEET: sheet.encode()}))

    messages = refused(lambda: read_table(upload, UNIT_COLUMNS))

    assert messages == [
        f"Excel 文件“单位.xlsx”有工作表超过 {MAX_ROWS} 行（空行也计算在内）：一次最多导入 {MAX_DATA_ROWS} 行数据，"
        "请删去多余的行，或分成几个文件导入"
    ]


def test_rows_far_down_the_sheet_are_refused_at_the_row_limit(rows_read):
    """Two rows written, the second numbered 1,000,000: openpyxl fills the rows between, which count as blank."""
    far = '<row r="1000000"><c r="A1000000" t="inlineStr"><is><t>永安街道</t></is></c></row>'
    upload = Upload(
        "单位.xlsx", "xlsx", units_workbook(replaced={SHEET: (SHEET_START + HEAD_ROWS + far + SHEET_END).encode()})
    )

    messages = refused(lambda: read_table(upload, UNIT_COLUMNS))

    assert messages == [TOO_MANY_ROWS]
    assert rows_read["rows"] <= MAX_ROWS + 1  # not a million: the reader stops at the first row past the limit


def test_a_million_blank_csv_lines_are_refused_at_the_limit(rows_read):
    data = "名称,类型\r\n白帝镇,乡镇\r\n".encode() + b",\r\n" * 1_000_000
    messages = refused(lambda: read_table(Upload("单位.csv", "csv", data), UNIT_COLUMNS))
    assert messages == [TOO_MANY_ROWS]
    assert rows_read["rows"] == MAX_ROWS + 1  # not a million: the reader stops at the first row past the limit


def test_blank_rows_count_against_the_limit():
    header, township = "名称,类型\r\n", "白帝镇,乡镇\r\n"
    full = (header + township * MAX_DATA_ROWS).encode()
    assert len(read_table(Upload("单位.csv", "csv", full), UNIT_COLUMNS)) == MAX_DATA_ROWS
    blanks = (header + township * (MAX_DATA_ROWS - 1) + "\r\n").encode()  # MAX_ROWS rows, one of them blank
    assert len(read_table(Upload("单位.csv", "csv", blanks), UNIT_COLUMNS)) == MAX_DATA_ROWS - 1
    one_more = full + b"\r\n"
    assert refusal(Upload("单位.csv", "csv", one_more)) == [TOO_MANY_ROWS]


def test_cells_right_of_the_column_limit_are_not_read():
    """A row reaching column XFD is read as its first hundred cells, not padded to 16,384."""
    wide = '<row r="2"><c r="A2" t="inlineStr"><is><t>白帝镇</t></is></c><c r="B2" t="inlineStr"><is><t>乡镇</t>'
    wide += '</is></c><c r="XFD2"><v>1</v></c></row>'
    header = '<row r="1"><c r="A1" t="inlineStr"><is><t>名称</t></is></c><c r="B1" t="inlineStr"><is><t>类型</t>'
    header += "</is></c></row>"
    data = units_workbook(replaced={SHEET: (SHEET_START + header + wide + SHEET_END).encode()})
    assert read_table(Upload("单位.xlsx", "xlsx", data), UNIT_COLUMNS) == [(2, {"name": "白帝镇", "kind": "乡镇"})]
