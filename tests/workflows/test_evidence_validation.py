"""Evidence files are judged by content: supported kinds accepted, renamed files refused, Chinese messages."""

import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from workflows.evidence import (
    ALLOWED_EXTENSIONS_TEXT,
    EVIDENCE_KINDS,
    EvidenceInfo,
    detect_kind,
    validate_evidence,
    validate_evidence_files,
)

MB = 1024 * 1024
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"
BMP = b"BM" + (58).to_bytes(4, "little") + b"\x00" * 4 + (54).to_bytes(4, "little") + (40).to_bytes(4, "little")
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8 \x0e\x00\x00\x00" + b"\x00" * 14
TIFF = b"II*\x00\x08\x00\x00\x00" + b"\x00" * 8
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"This program cannot be run in DOS mode."


def zip_bytes(*names):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


def xlsx_bytes():
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "督导记录"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


DOCX = zip_bytes("[Content_Types].xml", "_rels/.rels", "word/document.xml")
PPTX = zip_bytes("[Content_Types].xml", "_rels/.rels", "ppt/presentation.xml")
OFD = zip_bytes("OFD.xml", "Doc_0/Document.xml")
PLAIN_ZIP = zip_bytes("photos/1.jpg", "readme.txt")


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def refusal(uploaded_file, **kwargs):
    with pytest.raises(ValidationError) as caught:
        validate_evidence(uploaded_file, **kwargs)
    (error,) = caught.value.error_list
    return error.code, error.message


