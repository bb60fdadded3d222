"""The daily digest: the deliveries people chose to receive once a day, sent together at 08:00 (beat).

Per (person, channel) ONE in-app notification / ONE email lists the held notices. Exactly once, as the
dispatcher: the held deliveries are claimed by a conditional UPDATE (held → sending, ``digest_on`` set), so
two runs never send the same one; in-app notifications are written in the transaction that marks them sent.
An email that failed is held again, for the next digest (the error is kept for the office to see).
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..channels import enabled_channels
from ..models import Delivery

Status = Delivery.Status


@dataclass
class DigestResult:
    claimed: int = 0
    sent: int = 0  # deliveries
    messages: int = 0  # notifications and emails, one per (person, channel)
    held_again: int = 0


def _claim(today, now):
    ids = list(
        Delivery.objects.select_for_update(skip_locked=True).filter(status=Status.HELD).values_list("pk", flat=True)
    )
    if not ids:
        return []
    Delivery.objects.filter(pk__in=ids, status=Status.HELD).update(
        status=Status.SENDING, claimed_at=now, digest_on=today, attempts=F("attempts") + 1
    )
    return list(
        Delivery.objects.filter(pk__in=ids, status=Status.SENDING, claimed_at=now, digest_on=today)
        .select_related("notice", "recipient")
        .order_by("recipient_id", "notice__created_at", "pk")
    )


def send_daily_digest(today=None, now=None):
    """Send every held delivery, one message per (person, channel). Returns counts."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    with transaction.atomic():
        claimed = _claim(today, now)
    result = DigestResult(claimed=len(claimed))
    grouped = defaultdict(lambda: defaultdict(list))
    for delivery in claimed:
        grouped[delivery.channel][delivery.recipient_id].append(delivery)
    channels = enabled_channels()
    for code, by_recipient in grouped.items():
        channel = channels.get(code)
        with transaction.atomic():
            if channel is None:
                failures = dict.fromkeys(by_recipient, f"渠道“{code}”未启用")
            else:
                failures = channel.send_digest(by_recipient, today)
            sent = [d.pk for person, ds in by_recipient.items() if person not in failures for d in ds]
            Delivery.objects.filter(pk__in=sent).update(status=Status.SENT, sent_at=now, last_error="")
            result.sent += len(sent)
            result.messages += len(by_recipient) - len(failures)
            for person, error in failures.items():
                again = [d.pk for d in by_recipient[person]]
                Delivery.objects.filter(pk__in=again).update(
                    status=Status.HELD, digest_on=None, last_error=error[:2000]
                )
                result.held_again += len(again)
    return result
