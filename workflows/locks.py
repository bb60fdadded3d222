"""The flow lock: PostgreSQL row lock on the item, safe inside an outer transaction.

viewflow 2.4's ``select_for_update_lock`` catches the NOWAIT failure *inside* its
``atomic()`` block, so on PostgreSQL a failed attempt leaves the surrounding
transaction aborted ("current transaction is aborted") instead of retrying.
This lock makes each attempt its own savepoint, so a failed attempt rolls back
only itself; the lock, once taken, is held by the enclosing transaction until
it ends. SQLite ignores row locks (the quick start has one writer at a time).
We plug it in through ``Flow.lock_impl`` rather than patching viewflow.
"""

import random
import time
from contextlib import contextmanager

from django.db import DatabaseError, transaction
from viewflow.workflow.exceptions import FlowLockFailed


class RowLock:
    def __init__(self, attempts=6, first_wait=0.1):
        self.attempts = attempts
        self.first_wait = first_wait

    @contextmanager
    def __call__(self, flow_class, process_pk):
        with transaction.atomic():
            self._acquire(flow_class, process_pk)
            yield

    def _acquire(self, flow_class, process_pk):
        rows = flow_class.process_class._default_manager.filter(pk=process_pk)
        for attempt in range(self.attempts):
            try:
                with transaction.atomic():  # a savepoint: a refused NOWAIT rolls back only this
                    rows.select_for_update(nowait=True).exists()
                return
            except DatabaseError:
                if attempt == self.attempts - 1:
                    raise FlowLockFailed(f"Lock failed for {flow_class.__name__} #{process_pk}") from None
                time.sleep(self.first_wait * 2**attempt * (1 + random.random()))  # noqa: S311  (jitter, not a secret)


row_lock = RowLock()