@pytest.mark.parametrize(
    ("name", "content", "kind", "content_type"),
    [
        ("通知.pdf", PDF, "pdf", "application/pdf"),
        ("现场.png", PNG, "png", "image/png"),
        ("现场.jpg", JPEG, "jpeg", "image/jpeg"),
        ("现场.JPEG", JPEG, "jpeg", "image/jpeg"),
        ("动图.gif", GIF, "gif", "image/gif"),
        ("截图.bmp", BMP, "bmp", "image/bmp"),
        ("照片.webp", WEBP, "webp", "image/webp"),
        ("扫描.tif", TIFF, "tiff", "image/tiff"),
        ("照片.jpg", PNG, "png", "image/png"),  # images are one family
        ("总结.docx", DOCX, "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("台账.xlsx", xlsx_bytes(), "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("汇报.pptx", PPTX, "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
        ("旧稿.doc", OLE2, "ole2", "application/msword"),
        ("旧表.xls", OLE2, "ole2", "application/vnd.ms-excel"),
        ("旧演示.ppt", OLE2, "ole2", "application/vnd.ms-powerpoint"),
        ("文稿.wps", OLE2, "ole2", "application/x-ole-storage"),
        ("新文稿.wps", DOCX, "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("新表.et", xlsx_bytes(), "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("公文.ofd", OFD, "ofd", "application/ofd"),
    ],
)
def test_accepts_each_supported_kind(name, content, kind, content_type):
    info = validate_evidence(upload(name, content))
    assert info == EvidenceInfo(name, len(content), kind, EVIDENCE_KINDS[kind], content_type)


def test_client_content_type_is_ignored():
    info = validate_evidence(upload("现场.png", PNG, content_type="application/pdf"))
    assert (info.kind, info.content_type) == ("png", "image/png")
    code, _ = refusal(upload("报告.pdf", EXE, content_type="application/pdf"))
    assert code == "bad_type"


def test_executable_renamed_pdf_is_refused():
    code, message = refusal(upload("报告.pdf", EXE))
    assert code == "bad_type"
    assert message == "文件“报告.pdf”的扩展名是 PDF，但内容是可执行程序，不能上传"


def test_png_renamed_pdf_names_both_kinds():
    code, message = refusal(upload("报告.pdf", PNG))
    assert code == "mismatch"
    assert "文件“报告.pdf”的扩展名是 PDF，但内容是 PNG 图片" in message


def test_docx_renamed_doc_is_a_mismatch():
    code, message = refusal(upload("总结.doc", DOCX))
    assert code == "mismatch"
    assert "Word 97-2003" in message
    assert "Word 文档" in message


@pytest.mark.parametrize("content", [PLAIN_ZIP, zip_bytes("[Content_Types].xml", "other/part.xml")])
def test_zip_that_is_not_a_document_is_refused(content):
    code, message = refusal(upload("总结.docx", content))
    assert code == "bad_type"
    assert "文件“总结.docx”" in message
    assert "压缩包不是受支持的文档" in message


@pytest.mark.parametrize(
    ("name", "content"),
    [("说明.doc", "这是一段纯文本，不是文档。".encode()), ("图.bmp", b"BMW is a car, not a bitmap header")],
)
def test_unrecognised_content_is_refused(name, content):
    code, message = refusal(upload(name, content))
    assert code == "bad_type"
    assert message.startswith(f"文件“{name}”")
    assert message.endswith("内容不是受支持的文件类型")


def test_empty_file_is_refused():
    assert refusal(upload("空白.pdf", b"")) == ("empty", "文件“空白.pdf”是空的")


def test_oversize_file_is_refused_and_limit_is_inclusive():
    assert validate_evidence(upload("刚好.pdf", PDF.ljust(1024, b" ")), max_bytes=1024).size == 1024
    code, message = refusal(upload("大.pdf", PDF.ljust(1025, b" ")), max_bytes=1024)
    assert (code, message) == ("too_large", "文件“大.pdf”有 1.1 KB，超过了 1 KB 的上限")


def test_size_limit_in_megabytes_defaults_to_20_and_follows_the_setting(settings):
    big = upload("大.pdf", PDF)
    big.size = int(25.3 * MB)
    assert refusal(big) == ("too_large", "文件“大.pdf”有 25.3 MB，超过了 20 MB 的上限")
    assert "单个文件不超过 20 MB" in str(ALLOWED_EXTENSIONS_TEXT)
    settings.EVIDENCE_MAX_BYTES = 30 * MB
    assert validate_evidence(big).size == int(25.3 * MB)
    assert "单个文件不超过 30 MB" in str(ALLOWED_EXTENSIONS_TEXT)


@pytest.mark.parametrize(
    ("name", "shown"),
    [("setup.exe", "的扩展名“.exe”不受支持"), ("资料.zip", "的扩展名“.zip”不受支持"), ("README", "没有扩展名")],
)
def test_extension_outside_the_allowed_set_is_refused_even_with_good_content(name, shown):
    code, message = refusal(upload(name, PDF))
    assert code == "bad_type"
    assert f"文件“{name}”{shown}。支持 PDF、图片" in message


def test_directories_in_the_name_are_stripped():
    assert validate_evidence(upload("C:\\Users\\李老师\\桌面\\报告.pdf", PDF)).name == "报告.pdf"
    _, message = refusal(upload("D:\\材料\\报告.pdf", PNG))
    assert message.startswith("文件“报告.pdf”")


@pytest.mark.parametrize("name", ["C:\\材料\\", "a" * 197 + ".pdf", "报\x00告.pdf"])
def test_bad_names_are_refused(name):
    code, _ = refusal(upload(name, PDF))
    assert code == "bad_name"


def test_name_of_exactly_200_characters_is_accepted():
    name = "a" * 196 + ".pdf"
    assert validate_evidence(upload(name, PDF)).name == name


@pytest.mark.parametrize("content", [DOCX, PNG, EXE, PLAIN_ZIP])
def test_file_position_is_left_at_zero(content):
    uploaded = upload("材料.docx", content)
    uploaded.read(5)  # a caller that already peeked
    try:
        validate_evidence(uploaded)
    except ValidationError:
        pass
    assert uploaded.tell() == 0
    assert uploaded.read() == content


def test_detect_kind_rewinds_after_opening_a_zip():
    buffer = io.BytesIO(OFD)
    assert detect_kind(OFD[:64], buffer) == "ofd"
    assert buffer.tell() == 0
    assert detect_kind(EXE[:64], io.BytesIO(EXE)) is None


def test_validate_evidence_files_reports_every_bad_file_at_once():
    files = [upload("好.pdf", PDF), upload("坏.pdf", PNG), upload("空.docx", b""), upload("病毒.exe", EXE)]
    with pytest.raises(ValidationError) as caught:
        validate_evidence_files(files)
    errors = caught.value.error_list
    assert [error.code for error in errors] == ["mismatch", "empty", "bad_type"]
    assert ["坏.pdf" in errors[0].message, "空.docx" in errors[1].message, "病毒.exe" in errors[2].message] == [
        True
    ] * 3
    infos = validate_evidence_files([upload("好.pdf", PDF), upload("图.png", PNG)])
    assert [info.kind for info in infos] == ["pdf", "png"]


def test_validate_evidence_files_refuses_too_many():
    with pytest.raises(ValidationError) as caught:
        validate_evidence_files([upload(f"{n}.pdf", PDF) for n in range(4)], max_count=3)
    assert caught.value.code == "too_many"
    assert "最多上传 3 个文件" in caught.value.message
    assert len(validate_evidence_files([upload(f"{n}.pdf", PDF) for n in range(3)], max_count=3)) == 3
