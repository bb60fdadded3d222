"""The DOCX the report is written into (python-docx): A4, Chinese fonts, real heading styles, plain tables.

Fonts are set on the styles, with the East Asian font (``w:eastAsia``) named explicitly — 宋体 for the
body, 黑体 for the title and headings — and the template's theme fonts removed, or Word would show the
theme's Latin font for the Chinese text. Headings use Word's built-in "Heading 1/2" styles, so Word's
navigation pane and a table of contents find them. A computer without 宋体/黑体 substitutes its own
CJK font (LibreOffice on Linux: Noto Sans/Serif CJK).
"""

import math
from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

BODY_FONT, HEADING_FONT, LATIN_FONT = "宋体", "黑体", "Times New Roman"
CHINESE_NUMERALS = "一二三四五六七八九十"
IMAGE_WIDTH = Cm(16)
TABLE_TEXT = Pt(9)


def new_document(title):
    """An empty A4 portrait document whose styles write Chinese properly."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Cm(2.54)
    section.left_margin = section.right_margin = Cm(2.2)
    _style_fonts(document.styles["Normal"], BODY_FONT, Pt(12))
    document.styles["Normal"].paragraph_format.line_spacing = 1.3
    for name, size in (("Title", Pt(20)), ("Heading 1", Pt(16)), ("Heading 2", Pt(14)), ("Heading 3", Pt(12))):
        style = document.styles[name]
        _style_fonts(style, HEADING_FONT, size)
        style.font.bold = name != "Title"
        style.font.color.rgb = RGBColor(0, 0, 0)
    document.core_properties.title = title
    document.core_properties.language = "zh-CN"
    heading = document.add_heading(title, level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number_footer(section)
    return document


def _style_fonts(style, east_asian, size):
    style.font.name = LATIN_FONT
    style.font.size = size
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:eastAsia"), east_asian)
    language = style.element.get_or_add_rPr().find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        style.element.get_or_add_rPr().append(language)
    language.set(qn("w:eastAsia"), "zh-CN")


def _page_number_footer(section):
    """ "第 N 页" centred in the footer (a PAGE field, which Word and LibreOffice fill in)."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("第 ")
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    paragraph.add_run(" 页")


def numbered_heading(document, index, title):
    """A level-1 heading numbered 一、二、… in the order the sections are written."""
    number = CHINESE_NUMERALS[index] if index < len(CHINESE_NUMERALS) else str(index + 1)
    return document.add_heading(f"{number}、{title}", level=1)


def paragraph(document, text, *, indent=True, size=None, style=None):
    """A body paragraph, its first line indented by two characters as Chinese documents are."""
    block = document.add_paragraph(style=style)
    run = block.add_run(text)
    if size:
        run.font.size = size
    if indent:
        block.paragraph_format.first_line_indent = Pt(24)
    return block


def note(document, text):
    """A small unindented note under a table or a chart."""
    return paragraph(document, text, indent=False, size=Pt(9))


def table(document, headers, rows, *, widths=None, size=TABLE_TEXT):
    """A bordered table whose first row is the header (bold, repeated on every page); cells are strings."""
    grid = document.add_table(rows=1, cols=len(headers))
    grid.style = document.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    header_row = grid.rows[0]
    _repeat_as_header(header_row)
    for cell, text in zip(header_row.cells, headers, strict=True):
        _fill(cell, text, size, bold=True)
        _shade(cell, "E7ECF2")
    for values in rows:
        cells = grid.add_row().cells
        for column, (cell, text) in enumerate(zip(cells, values, strict=True)):
            _fill(cell, text, size, align_left=column == 0)
    if widths:  # on the grid and on every cell: Word reads the cells, LibreOffice the grid
        grid.autofit = False
        for column, width in zip(grid.columns, widths, strict=True):
            column.width = width
        for row in grid.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = width
    return grid


def _fill(cell, text, size, *, bold=False, align_left=False):
    block = cell.paragraphs[0]
    block.paragraph_format.line_spacing = 1.0
    block.alignment = WD_ALIGN_PARAGRAPH.LEFT if align_left else WD_ALIGN_PARAGRAPH.CENTER
    run = block.add_run(str(text))
    run.font.size = size
    run.bold = bold


def _repeat_as_header(row):
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _shade(cell, colour):
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def picture(document, png, caption):
    """A PNG, centred, page-wide, with its caption under it."""
    document.add_picture(BytesIO(png), width=IMAGE_WIDTH)
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    block = document.add_paragraph()
    block.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = block.add_run(caption)
    run.font.size = Pt(10.5)


def to_bytes(document):
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# Numbers as a report writes them.


def decimal(value, places=2):
    """1234.5 → "1,234.50"; a missing value → "—"."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    return f"{value:,.{places}f}"


def whole(value):
    return decimal(value, 0)


def percent(part, total):
    return "—" if not total else f"{part / total:.1%}"


def chinese_date(day):
    """2026年3月5日: how dates read in a Chinese document (never the ISO 2026-03-05)."""
    return f"{day.year}年{day.month}月{day.day}日"
