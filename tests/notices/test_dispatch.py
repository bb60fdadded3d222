"""Delivery: in-app through the notifications library, email through Django's backend; retries; claims."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import OperationalError
from django.utils import timezone
from notifications.models import Notification

from notices.channels import CHANNELS, EmailChannel
from notices.models import Delivery, Notice
from notices.services import dispatch_deliveries, sweep_deadlines

pytestmark = pytest.mark.django_db

DEADLINE = date(2026, 12, 31)


@pytest.fixture
def planned(make_due_item, liaison_with_email, leader):
    """One overdue item: notices planned for the liaison and leader, in-app and email."""
    item = make_due_item(DEADLINE)
    with time_machine.travel(date(2027, 1, 1), tick=False):
        sweep_deadlines()
    return item


def test_in_app_and_email_are_sent_once(planned):
    result = dispatch_deliveries()
    assert result.sent == Delivery.objects.count()
    assert result.failed == 0
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    in_app = Delivery.objects.filter(channel="in_app").count()
    assert Notification.objects.count() == in_app
    assert len(mail.outbox) == Delivery.objects.filter(channel="email").count()
    assert all(message.subject.startswith("【任务督办】") for message in mail.outbox)
    assert planned.get_absolute_url() in mail.outbox[0].body
    again = dispatch_deliveries()
    assert again.sent == 0
    assert Notification.objects.count() == in_app


def test_an_in_app_notice_links_to_the_item_and_reads_in_chinese(planned, liaison_with_email):
    dispatch_deliveries()
    notice = Notification.objects.filter(recipient=liaison_with_email).order_by("pk").first()
    assert notice.data["url"] == planned.get_absolute_url()
    assert notice.target == planned
    assert "已逾期" in notice.description
    assert "ago" not in str(notice)


class FlakyEmail(EmailChannel):
    def __init__(self, failures):
        self.failures = failures

    def send(self, deliveries):
        if self.failures:
            self.failures -= 1
            return {d.pk: "SMTPServerDisconnected: 连接中断" for d in deliveries}
        return super().send(deliveries)


def test_failures_are_retried_with_backoff_then_sent(planned, monkeypatch):
    monkeypatch.setitem(CHANNELS, "email", FlakyEmail(failures=1))
    now = timezone.now()
    first = dispatch_deliveries(now=now)
    assert first.retrying == Delivery.objects.filter(channel="email").count()
    waiting = Delivery.objects.filter(channel="email")
    assert set(waiting.values_list("status", flat=True)) == {"pending"}
    assert all(d.next_attempt_at > now and "连接中断" in d.last_error for d in waiting)
    assert dispatch_deliveries(now=now).sent == 0  # not yet: backing off
    later = dispatch_deliveries(now=now + timedelta(hours=1))
    assert later.sent == waiting.count()
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


def test_after_the_last_attempt_a_delivery_is_failed_for_the_office_to_see(planned, monkeypatch, settings):
    settings.NOTICE_MAX_ATTEMPTS = 2
    monkeypatch.setitem(CHANNELS, "email", FlakyEmail(failures=10))
    now = timezone.now()
    dispatch_deliveries(now=now)
    result = dispatch_deliveries(now=now + timedelta(hours=1))
    assert result.failed == Delivery.objects.filter(channel="email").count()
    failed = Delivery.objects.filter(status="failed")
    assert failed.exists()
    assert all(d.attempts == 2 for d in failed)
    assert set(Delivery.objects.filter(channel="in_app").values_list("status", flat=True)) == {"sent"}


def test_a_claimed_delivery_is_not_sent_by_a_second_dispatcher(planned):
    now = timezone.now()
    Delivery.objects.update(status="sending", claimed_at=now)  # another dispatcher holds them
    assert dispatch_deliveries(now=now).sent == 0
    assert Notification.objects.count() == 0


class BrokenInApp(type(CHANNELS["in_app"])):
    """The in-app channel when its insert fails (SQLite's "database is locked", a lost connection)."""

    def send(self, deliveries):
        super().send(deliveries)
        raise OperationalError("database is locked")


def test_a_batch_whose_transaction_fails_is_retried_and_the_other_channels_go_on(planned, monkeypatch):
    monkeypatch.setitem(CHANNELS, "in_app", BrokenInApp())
    now = timezone.now()
    result = dispatch_deliveries(now=now)
    in_app, email = Delivery.objects.filter(channel="in_app"), Delivery.objects.filter(channel="email")
    assert set(email.values_list("status", flat=True)) == {"sent"}  # the email batch was not held up
    assert result.retrying == in_app.count()
    assert set(in_app.values_list("status", "attempts")) == {("pending", 1)}  # not "sending" for an hour
    assert all(d.next_attempt_at > now and "database is locked" in d.last_error for d in in_app)
    assert Notification.objects.count() == 0  # the failed batch wrote nothing
    monkeypatch.undo()
    dispatch_deliveries(now=now + timedelta(hours=1))
    assert set(in_app.values_list("status", flat=True)) == {"sent"}
    assert Notification.objects.count() == in_app.count()


def test_a_batch_that_always_fails_is_failed_at_the_last_attempt(planned, monkeypatch, settings):
    settings.NOTICE_MAX_ATTEMPTS = 2
    monkeypatch.setitem(CHANNELS, "in_app", BrokenInApp())
    now = timezone.now()
    for hours in range(5):
        dispatch_deliveries(now=now + timedelta(hours=hours))
    assert set(Delivery.objects.filter(channel="in_app").values_list("status", "attempts")) == {("failed", 2)}


def test_a_claim_left_by_a_dead_worker_is_taken_again(planned, settings):
    now = timezone.now()
    stale = now - timedelta(seconds=settings.NOTICE_STALE_CLAIM_SECONDS + 1)
    Delivery.objects.update(status="sending", claimed_at=stale, attempts=1)
    result = dispatch_deliveries(now=now)
    assert result.sent == Delivery.objects.count()


def test_a_switched_off_channel_sends_nothing(make_due_item, liaison_with_email, settings):
    settings.NOTICE_CHANNELS = ["in_app"]
    make_due_item(DEADLINE)
    with time_machine.travel(date(2027, 1, 1), tick=False):
        sweep_deadlines()
    assert set(Delivery.objects.values_list("channel", flat=True)) == {"in_app"}
    dispatch_deliveries()
    assert mail.outbox == []


def test_notices_wait_in_the_outbox_until_dispatched(planned):
    assert Notice.objects.filter(item=planned).exists()
    assert set(Delivery.objects.values_list("status", flat=True)) == {"pending"}
    assert Notification.objects.count() == 0
