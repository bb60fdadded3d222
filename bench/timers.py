"""viewflow's ``fire_due_timers`` measured beside the sweep (bench/escalation.py): ``--timers`` processes of the
tiny flow in ``timerbench/flows.py``, each with a timer due, fired by viewflow's own dispatcher."""

import time

SETTINGS = "timerbench.settings"  # the test settings plus the bench-only flow's app


def start_processes(count):
    """``count`` processes of the timer flow, each waiting on its timer (due at once). Returns the seconds taken."""
    from django.db import transaction
    from timerbench.flows import TimerFlow

    started = time.perf_counter()
    with transaction.atomic():
        for _ in range(count):
            TimerFlow.start.run()
    return time.perf_counter() - started


def empty_timer_flows():
    from timerbench.flows import TimerFlow
    from viewflow.workflow.fields import get_flow_ref
    from viewflow.workflow.models import Process, Task

    flow_ref = get_flow_ref(TimerFlow)
    Task.objects.filter(process__flow_class=flow_ref).delete()
    Process.objects.filter(flow_class=flow_ref).delete()


def due_timers():
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    return Task.objects.filter(flow_task_type="TIMER", status=STATUS.SCHEDULED).count()


def measure_fire_due_timers(count, measure):
    """(fired, seconds, queries, seconds in SQL) of one ``fire_due_timers()`` over ``count`` due timers."""
    from viewflow.workflow.timers import fire_due_timers

    empty_timer_flows()
    setup = start_processes(count)
    print(
        f"\nviewflow: started {count} processes of timerbench's TimerFlow in {setup:.1f} s; {due_timers()} timers due"
    )
    return measure(fire_due_timers)


def compare(sweep_ms, fired, seconds, queries, sql):
    """Print viewflow's cost per fired timer beside the sweep's per notice, and the ratio."""
    per_timer = 1000 * seconds / max(fired, 1)
    print(
        f"fire_due_timers: {seconds:.2f} s ({sql:.2f} s in SQL), {queries} queries; fired {fired};"
        f" {per_timer:.2f} ms and {queries / max(fired, 1):.1f} queries per fired timer"
    )
    ratio = per_timer / sweep_ms if sweep_ms else float("inf")
    verdict = "meets" if ratio >= 50 else "MISSES"
    print(
        f"  per item: sweep {sweep_ms:.3f} ms per notice (with its deliveries planned) vs fire_due_timers"
        f" {per_timer:.2f} ms per timer (a reminder that writes nothing): the sweep is {ratio:.0f}x faster;"
        f" {verdict} the 50x target"
    )
