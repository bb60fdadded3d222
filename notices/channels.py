"""Delivery channels. Each takes a batch of claimed deliveries and says which went out and which failed.

Only channels that really deliver are switched on (settings.NOTICE_CHANNELS). To add SMS or an
enterprise messenger, subclass Channel, implement ``send`` and add its code to the setting.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils import translation

from departments.models import Unit
from workflows.models import DutyItem


class Channel:
    code = ""
    label = ""

    def send(self, deliveries):
        """Deliver each; return {delivery_pk: error message} for the ones that failed."""
        raise NotImplementedError


class InAppChannel(Channel):
    """The notifications library's inbox: rows written in bulk, in the dispatcher's transaction."""

    code, label = "in_app", "站内通知"

    def send(self, deliveries):
        from notifications.models import Notification

        unit_type = ContentType.objects.get_for_model(Unit)
        item_type = ContentType.objects.get_for_model(DutyItem)
        periods = _periods(delivery.notice for delivery in deliveries)
        rows = []
        for delivery in deliveries:
            notice = delivery.notice
            rows.append(
                Notification(
                    recipient_id=delivery.recipient_id,
                    actor_content_type=unit_type,
                    actor_object_id=str(notice.unit_id or ""),
                    verb=notice.title,
                    description=notice.body,
                    target_content_type=item_type if notice.item_id else None,
                    target_object_id=str(notice.item_id) if notice.item_id else None,
                    level=_level(notice),
                    data={
                        "url": notice.get_absolute_url(),
                        "notice": notice.pk,
                        "delivery": delivery.pk,
                        "kind": notice.kind,
                        "period": periods.get(notice.pk),
                    },
                )
            )
        Notification.objects.bulk_create(rows)
        return {}

    def send_digest(self, by_recipient, day):
        """One notification per person listing the held notices; {recipient id: error} (none fail here)."""
        from notifications.models import Notification

        unit_type = ContentType.objects.get_for_model(Unit)
        rows = []
        for recipient_id, deliveries in by_recipient.items():
            notices = [delivery.notice for delivery in deliveries]
            rows.append(
                Notification(
                    recipient_id=recipient_id,
                    actor_content_type=unit_type,
                    actor_object_id="",
                    verb=digest_title(day, len(notices)),
                    description=digest_text(notices),
                    level="info",
                    data={
                        "url": reverse("notices:inbox"),
                        "kind": DIGEST_KIND,
                        "period": None,
                        "notices": [notice.pk for notice in notices],
                        "deliveries": [delivery.pk for delivery in deliveries],
                    },
                )
            )
        Notification.objects.bulk_create(rows)
        return {}


DIGEST_KIND = "digest"


def digest_title(day, count):
    return f"每日通知汇总（{day:%Y年%m月%d日}）：{count} 条"


def digest_text(notices, with_links=False):
    site = settings.SITE_URL.rstrip("/")
    lines = []
    for notice in notices:
        lines.append(f"· {notice.title}")
        if with_links:
            lines.append(f"  查看：{site}{notice.get_absolute_url()}")
    return "\n".join(lines)


def _periods(notices):
    """{notice id: period id} where the notice concerns one period: its item's, or its timeline lines' (a digest)."""
    from .models import NoticeSource

    notices = list(notices)
    periods = {notice.pk: notice.item.period_id for notice in notices if notice.item_id}
    digests = [notice.pk for notice in notices if not notice.item_id]
    if digests:
        found = {}
        rows = NoticeSource.objects.filter(notice_id__in=digests).values_list("notice_id", "event__item__period_id")
        for notice_id, period_id in rows.distinct():
            found.setdefault(notice_id, set()).add(period_id)
        periods.update({pk: next(iter(ids)) for pk, ids in found.items() if len(ids) == 1})
    return periods


def _level(notice):
    """A reminder before the deadline is information; anything overdue, urged or circulated is a warning."""
    return "info" if notice.rung is not None and notice.rung.before_deadline else "warning"


class EmailChannel(Channel):
    """Django's email backend (EMAIL_URL); one message per person, over one connection."""

    code, label = "email", "电子邮件"

    def send(self, deliveries):
        failures = {}
        with translation.override("zh-hans"), get_connection() as connection:
            for delivery in deliveries:
                notice = delivery.notice
                body = f"{notice.body}\n\n查看：{settings.SITE_URL.rstrip('/')}{notice.get_absolute_url()}\n"
                message = EmailMessage(
                    subject=f"【任务督办】{notice.title}",
                    body=body,
                    to=[delivery.recipient.email],
                    connection=connection,
                )
                try:
                    message.send()
                except Exception as error:  # an SMTP failure of one message must not stop the others
                    failures[delivery.pk] = f"{type(error).__name__}: {error}"
        return failures

    def send_digest(self, by_recipient, day):
        """One message per person listing the held notices; {recipient id: error} for the ones that failed."""
        failures = {}
        with translation.override("zh-hans"), get_connection() as connection:
            for recipient_id, deliveries in by_recipient.items():
                notices = [delivery.notice for delivery in deliveries]
                message = EmailMessage(
                    subject=f"【任务督办】{digest_title(day, len(notices))}",
                    body=digest_text(notices, with_links=True) + "\n",
                    to=[deliveries[0].recipient.email],
                    connection=connection,
                )
                try:
                    message.send()
                except Exception as error:  # one failed message must not stop the others
                    failures[recipient_id] = f"{type(error).__name__}: {error}"
        return failures


CHANNELS = {channel.code: channel for channel in (InAppChannel(), EmailChannel())}


def enabled_channels():
    return {code: CHANNELS[code] for code in settings.NOTICE_CHANNELS}
