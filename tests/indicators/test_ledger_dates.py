"""The self-evaluation report's ledger writes dates as a Chinese document does: 2026年3月5日, never 2026-03-05."""

import io
from datetime import date, timedelta

from django.utils import timezone
from docx import Document

from indicators.report.document import chinese_date
from indicators.report.sections import write_report

from .conftest import YEAR
from .test_report import duty_items, rows_of, table_with  # noqa: F401  (duty_items: a fixture)


def test_chinese_date():
    assert chinese_date(date(2026, 3, 5)) == "2026年3月5日"
    assert chinese_date(date(2026, 12, 31)) == "2026年12月31日"


def test_the_ledgers_deadlines_are_chinese_dates(county, duty_items, personas):  # noqa: F811
    from indicators.services.rectification import raise_rectifications

    deadline = timezone.localdate() + timedelta(days=30)
    raise_rectifications(personas["plan_office"], YEAR, deadline)
    rows = rows_of(table_with(Document(io.BytesIO(write_report(YEAR))), "整改期限"))
    assert {row[3] for row in rows[1:]} == {chinese_date(deadline)}
    assert all("-" not in row[3] for row in rows[1:])
