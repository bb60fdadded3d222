"""The 问题台账 as a workbook: one sheet, Chinese headers, dates as dates, the header frozen (outputs.xlsx)."""

from outputs.xlsx import add_sheet, new_workbook, workbook_response

LEDGER_COLUMNS = [
    ("年度", "year"),
    ("学校", "school"),
    ("责任单位", "owner"),
    ("问题及差距", "what"),
    ("整改期限", "deadline"),
    ("状态", "stage_label"),
    ("佐证材料（个）", "evidence_count"),
    ("办结日期", "closed_on"),
    ("任务编号", "item_id"),
]
LEDGER_HEADERS = [header for header, _field in LEDGER_COLUMNS]


def ledger_xlsx_response(rows, year=None):
    """``rows``: LedgerRow values from ``reads.ledger.ledger_rows``."""
    workbook = new_workbook()
    values = ([getattr(row, name) for _header, name in LEDGER_COLUMNS] for row in rows)
    add_sheet(workbook, "问题台账", LEDGER_HEADERS, values)
    stem = f"{year}年度整改问题台账" if year else "整改问题台账"
    return workbook_response(workbook, f"{stem}.xlsx", fallback=f"rectification-ledger-{year or 'all'}.xlsx")
