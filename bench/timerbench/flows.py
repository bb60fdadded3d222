"""Start → a timer due at once → a reminder that does nothing → end: viewflow's own cost per fired timer.

The reminder writes nothing, so the figure is a floor for viewflow (a real one would write a notice and its
deliveries, as each item of the sweep does). The flow takes the project's row lock, as ``DutyFlow`` does: without a
real lock two dispatchers could fire the same timer (LIBRARY-NOTES §2)."""

from datetime import timedelta

from viewflow import this
from viewflow.workflow import flow

from workflows.locks import row_lock


class TimerFlow(flow.Flow):
    lock_impl = row_lock

    start = flow.StartHandle().Next(this.wait)
    wait = flow.Timer(timedelta(0)).Next(this.remind)
    remind = flow.Function(this.send_reminder).Next(this.end)
    end = flow.End()

    def send_reminder(self, activation):
        pass
