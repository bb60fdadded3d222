"""Delivery channels. Each takes a batch of claimed deliveries and says which went out and which failed.

Only channels that really deliver are switched on (settings.NOTICE_CHANNELS). To add SMS or an
enterprise messenger, subclass Channel, implement ``send`` and add its code to the setting.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage, get_connection
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
                    data={"url": notice.get_absolute_url(), "notice": notice.pk, "delivery": delivery.pk},
                )
            )
        Notification.objects.bulk_create(rows)
        return {}


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


CHANNELS = {channel.code: channel for channel in (InAppChannel(), EmailChannel())}


def enabled_channels():
    return {code: CHANNELS[code] for code in settings.NOTICE_CHANNELS}
