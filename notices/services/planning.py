"""Planning deliveries: one per (notice, person, channel), held for the daily digest where the person wants it.

Shared by every writer of notices (the sweep, the timeline's notices, urgings, circulars); each calls
``plan_deliveries()`` in its own transaction and ``schedule_dispatch()`` to nudge a worker after commit.
"""

import logging

from django.db import transaction

from ..models import Delivery, Notice, NoticeSource
from ..preferences import held, preference_table
from ..recipients import EVENT_AUDIENCES, Audience
from .rows import append_rows

log = logging.getLogger(__name__)

DEFAULT_CHANNELS = ("in_app", "email")
# Notices written from timeline events: their audience is their events' (EVENT_AUDIENCES).
EVENT_NOTICE_KINDS = frozenset(Notice.Kind) - {Notice.Kind.RUNG, Notice.Kind.URGING, Notice.Kind.CIRCULAR}


def rung_audience(rung):
    """Whom a rung's notice tells (``Audience.for_notice``'s flags) and through which channels."""
    return {
        "liaisons": rung.notify_liaisons,
        "leaders": rung.notify_unit_leaders,
        "government_office": rung.notify_government_office,
        "leadership_office": rung.notify_leadership_office,
    }, rung.channels()


def _audience_flags(notice, event_kinds):
    if notice.kind == Notice.Kind.RUNG:
        return rung_audience(notice.rung)
    if notice.kind in EVENT_NOTICE_KINDS:
        flags = {}
        for kind in event_kinds.get(notice.pk, ()):
            flags.update(EVENT_AUDIENCES.get(kind, {}))
        return flags, DEFAULT_CHANNELS
    return {"liaisons": True, "leaders": True}, DEFAULT_CHANNELS


def _event_kinds(pending):
    """{notice id: {event kinds}} of the pending notices written from timeline events (one query, or none)."""
    if not any(notice.kind in EVENT_NOTICE_KINDS for notice in pending):
        return {}
    kinds = {}
    rows = NoticeSource.objects.filter(notice__recipients_planned=False).values_list("notice_id", "event__kind")
    for notice_id, kind in rows.distinct():
        kinds.setdefault(notice_id, set()).add(kind)
    return kinds


DELIVERY_FIELDS = ("notice_id", "recipient_id", "channel", "status", "attempts", "last_error")


def plan_deliveries():
    """One delivery per (notice, person, channel) for every notice that has none yet. Returns how many.

    A person who wants a kind in the daily digest (``notices.preferences``) gets its deliveries held
    (``Delivery.Status.HELD``) until ``send_daily_digest`` sends them together."""
    pending = list(
        Notice.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(recipients_planned=False)
        .select_related("rung")
        .only("pk", "kind", "unit_id", "rung")
    )
    if not pending:
        return 0
    planned = write_deliveries(pending)
    Notice.objects.filter(pk__in=[notice.pk for notice in pending]).update(recipients_planned=True)
    return planned


def write_deliveries(notices):
    """The deliveries of ``notices`` (saved, with their ``rung`` loaded), written in one INSERT. Returns how many.
    Marking the notices planned is the caller's: the sweep writes its own notices planned already."""
    from ..channels import enabled_channels

    channels = enabled_channels()
    audience = Audience(notice.unit_id for notice in notices)
    event_kinds = _event_kinds(notices)
    chosen, digest_kinds = preference_table({notice.kind for notice in notices})
    deliveries = []
    for notice in notices:
        flags, notice_channels = _audience_flags(notice, event_kinds)
        for user_id, email in audience.for_notice(unit_id=notice.unit_id, **flags):
            status = (
                Delivery.Status.HELD if held(chosen, digest_kinds, user_id, notice.kind) else Delivery.Status.PENDING
            )
            for channel in notice_channels:
                if channel in channels and (channel != "email" or email):
                    deliveries.append((notice.pk, user_id, channel, str(status), 0, ""))
    append_rows(Delivery, DELIVERY_FIELDS, deliveries)  # the notices have none yet: locked, or written just now
    return len(deliveries)


def schedule_dispatch():
    """After commit, ask a worker to dispatch. If the broker is down the outbox waits for beat's next run."""

    def enqueue():
        from ..tasks import dispatch_task

        try:
            dispatch_task.apply_async(retry=False)
        except Exception as error:  # broker unreachable: the web request must not fail for it
            log.warning("notices: broker unavailable, dispatch deferred to the next beat: %s", error)

    transaction.on_commit(enqueue)
