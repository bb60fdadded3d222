"""A timeline line written by workflows asks for its notice soon after its transaction commits.

workflows may not import notices, so notices listens: each new ``ItemEvent`` of a kind that is told
enqueues ``notices.notify_events`` once per transaction, after commit. If the broker is down the request
goes on and beat's minute-by-minute ``notify-events`` entry tells of it. Lines written with ``bulk_create``
send no ``post_save``: beat (or the next sweep) tells of those.
"""

import logging

from django.db import transaction

log = logging.getLogger(__name__)


def enqueue_notify():
    from .tasks import notify_task

    try:
        notify_task.apply_async(retry=False)
    except Exception as error:  # broker unreachable: the web request must not fail for it
        log.warning("notices: broker unavailable, the timeline's notices wait for the next beat: %s", error)


def item_event_saved(sender, instance, created, raw=False, using="default", **kwargs):
    from .services.events import TOLD

    if not created or raw or instance.kind not in TOLD:
        return
    connection = transaction.get_connection(using)
    if connection.in_atomic_block:
        here = set(connection.savepoint_ids)
        if any(entry[1] is enqueue_notify and set(entry[0]) == here for entry in connection.run_on_commit):
            return  # already asked for at this level of this transaction (a rolled-back savepoint drops its own)
    transaction.on_commit(enqueue_notify, using=using)
