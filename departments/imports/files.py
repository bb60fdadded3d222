"""Reading an uploaded CSV or XLSX file into rows keyed by column, with Excel's row numbers.

Pure: no database, no Django forms. ``departments.forms.ImportFileForm`` calls
``inspect_upload`` to accept or reject a file; the importers call ``read_table``.

Bounded: an XLSX archive is checked before openpyxl opens it (``xlsx_archive``: what it unpacks to, and no
worksheet of more than ``MAX_ROWS`` rows); rows are read one at a time, blank rows counted with the others, and a
file is refused at its row ``MAX_ROWS + 1`` without reading further; cells right of ``MAX_COLUMNS`` are not read.
"""

import csv
import io
import zipfile
from contextlib import closing
from dataclasses import dataclass
from pathlib import PurePath

from .xlsx_archive import archive_problem

MAX_DATA_ROWS = 20_000
MAX_ROWS = MAX_DATA_ROWS + 1  # the header and the data rows, blank rows included
MAX_COLUMNS = 100
CSV_ENCODINGS = ("utf-8-sig", "gb18030")  # Chinese Excel saves "CSV (逗号分隔)" as GB18030/GBK


class FileRejected(Exception):
    """The file as a whole cannot be imported. ``messages`` are Chinese, for the user."""

    def __init__(self, *messages):
        self.messages = list(messages)
        super().__init__("；".join(self.messages))


@dataclass(frozen=True)
class Upload:
    """An accepted file: its name, its format (``"csv"`` or ``"xlsx"``) and its bytes."""

    name: str
    format: str
    data: bytes


def inspect_upload(name, data):
    """Accept ``data`` as CSV or XLSX by its extension *and* its content, or raise ``FileRejected``."""
    extension = PurePath(name or "").suffix.lower()
    if extension not in (".csv", ".xlsx"):
        hint = "；.xls 文件请先在 Excel 中“另存为”.xlsx" if extension == ".xls" else ""
        raise FileRejected(f"文件类型不对：只能导入 .csv 或 .xlsx 文件，收到的是“{name}”{hint}")
    if not data:
        raise FileRejected("文件是空的")
    if extension == ".xlsx":
        if not _is_xlsx(data):
            raise FileRejected("文件不是有效的 Excel（.xlsx）文件：内容不是 Excel 工作簿，可能只是改了扩展名")
        return Upload(name, "xlsx", data)
    if _is_xlsx(data):
        raise FileRejected("文件扩展名是 .csv，内容却是 Excel 工作簿：请把扩展名改为 .xlsx 再上传")
    decode_csv(data)  # raises FileRejected when the bytes are not text
    return Upload(name, "csv", data)


def _is_xlsx(data):
    if not data.startswith(b"PK"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "[Content_Types].xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def decode_csv(data):
    """The text of a CSV file: UTF-8 (with or without BOM), else GB18030."""
    if b"\x00" in data:
        raise FileRejected("文件不是 CSV 文本文件：内容含有二进制数据")
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileRejected("无法识别 CSV 文件的编码：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后再上传")


def normalise_header(text):
    """Headers compare without spaces or BOM, with full-width brackets, case-insensitively."""
    text = str(text or "").replace("\ufeff", "")
    text = "".join(text.split()).replace("(", "（").replace(")", "）")
    return text.casefold()


def cell_text(value):
    """A cell as the user typed it: numbers without a spurious ``.0``, surrounding spaces removed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _raw_rows(upload):
    """(Excel row number, [cell text]) for every row, blank ones included ([] or empty texts); a file of more
    than ``MAX_ROWS`` rows is refused at the first row past it, without reading further."""
    with closing(_csv_rows(upload.data) if upload.format == "csv" else _xlsx_rows(upload)) as rows:
        for number, cells in rows:
            if number > MAX_ROWS:
                raise FileRejected(
                    f"行数太多：第 {number} 行超出了上限。一次最多导入 {MAX_DATA_ROWS} 行数据，连同表头和空行"
                    f"不能超过 {MAX_ROWS} 行；请删去末尾的空行，或分成几个文件导入"
                )
            yield number, cells


def _cells(values):
    values = values[:MAX_COLUMNS]
    if values.count(None) == len(values):
        return []  # a blank XLSX row, cheaply: a file may hold a great many
    return [cell_text(value) for value in values]


def _csv_rows(data):
    reader = csv.reader(io.StringIO(decode_csv(data), newline=""))
    try:
        for number, row in enumerate(reader, start=1):
            yield number, _cells(row)
    except csv.Error as error:
        raise FileRejected(f"CSV 文件格式有误（第 {reader.line_num} 行）：{error}") from error


def _xlsx_rows(upload):
    problem = archive_problem(upload.data, MAX_ROWS)
    if problem:
        raise FileRejected(f"Excel 文件“{upload.name}”{problem}")
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(upload.data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds of error on a damaged workbook
        raise FileRejected("无法读取 Excel 文件：文件已损坏或不是 .xlsx 格式") from error
    number = 0  # the last row read, for the error below
    try:
        if not workbook.worksheets:
            return
        for number, values in enumerate(workbook.worksheets[0].iter_rows(max_col=MAX_COLUMNS, values_only=True), 1):
            yield number, _cells(values)
    except Exception as error:  # a damaged sheet shows only as it is read
        where = f"第 {number} 行之后的内容" if number else "工作表的内容"
        raise FileRejected(f"无法读取 Excel 文件：{where}已损坏") from error
    finally:
        workbook.close()


def read_table(upload, columns):
    """The data rows of ``upload`` as (row number, {column key: text}), blank rows skipped.

    The header is the first non-blank row. Unknown columns are ignored; a missing
    required column, a column given twice, or a file without data raise ``FileRejected``.
    """
    rows = [(number, cells) for number, cells in _raw_rows(upload) if any(cells)]  # at most MAX_DATA_ROWS + 1
    if not rows:
        raise FileRejected("文件是空的：没有表头，也没有数据")
    (_header_number, header), data_rows = rows[0], rows[1:]
    positions = _map_headers(header, columns)
    if not data_rows:
        raise FileRejected("文件里只有表头，没有数据行")
    table = []
    for number, cells in data_rows:
        values = {key: (cells[index] if index < len(cells) else "") for key, index in positions.items()}
        table.append((number, values))
    return table


def _map_headers(header, columns):
    """{column key: index in the row}, or ``FileRejected`` naming missing and repeated columns."""
    wanted = {}
    for column in columns:
        for name in (column.header, *column.aliases):
            wanted[normalise_header(name)] = column
    positions, problems = {}, []
    for index, text in enumerate(header):
        column = wanted.get(normalise_header(text))
        if column is None:
            continue
        if column.key in positions:
            first, again = positions[column.key] + 1, index + 1
            problems.append(f"“{column.header}”列出现了不止一次（第 {first} 列和第 {again} 列）")
            continue
        positions[column.key] = index
    missing = [column.header for column in columns if column.required and column.key not in positions]
    if missing:
        problems.insert(0, "缺少必需的列：" + "、".join(missing))
    if problems:
        raise FileRejected(*problems)
    return positions
