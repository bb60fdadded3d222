"""What every benchmark does first: Django on the benchmark's own PostgreSQL database, migrated, with the plan."""

import os
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def setup_django(script):
    """Django with taskboard.settings_test on ``DATABASE_URL`` (PostgreSQL only), Celery kept in memory."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        sys.exit(
            f"bench/{script} needs PostgreSQL: set DATABASE_URL=postgres://USER@HOST:PORT/DBNAME "
            "(create the database first, e.g. `createdb -h 127.0.0.1 -U postgres taskboard_bench`)."
        )
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taskboard.settings_test")
    os.environ["CELERY_BROKER_URL"] = "memory://localhost/"
    os.environ["CELERY_RESULT_BACKEND"] = "cache+memory://"
    import django

    django.setup()
    from django.db import OperationalError, connection

    try:
        connection.ensure_connection()
    except OperationalError as error:
        sys.exit(f"cannot connect to {connection.settings_dict['NAME']!r}: {error}\nCreate the database first.")
    if connection.vendor != "postgresql":
        sys.exit(f"bench/{script} needs PostgreSQL.")


def refuse_unless_disposable(force):
    """The benchmarks empty their tables: only on a database named for it, unless told otherwise."""
    from django.db import connection

    name = connection.settings_dict["NAME"]
    if "bench" not in name and not force:
        sys.exit(f"refusing to empty {name!r}: its name lacks 'bench' (give --force if it is disposable)")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    print(f"database {name} (PostgreSQL {server}), {os.cpu_count()} CPUs")
    return name


def prepare_schema():
    """Migrate and import the shipped plan if the database lacks them (both are no-ops otherwise); the plan."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        print("migrating the database…")
        call_command("migrate", interactive=False, verbosity=0)
    from workflows.models import Plan

    if not Plan.objects.exists():
        print("importing the shipped plan…")
        call_command("import_plan", verbosity=0)
    return Plan.objects.order_by("pk").first()


def load():
    return " ".join(f"{figure:.2f}" for figure in os.getloadavg())


def measure(function, statements=None):
    """(result, seconds, SQL queries, seconds spent in SQL) of one call. ``statements``: a list that receives
    (seconds, SQL) of every query, to tell which ones the time went to."""
    from django.db import connection

    spent = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent.append(time.perf_counter() - started)
            if statements is not None:
                statements.append((spent[-1], sql))

    with connection.execute_wrapper(timed):
        started = time.perf_counter()
        result = function()
        seconds = time.perf_counter() - started
    return result, seconds, len(spent), sum(spent)


def print_heaviest(statements, top=6):
    """The ``top`` slowest of ``measure``'s statements, one line each."""
    for seconds, sql in sorted(statements, reverse=True)[:top]:
        print(f"    {1000 * seconds:8.1f} ms  {' '.join(sql.split())[:150]}")
