"""CSV: UTF-8 with a BOM so Excel shows the Chinese, and no cell that a spreadsheet would run as a formula."""

import csv
from datetime import UTC, date, datetime
from decimal import Decimal
from io import BytesIO, StringIO

import pandas

from outputs.csv import csv_bytes, csv_response, csv_text

HEADERS = ["单位", "得分", "截止日期", "提交时间"]
ROWS = [
    ["县教委", Decimal("92.5"), date(2026, 11, 29), datetime(2026, 11, 28, 16, 30, tzinfo=UTC)],
    ["县财政局", -3, None, None],
]


def test_the_file_starts_with_the_bom_and_pandas_reads_the_chinese_back():
    content = csv_bytes(HEADERS, ROWS)
    assert content.startswith(b"\xef\xbb\xbf")
    frame = pandas.read_csv(BytesIO(content), encoding="utf-8-sig")
    assert list(frame.columns) == HEADERS
    assert frame["单位"].tolist() == ["县教委", "县财政局"]
    assert frame["得分"].tolist() == [92.5, -3]
    assert frame.loc[0, "截止日期"] == "2026-11-29"
    assert frame.loc[0, "提交时间"] == "2026-11-29 00:30"  # Shanghai time


def test_text_a_spreadsheet_would_run_as_a_formula_is_prefixed_with_a_quote():
    for text in ["=1+1", "+86 123", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]:
        assert csv_text(text) == f"'{text}"
    assert csv_text("县教委") == "县教委"
    assert csv_text("a=b") == "a=b"
    assert csv_text(-3) == "-3"  # numbers are numbers, not text to defuse


def test_injection_is_defused_in_the_file_too():
    content = csv_bytes(["备注"], [['=HYPERLINK("http://example.com","点我")']]).decode("utf-8-sig")
    assert list(csv.reader(StringIO(content)))[1] == ['\'=HYPERLINK("http://example.com","点我")']


def test_the_response_downloads_the_file_under_its_chinese_name():
    response = csv_response("任务清单.csv", HEADERS, ROWS, fallback="tasks.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"tasks.csv\"; filename*=UTF-8''%E4%BB%BB%E5%8A%A1%E6%B8%85%E5%8D%95.csv"
    )
    assert response.content == csv_bytes(HEADERS, ROWS)
