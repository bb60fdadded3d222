"""Checking the evidence files liaisons attach to duty reports: by content, never by name or client content type.

Accepted kinds (``EVIDENCE_KINDS``): PDF; PNG, JPEG, GIF, BMP, WebP and TIFF images (TIFF because office
scanners produce it); Word, Excel and PowerPoint in OOXML form (.docx/.xlsx/.pptx); Office 97-2003 and WPS
files, which are all OLE2 compound files (.doc/.xls/.ppt/.wps/.et/.dps); and OFD (a zip holding ``OFD.xml``).
Plain text, archives and anything else are refused.

A file must pass two checks: its extension must be one of ``_EXTENSIONS`` and its sniffed content must be a
kind that extension allows. Images are one family (a .jpg that is really a PNG is harmless and common);
everything else must match: .wps/.et/.dps also accept the OOXML form newer WPS versions save. OLE2 files
cannot be told apart by their header, so their content type comes from the extension.
"""

import math
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.functional import lazy

from departments.uploads import UploadLimit

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MAX_FILES = 10  # per report or contribution
MAX_NAME_LENGTH = 200
HEAD_BYTES = 64

EVIDENCE_KINDS = {
    "pdf": "PDF 文档",
    "png": "PNG 图片",
    "jpeg": "JPEG 图片",
    "gif": "GIF 图片",
    "bmp": "BMP 图片",
    "webp": "WebP 图片",
    "tiff": "TIFF 图片",
    "docx": "Word 文档",
    "xlsx": "Excel 表格",
    "pptx": "PowerPoint 演示文稿",
    "ole2": "Office 97-2003 / WPS 文档",
    "ofd": "OFD 电子文件",
}

_CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "bmp": "image/bmp",
    "webp": "image/webp",
    "tiff": "image/tiff",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "ole2": "application/x-ole-storage",
    "ofd": "application/ofd",
}
_OLE2_CONTENT_TYPES = {
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
}

_IMAGES = frozenset({"png", "jpeg", "gif", "bmp", "webp", "tiff"})
# extension -> (how the message names it, the kinds its content may be)
_EXTENSIONS = {
    "pdf": ("PDF", {"pdf"}),
    **{ext: (ext.upper(), _IMAGES) for ext in ("jpg", "jpeg", "png", "gif", "bmp", "webp", "tif", "tiff")},
    "docx": ("Word", {"docx"}),
    "xlsx": ("Excel", {"xlsx"}),
    "pptx": ("PowerPoint", {"pptx"}),
    "doc": ("Word 97-2003", {"ole2"}),
    "xls": ("Excel 97-2003", {"ole2"}),
    "ppt": ("PowerPoint 97-2003", {"ole2"}),
    "wps": ("WPS 文字", {"ole2", "docx"}),
    "et": ("WPS 表格", {"ole2", "xlsx"}),
    "dps": ("WPS 演示", {"ole2", "pptx"}),
    "ofd": ("OFD", {"ofd"}),
}

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_SIGNATURES = [
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (_OLE2_MAGIC, "ole2"),
]
_EXECUTABLE_MAGICS = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe")
_BMP_HEADER_SIZES = {12, 40, 52, 56, 64, 108, 124}


@dataclass(frozen=True)
class EvidenceInfo:
    name: str
    size: int
    kind: str
    label: str
    content_type: str


def default_max_bytes():
    return getattr(settings, "EVIDENCE_MAX_BYTES", None) or DEFAULT_MAX_BYTES


def _format_size(num_bytes, unit, *, round_up):
    """`num_bytes` in KB or MB with one decimal, rounded so that a size just over a limit never reads as equal."""
    value = num_bytes / (1024 * 1024 if unit == "MB" else 1024) * 10
    value = (math.ceil(value) if round_up else math.floor(value)) / 10
    return f"{value:g} {unit}"


def _allowed_types_text(max_bytes=None):
    max_bytes = max_bytes or default_max_bytes()
    unit = "MB" if max_bytes >= 1024 * 1024 else "KB"
    limit = _format_size(max_bytes, unit, round_up=False)
    return f"支持 PDF、图片（JPG/PNG/GIF/BMP/WebP/TIFF）、Word、Excel、PowerPoint、WPS、OFD，单个文件不超过 {limit}"


# The file input's accept list: image/* first, so a phone offers its camera beside its files.
ACCEPT = ",".join(["image/*", *(f".{extension}" for extension in _EXTENSIONS)])
ALLOWED_EXTENSIONS_TEXT = lazy(_allowed_types_text, str)()  # lazy: follows the EVIDENCE_MAX_BYTES setting


