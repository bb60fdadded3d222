"""XLSX: one sheet read back with openpyxl keeps numbers, dates and text as they were written."""

from datetime import UTC, date, datetime
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest
from openpyxl import Workbook

from outputs.xlsx import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    MAX_WIDTH,
    MIN_WIDTH,
    PERCENT_FORMAT,
    XLSX_CONTENT_TYPE,
    display_width,
    workbook_response,
    write_sheet,
)

HEADERS = ["单位", "得分", "按时完成率", "任务数", "截止日期", "提交时间", "备注"]
ROWS = [
    ["县教委", Decimal("92.50"), 0.875, 12, date(2026, 11, 29), datetime(2026, 11, 28, 16, 30, tzinfo=UTC), "=1+1"],
    ["县财政局", 88.25, float("nan"), 0, None, datetime(2026, 11, 29, 9, 5), "响铃\x07已删"],  # noqa: DTZ001  (a naive time is written as given)
]


def read_back(workbook):
    buffer = BytesIO()
    workbook.save(buffer)
    return openpyxl.load_workbook(BytesIO(buffer.getvalue())).active


@pytest.fixture
def sheet():
    workbook = Workbook()
    write_sheet(workbook.active, HEADERS, iter(ROWS), number_formats={"得分": "0.00", "按时完成率": PERCENT_FORMAT})
    return read_back(workbook)


def cell(sheet, row, header):
    return sheet.cell(row=row, column=HEADERS.index(header) + 1)


def test_the_header_row_is_bold_frozen_and_filtered(sheet):
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:G3"
    assert sheet.max_row == 3


def test_numbers_stay_numbers_with_their_column_formats(sheet):
    score, rate, count = cell(sheet, 2, "得分"), cell(sheet, 2, "按时完成率"), cell(sheet, 2, "任务数")
    assert (score.data_type, score.value, score.number_format) == ("n", 92.5, "0.00")
    assert (rate.data_type, rate.value, rate.number_format) == ("n", 0.875, "0.0%")
    assert (count.data_type, count.value) == ("n", 12)
    assert cell(sheet, 3, "得分").value == 88.25
    assert cell(sheet, 3, "按时完成率").value is None  # NaN cannot be stored: the cell is empty


def test_dates_are_dates_and_an_aware_time_is_shanghai_time(sheet):
    deadline, submitted = cell(sheet, 2, "截止日期"), cell(sheet, 2, "提交时间")
    assert deadline.is_date
    assert deadline.value.date() == date(2026, 11, 29)
    assert deadline.number_format == DATE_FORMAT
    assert submitted.is_date
    assert submitted.number_format == DATETIME_FORMAT
    # Excel's cells hold no time zone: openpyxl reads them back naive.
    assert submitted.value == datetime(2026, 11, 29, 0, 30)  # noqa: DTZ001  (16:30 UTC: half past midnight in Shanghai)
    assert cell(sheet, 3, "提交时间").value == datetime(2026, 11, 29, 9, 5)  # noqa: DTZ001  (naive: written as given)
    assert cell(sheet, 3, "截止日期").value is None


def test_text_stays_text_never_a_formula_and_illegal_characters_are_dropped(sheet):
    formula_like = cell(sheet, 2, "备注")
    assert formula_like.data_type == "s"
    assert formula_like.value == "=1+1"
    assert cell(sheet, 3, "备注").value == "响铃已删"


def test_other_values_are_written_as_their_text():
    workbook = Workbook()
    write_sheet(workbook.active, ["周期", "错误码"], [[range(2), "#N/A"]])
    sheet = read_back(workbook)
    assert [(c.data_type, c.value) for c in sheet[2]] == [("s", "range(0, 2)"), ("s", "#N/A")]


def test_columns_are_as_wide_as_their_content_within_limits():
    workbook = Workbook()
    write_sheet(workbook.active, ["号", "单位", "说明"], [[1, "县人力资源和社会保障局", "很长的说明" * 40]])
    widths = [read_back(workbook).column_dimensions[letter].width for letter in "ABC"]
    assert widths == [MIN_WIDTH, 2 * 11 + 2, MAX_WIDTH]


def test_display_width_counts_chinese_twice():
    assert display_width("任务ab") == 6
    assert display_width(None) == 0
    assert display_width(0.1 + 0.2) == 3
    assert display_width(date(2026, 1, 1)) < display_width(datetime(2026, 1, 1, tzinfo=UTC))


def test_a_number_format_for_a_column_that_does_not_exist_is_refused():
    with pytest.raises(ValueError, match="得份"):
        write_sheet(Workbook().active, HEADERS, [], number_formats={"得份": "0.00"})


def test_the_response_downloads_the_workbook_under_its_chinese_name():
    workbook = Workbook()
    write_sheet(workbook.active, ["单位"], [["县教委"]])
    response = workbook_response(workbook, "考核结果-2026.xlsx")
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == (
        "attachment; filename=\"2026.xlsx\"; filename*=UTF-8''%E8%80%83%E6%A0%B8%E7%BB%93%E6%9E%9C-2026.xlsx"
    )
    assert openpyxl.load_workbook(BytesIO(response.content)).active["A2"].value == "县教委"


def test_a_write_only_workbook_holds_the_same_cells():
    """``new_workbook``/``add_sheet`` (openpyxl's write-only mode, for large exports) write what the normal mode
    does: values, kinds, number formats, widths, the frozen and filtered header."""
    from outputs.xlsx import add_sheet, new_workbook

    formats = {"得分": "0.00", "按时完成率": PERCENT_FORMAT}
    normal = Workbook()
    write_sheet(normal.active, HEADERS, iter(ROWS), number_formats=formats)
    streamed = new_workbook()
    add_sheet(streamed, "排名", HEADERS, iter(ROWS), number_formats=formats)
    expected, written = read_back(normal), read_back(streamed)
    assert written.title == "排名"

    def cells(sheet):
        return [[(c.value, c.data_type, c.number_format, c.font.bold) for c in row] for row in sheet.iter_rows()]

    assert cells(written) == cells(expected)
    assert written.freeze_panes == expected.freeze_panes == "A2"
    assert written.auto_filter.ref == expected.auto_filter.ref == "A1:G3"
    letters = "ABCDEFG"
    assert [written.column_dimensions[x].width for x in letters] == [
        expected.column_dimensions[x].width for x in letters
    ]
