"""Benchmark of the board's XLSX export on PostgreSQL: the old way and the new, side by side, at several sizes.

    createdb -h 127.0.0.1 -U postgres taskboard_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/taskboard_bench .venv/bin/python bench/exports.py
    … [--rows 6700 20000] [--repeat 3] [--units 30] [--force]

For each size the script EMPTIES the items (it refuses a database whose name lacks "bench" unless given
--force) and fills that many with the escalation bench's COPY helpers (bench/escalation.py), a third of them with
one or two cooperating units and half with an assignee; then, as a government-office supervisor (who sees every
item) over every period, it times:

- ``before``: the export as it was until issue 15: ``for_list()`` model instances (select_related, the
  cooperating units prefetched), a row of lambdas per item, openpyxl's normal mode written cell by cell (the old
  ``write_sheet``, kept below for the comparison);
- ``after``: the request's path now: the visible ids (one query), ``board.exports.items_workbook`` (values_list,
  one query for the cooperating units, openpyxl's write-only mode) and the file saved to memory;
- ``job``: the background job a worker runs above TASKBOARD_EXPORT_SYNC_ROWS (``run_export``: the same
  workbook, saved to MEDIA_ROOT, with its progress).

Each figure is the median of ``--repeat`` runs after one warm-up, printed with the load average of the machine:
``s`` the wall time, ``cpu_s`` this process's CPU time (without PostgreSQL's, and without the waits for a core).
"""

import argparse
import os
import statistics
import sys
import time
from io import BytesIO
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import prepare_schema, refuse_unless_disposable, setup_django


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[6_700, 20_000], help="sizes (default 6700 20000)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per figure, after a warm-up (default 3)")
    parser.add_argument("--units", type=int, default=30, help="units owning the items (default 30)")
    parser.add_argument("--force", action="store_true", help="run on a database whose name lacks 'bench'")
    return parser.parse_args(argv)