def evidence_upload_limit():
    """What one post of a report or contribution form may carry (``departments.uploads``)."""
    return UploadLimit(per_file=default_max_bytes(), files=MAX_FILES, noun="附件")


def _zip_kind(file_obj):
    """The document kind of a zip, or None; the file is left at position 0."""
    try:
        file_obj.seek(0)
        with zipfile.ZipFile(file_obj) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return None
    finally:
        file_obj.seek(0)
    if "OFD.xml" in names:
        return "ofd"
    if "[Content_Types].xml" in names:
        for prefix, kind in (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx")):
            if any(name.startswith(prefix) for name in names):
                return kind
    return None


def detect_kind(head: bytes, file_obj) -> str | None:
    """The accepted kind (a key of EVIDENCE_KINDS) the content is, judged by magic bytes; None if it is none."""
    for magic, kind in _SIGNATURES:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:2] == b"BM" and int.from_bytes(head[14:18], "little") in _BMP_HEADER_SIZES:
        return "bmp"
    if head.startswith(_ZIP_MAGIC):
        return _zip_kind(file_obj)
    return None


def _describe_refused(head):
    if head.startswith(_EXECUTABLE_MAGICS):
        return "内容是可执行程序，不能上传"
    if head.startswith(_ZIP_MAGIC):
        return "内容是压缩包，压缩包不是受支持的文档"
    return "内容不是受支持的文件类型"


def _base_name(raw_name):
    name = (raw_name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name or name in (".", ".."):
        raise ValidationError(f"文件名“{raw_name}”无效，请重新命名后再上传", code="bad_name")
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(f"文件名“{name[:30]}…”太长了（不能超过 {MAX_NAME_LENGTH} 个字）", code="bad_name")
    if any(ord(char) < 32 for char in name):
        shown = "".join(char if ord(char) >= 32 else "?" for char in name)
        raise ValidationError(f"文件名“{shown}”含有控制字符，请重新命名后再上传", code="bad_name")
    return name


def validate_evidence(uploaded_file, *, max_bytes=None) -> EvidenceInfo:
    """Check one uploaded evidence file; return what it is or raise a ValidationError in Chinese."""
    name = _base_name(uploaded_file.name)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in _EXTENSIONS:
        problem = f"的扩展名“.{extension}”不受支持" if extension else "没有扩展名"
        raise ValidationError(f"文件“{name}”{problem}。{_allowed_types_text(max_bytes)}", code="bad_type")
    ext_label, allowed_kinds = _EXTENSIONS[extension]

    try:
        uploaded_file.seek(0)
        size = uploaded_file.size
        if size is None:
            uploaded_file.seek(0, 2)
            size = uploaded_file.tell()
            uploaded_file.seek(0)
        head = uploaded_file.read(HEAD_BYTES)
        if not size or not head:
            raise ValidationError(f"文件“{name}”是空的", code="empty")
        max_bytes = max_bytes or default_max_bytes()
        if size > max_bytes:
            unit = "MB" if max_bytes >= 1024 * 1024 else "KB"
            raise ValidationError(
                f"文件“{name}”有 {_format_size(size, unit, round_up=True)}，"
                f"超过了 {_format_size(max_bytes, unit, round_up=False)} 的上限",
                code="too_large",
            )
        kind = detect_kind(head, uploaded_file)
    finally:
        uploaded_file.seek(0)

    if kind is None:
        raise ValidationError(f"文件“{name}”的扩展名是 {ext_label}，但{_describe_refused(head)}", code="bad_type")
    if kind not in allowed_kinds:
        raise ValidationError(
            f"文件“{name}”的扩展名是 {ext_label}，但内容是 {EVIDENCE_KINDS[kind]}，请改正扩展名后再上传",
            code="mismatch",
        )
    content_type = _OLE2_CONTENT_TYPES.get(extension) if kind == "ole2" else None
    return EvidenceInfo(name, size, kind, EVIDENCE_KINDS[kind], content_type or _CONTENT_TYPES[kind])


def validate_evidence_files(files, *, max_bytes=None, max_count=MAX_FILES) -> list[EvidenceInfo]:
    """Check several files; one ValidationError lists every bad file at once."""
    files = list(files)
    if len(files) > max_count:
        raise ValidationError(f"一次最多上传 {max_count} 个文件，这次选了 {len(files)} 个", code="too_many")
    infos, errors = [], []
    for uploaded_file in files:
        try:
            infos.append(validate_evidence(uploaded_file, max_bytes=max_bytes))
        except ValidationError as error:
            errors.extend(error.error_list)
    if errors:
        raise ValidationError(errors)
    return infos
