"""The dispatcher: claims pending deliveries with a conditional UPDATE and sends them channel by channel.

Two dispatchers never send the same delivery: a delivery is claimed (pending → sending)
by an UPDATE that only matches unclaimed rows. A claim left by a worker that died is
taken again after NOTICE_STALE_CLAIM_SECONDS. In-app notices are written in the same
transaction that marks them sent, so they are exactly once; an email is sent at least
once (a worker killed between sending and recording may send it again). Failures are
retried with backoff up to NOTICE_MAX_ATTEMPTS, then marked failed for the office to see.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from departments import access

from ..channels import enabled_channels
from ..models import Delivery

Status = Delivery.Status
log = logging.getLogger(__name__)


@dataclass
class DispatchResult:
    claimed: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def claimable(now):
    stale = now - timedelta(seconds=settings.NOTICE_STALE_CLAIM_SECONDS)
    waiting = Q(status=Status.PENDING) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    return waiting | Q(status=Status.SENDING, claimed_at__lt=stale)


def claim(batch, now):
    """Take up to ``batch`` deliveries; rows another dispatcher is claiming are skipped, not waited for."""
    ids = list(
        Delivery.objects.select_for_update(skip_locked=True)
        .filter(claimable(now))
        .order_by("pk")
        .values_list("pk", flat=True)[:batch]
    )
    if not ids:
        return []
    Delivery.objects.filter(claimable(now), pk__in=ids).update(
        status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    return list(
        Delivery.objects.filter(pk__in=ids, status=Status.SENDING, claimed_at=now).select_related(
            "notice__rung", "notice__item", "recipient"
        )
    )


def backoff(attempts):
    return timedelta(minutes=2 ** min(attempts, 8))


def dispatch_deliveries(batch=1000, now=None):
    """Send one batch of waiting deliveries. Returns counts; call again until it claims nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = claim(batch, now)
    result = DispatchResult(claimed=len(claimed))
    channels = enabled_channels()
    by_channel = {}
    for delivery in claimed:
        by_channel.setdefault(delivery.channel, []).append(delivery)
    for code, deliveries in by_channel.items():
        try:
            with transaction.atomic():
                channel = channels.get(code)
                failures = (
                    {d.pk: f"渠道“{code}”未启用" for d in deliveries} if channel is None else channel.send(deliveries)
                )
                _record(deliveries, failures, now, result)
        except Exception as error:
            # The batch's transaction rolled back (a database error, a lock): nothing of it was recorded. Count it
            # as a failed attempt of each of its deliveries — retried with backoff, failed for good at the last
            # attempt, the error shown to the office — rather than leaving them "sending" until their claims count
            # as stale; the other channels' batches go on.
            log.exception("notices: the %s batch failed; its deliveries will be retried", code)
            message = f"{type(error).__name__}: {error}"
            with transaction.atomic():
                _record(deliveries, dict.fromkeys((d.pk for d in deliveries), message), now, result)
    return result


def _record(deliveries, failures, now, result):
    sent = [d.pk for d in deliveries if d.pk not in failures]
    Delivery.objects.filter(pk__in=sent).update(status=Status.SENT, sent_at=now, last_error="")
    result.sent += len(sent)
    for delivery in deliveries:
        if delivery.pk not in failures:
            continue
        gave_up = delivery.attempts >= settings.NOTICE_MAX_ATTEMPTS
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Status.FAILED if gave_up else Status.PENDING,
            last_error=failures[delivery.pk][:2000],
            next_attempt_at=None if gave_up else now + backoff(delivery.attempts),
        )
        if gave_up:
            result.failed += 1
        else:
            result.retrying += 1


def retry_delivery(by, delivery):
    """Put a failed delivery back in the queue with its attempts reset. False if it was not failed."""
    from .sweep import schedule_dispatch

    access.require(access.is_office(by), "只有县政府办公室可以重新发送通知。")
    with transaction.atomic():
        reset = Delivery.objects.filter(pk=delivery.pk, status=Status.FAILED).update(
            status=Status.PENDING, next_attempt_at=None, attempts=0
        )
        if reset:
            schedule_dispatch()
    return bool(reset)