def fill(size, units, periods, today, users):
    """``size`` items (escalation's COPY), cooperating units on a third, an assignee on half."""
    import escalation
    from django.db import connection, transaction
    from viewflow.workflow.fields import get_flow_ref

    from workflows.flows import DutyFlow
    from workflows.models import DutyItem

    args = SimpleNamespace(items=size, due=min(500, size), overdue=0, seed=100)
    with transaction.atomic():
        escalation.empty_outbox_and_items()
        escalation.fill_items(escalation.item_rows(args, units, periods, today), get_flow_ref(DutyFlow))
        ids = list(DutyItem.objects.order_by("pk").values_list("pk", flat=True))
        through = DutyItem.cooperating_units.through._meta.db_table
        with connection.cursor() as cursor:
            with cursor.copy(f"COPY {through} (dutyitem_id, unit_id) FROM STDIN") as copy:
                for n, pk in enumerate(ids[::3]):
                    for k in range(1 + n % 2):
                        copy.write_row((pk, units[(n + k + 1) % len(units)].pk))
            cursor.execute(
                "UPDATE workflows_dutyitem SET assignee_id = (%s::bigint[])[1 + process_ptr_id %% %s]"
                " WHERE process_ptr_id %% 2 = 0",
                [[user.pk for user in users], len(users)],
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --- the export as it was (for the "before" figures) --------------------------------------------------------------


def legacy_workbook(items, today, calendar):
    """The board's export before issue 15: model instances and openpyxl's normal mode, cell by cell."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from departments.names import display_name
    from outputs.xlsx import HEADER_FILL, MAX_WIDTH, MIN_WIDTH, display_width, excel_value
    from workflows.countdown import countdown
    from workflows.querysets import LIGHT_LABELS

    columns = [
        ("编号", lambda item: item.pk),
        ("信号灯", lambda item: LIGHT_LABELS[item.light]),
        ("任务", lambda item: item.title),
        ("职责条款", lambda item: item.template.position_label if item.template else ""),
        ("承办单位", lambda item: str(item.unit)),
        ("配合单位", lambda item: "、".join(str(unit) for unit in item.cooperating_units.all())),
        ("周期", lambda item: str(item.period) if item.period else ""),
        ("截止日期", lambda item: item.deadline),
        ("倒计时", lambda item: item.countdown_value.label if item.countdown_value else ""),
        ("状态", lambda item: str(item.get_stage_display())),
        ("退回次数", lambda item: item.reworks),
        ("经办人", lambda item: display_name(item.assignee, empty="")),
        ("提交时间", lambda item: item.submitted_at),
    ]
    workbook = Workbook()
    sheet = workbook.active
    widths = {}

    def write(row_number, column, value):
        value = excel_value(value)
        cell = sheet.cell(row=row_number, column=column)
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"
        widths[column] = max(widths.get(column, 0), display_width(value))

    for column, (header, _value_of) in enumerate(columns, start=1):
        write(1, column, header)
    for row_number, item in enumerate(items, start=2):
        item.countdown_value = countdown(item, today=today, calendar=calendar)
        for column, (_header, value_of) in enumerate(columns, start=1):
            write(row_number, column, value_of(item))
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(vertical="center")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    return workbook


# --- measuring ----------------------------------------------------------------------------------------------------


def timed(function, repeat):
    """(median wall seconds, median CPU seconds of this process, median queries, the last result) of ``repeat``
    runs after a warm-up. The CPU time leaves out PostgreSQL's (another process) and the time spent waiting for a
    core: on a loaded machine it is the steadier figure."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    function()
    seconds, cpu, queries = [], [], []
    result = None
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            result = function()
            seconds.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        queries.append(len(captured.captured_queries))
    return statistics.median(seconds), statistics.median(cpu), statistics.median(queries), result


def main(argv=None):
    args = parse_args(argv)
    setup_django("exports.py")
    import escalation
    from django.contrib.auth import get_user_model
    from django.test import RequestFactory
    from django.utils import timezone

    from board import exports, services
    from board.models import BoardExport
    from board.reads import board_query
    from workdays.calendar import WorkCalendar

    refuse_unless_disposable(args.force)
    plan = prepare_schema()
    today = timezone.localdate()
    units = escalation.make_people(args.units)
    periods = escalation.make_periods(plan, 5, today)
    users = list(get_user_model().objects.filter(username__startswith="bench-liaison-"))
    office = get_user_model().objects.get(username="bench-office-0")
    request = RequestFactory().get("/board/export/", {"period": ""})
    request.user = office

    for size in args.rows:
        fill(size, units, periods, today, users)
        board = board_query(request, request.GET, today)
        if not board.filterset.is_valid():
            sys.exit(f"the board's filters refused: {board.filterset.errors}")

        def before(board=board):
            buffer = BytesIO()
            legacy_workbook(board.items.for_list(), today, WorkCalendar.load()).save(buffer)
            return buffer.getbuffer().nbytes

        def after(board=board):
            buffer = BytesIO()
            exports.items_workbook(services.visible_ids(board), today=today).save(buffer)
            return buffer.getbuffer().nbytes

        def job(board=board):
            export, _created = services.request_export(office, services.visible_ids(board), today=today)
            if services.run_export(export.pk) != BoardExport.Status.DONE:
                sys.exit(f"the export job failed: {BoardExport.objects.get(pk=export.pk).error}")
            export.refresh_from_db()
            return export.file.size

        rows = len(services.visible_ids(board))
        for label, function in (("before", before), ("after", after), ("job", job)):
            seconds, cpu, queries, size_bytes = timed(function, args.repeat)
            load = " ".join(f"{value:.2f}" for value in os.getloadavg())
            print(
                f"EXPORT rows={rows} {label:<6} s={seconds:.2f} cpu_s={cpu:.2f} queries={queries}"
                f" bytes={size_bytes:,} load=[{load}]",
                flush=True,
            )
        for export in BoardExport.objects.all():
            export.file.delete(save=False)
        BoardExport.objects.all().delete()


if __name__ == "__main__":
    main()
