"""An XLSX file is a zip archive: it is checked before openpyxl opens it.

What it would unpack to is read from the archive's directory alone: openpyxl keeps a workbook's shared strings in
memory whole, so a 300 KB file whose strings unpack to 300 MB would take a gigabyte. zipfile never hands out more
than a member's declared size (and fails on a member whose data is more), so the declared sizes bound what opening
the workbook can cost.

Then the rows of each XML part are counted, as it unpacks, up to the row limit: opening a worksheet that has no
``<dimension>`` element makes openpyxl parse the whole of it, so a million blank rows would cost seconds before the
first row is read.
"""

import io
import re
import zipfile

from django.conf import settings

from ..uploads import size_text

MAX_MEMBERS = 1000  # a workbook has a dozen parts; with many sheets and pictures, a few hundred
MAX_RATIO = 100  # unpacked : packed, for a part big enough to matter (spreadsheet XML packs about 10 : 1)
BIG_MEMBER = 1024 * 1024
ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,31}:)?row[\s/>]")  # <row …>, with or without a namespace prefix
LONGEST_TAG = 38
CHUNK = 1024 * 1024


def archive_problem(data, max_rows):
    """What makes this archive unfit to open, in Chinese (to follow the file's name); None when it is fit.

    ``max_rows``: the most rows a worksheet may hold, blank ones included."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError):
        return "的压缩包结构已损坏，不是有效的 .xlsx 文件"
    if len(members) > MAX_MEMBERS:
        return f"内含 {len(members)} 个部件，超过了 {MAX_MEMBERS} 个的上限，不是正常的工作簿"
    limit = settings.IMPORT_MAX_UNCOMPRESSED_BYTES
    unpacked = sum(member.file_size for member in members)
    if unpacked > limit:
        return (
            f"解压后有 {size_text(unpacked)}，超过了 {size_text(limit)} 的上限：请删去多余的工作表、空行和格式，"
            "或分成几个文件导入"
        )
    for member in members:
        if member.file_size > BIG_MEMBER and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            return (
                f"内的部件“{member.filename[:60]}”压缩比异常（{size_text(member.compress_size)} 解压后为 "
                f"{size_text(member.file_size)}），不是正常的工作簿"
            )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in members:
            if member.filename.lower().endswith(".xml") and _has_more_rows(archive, member, max_rows):
                return (
                    f"有工作表超过 {max_rows} 行（空行也计算在内）：一次最多导入 {max_rows - 1} 行数据，"
                    "请删去多余的行，或分成几个文件导入"
                )
    return None


def _has_more_rows(archive, member, max_rows):
    """Whether the XML part holds more than ``max_rows`` row elements; unpacks it no further than that."""
    rows, carry = 0, b""
    with archive.open(member) as stream:
        while chunk := stream.read(CHUNK):
            text = carry + chunk
            scanned = max(len(text) - LONGEST_TAG, 0)  # a tag starting later is counted with the next chunk
            rows += sum(1 for match in ROW_TAG.finditer(text) if match.start() < scanned)
            if rows > max_rows:
                return True
            carry = text[scanned:]
    return rows + len(ROW_TAG.findall(carry)) > max_rows
