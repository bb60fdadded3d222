"""Preferences (at once or in the daily digest), the daily digest itself, and the inbox's filters."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from notifications.models import Notification

from notices.models import Delivery, Notice, NoticePreference
from notices.services import dispatch_deliveries, notify_events, send_daily_digest
from workflows.models import ItemEvent

from .conftest import today

pytestmark = pytest.mark.django_db
Kind, Status = Notice.Kind, Delivery.Status


@pytest.fixture
def item(make_due_item, liaison_with_email):
    item = make_due_item(today() + timedelta(days=20))
    notify_events()
    dispatch_deliveries()
    return item


def tell(item, kind, text="内容"):
    ItemEvent.objects.create(item=item, kind=kind, text=text, new_deadline=today() + timedelta(days=30))
    notify_events()


def statuses(kind):
    return set(Delivery.objects.filter(notice__kind=kind).values_list("status", flat=True))


def test_returns_are_immediate_and_acceptance_waits_for_the_digest_by_default(item):
    tell(item, ItemEvent.Kind.RETURNED)
    tell(item, ItemEvent.Kind.ACCEPTED)
    assert statuses(Kind.RETURNED) == {Status.PENDING}
    assert statuses(Kind.ACCEPTED) == {Status.HELD}


def test_a_person_may_choose_the_digest_for_a_kind(item, liaison_with_email):
    NoticePreference.objects.create(user=liaison_with_email, kind=Kind.INSTRUCTION, mode="digest")
    NoticePreference.objects.create(user=liaison_with_email, kind=Kind.ACCEPTED, mode="immediate")
    tell(item, ItemEvent.Kind.INSTRUCTION)
    tell(item, ItemEvent.Kind.ACCEPTED)
    assert statuses(Kind.INSTRUCTION) == {Status.HELD}
    assert statuses(Kind.ACCEPTED) == {Status.PENDING}
    dispatch_deliveries()
    assert statuses(Kind.INSTRUCTION) == {Status.HELD}  # the dispatcher leaves held deliveries alone


def test_the_daily_digest_sends_one_message_per_person_and_channel_exactly_once(item, liaison_with_email):
    NoticePreference.objects.create(user=liaison_with_email, kind=Kind.INSTRUCTION, mode="digest")
    tell(item, ItemEvent.Kind.INSTRUCTION, "第一条批示")
    tell(item, ItemEvent.Kind.INSTRUCTION, "第二条批示")
    tell(item, ItemEvent.Kind.ACCEPTED)
    held = Delivery.objects.filter(status=Status.HELD)
    assert held.count() == 6  # three notices × (in-app, email) for the one liaison
    before = Notification.objects.count()
    mail.outbox.clear()

    first = send_daily_digest()
    second = send_daily_digest()  # a double beat, or a retried task

    assert (first.sent, first.messages) == (6, 2)
    assert (second.claimed, second.sent) == (0, 0)
    assert Notification.objects.count() == before + 1
    digest = Notification.objects.latest("pk")
    assert digest.verb.startswith("每日通知汇总")
    assert digest.verb.endswith("3 条")
    assert digest.description.count("· ") == 3
    assert digest.data["kind"] == "digest"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["liaison@example.gov.cn"]
    assert set(
        Delivery.objects.filter(notice__kind__in=[Kind.INSTRUCTION, Kind.ACCEPTED]).values_list("status", "digest_on")
    ) == {(Status.SENT, today())}


def test_a_failed_digest_email_is_held_for_the_next_digest(item, monkeypatch):
    tell(item, ItemEvent.Kind.ACCEPTED)
    monkeypatch.setattr("django.core.mail.EmailMessage.send", lambda self: (_ for _ in ()).throw(OSError("SMTP")))
    result = send_daily_digest()
    assert result.held_again == 1
    email = Delivery.objects.get(notice__kind=Kind.ACCEPTED, channel="email")
    assert (email.status, email.digest_on) == (Status.HELD, None)
    assert "SMTP" in email.last_error
    assert Delivery.objects.get(notice__kind=Kind.ACCEPTED, channel="in_app").status == Status.SENT


def test_the_settings_page_saves_each_kind(client, personas):
    user = personas["own_liaison"]
    client.force_login(user)
    page = client.get(reverse("notices:preferences")).content.decode()
    assert "通知设置" in page
    assert 'data-kind="returned"' in page
    form = {kind: "immediate" for kind in ("assigned", "returned", "urging", "rung", "deadline", "extension")}
    form |= {kind: "immediate" for kind in ("signing", "reassigned", "instruction", "submitted", "circular")}
    form |= {"accepted": "immediate", "returned": "digest"}
    response = client.post(reverse("notices:preferences"), form)
    assert response.status_code == 302
    rows = set(NoticePreference.objects.filter(user=user).values_list("kind", "mode"))
    assert rows == {("returned", "digest"), ("accepted", "immediate"), ("circular", "immediate")}
    response = client.post(reverse("notices:preferences"), {**form, "rung": "sometimes"})
    assert response.status_code == 400
    assert "接收方式只能是" in response.content.decode()


# --- the inbox ----------------------------------------------------------------------------------------------------


@pytest.fixture
def inbox(personas, units, plan):
    from tests.conftest import year_period

    period = year_period(plan, 2030)
    user = personas["own_liaison"]

    def note(verb, kind, period_id=None, unread=True):
        return Notification.objects.create(
            recipient=user,
            actor=units["own"],
            verb=verb,
            description="说明",
            unread=unread,
            data={"url": "/board/", "kind": kind, "period": period_id},
        )

    rows = {
        "returned": note("退回整改：校舍排查（2030年度）", "returned", period.pk),
        "urging": note("催办：控辍保学", "urging", None, unread=False),
        "assigned": note("新交办任务 3 项（2030年度）", "assigned", period.pk, unread=False),
    }
    return user, period, rows


def listed(client, **params):
    page = client.get(reverse("notices:inbox"), params).content.decode()
    return {key for key in ("退回整改：", "催办：", "新交办任务") if key in page}


def test_the_inbox_filters_by_unread_kind_period_and_words(client, inbox):
    user, period, _rows = inbox
    client.force_login(user)
    assert listed(client) == {"退回整改：", "催办：", "新交办任务"}
    assert listed(client, unread="on") == {"退回整改："}
    assert listed(client, kind="urging") == {"催办："}
    assert listed(client, period=period.pk) == {"退回整改：", "新交办任务"}
    assert listed(client, q="控辍") == {"催办："}
    assert client.get(reverse("notices:inbox"), {"period": "nope"}).status_code == 200  # a bad filter lists all


def test_opening_from_the_inbox_is_a_post_that_marks_read(client, inbox):
    user, _period, rows = inbox
    client.force_login(user)
    notification = rows["returned"]
    client.get(reverse("notices:open", args=[notification.pk]))
    notification.refresh_from_db()
    assert notification.unread
    response = client.post(reverse("notices:open", args=[notification.pk]))
    assert response.status_code == 302
    assert response.url == "/board/"
    notification.refresh_from_db()
    assert not notification.unread


def test_dispatch_records_the_kind_and_period_for_the_filters(item):
    tell(item, ItemEvent.Kind.RETURNED)
    dispatch_deliveries()
    row = Notification.objects.filter(data__kind="returned").get()
    assert row.data["period"] is None  # an ad-hoc item


def test_the_filtered_inbox_costs_the_same_queries_for_few_and_many(client, inbox, count_queries):
    user, period, _rows = inbox
    client.force_login(user)
    url = reverse("notices:inbox")
    params = {"unread": "on", "kind": "returned", "period": period.pk, "q": "校舍"}
    small = count_queries(lambda: client.get(url, params))
    for n in range(40):
        Notification.objects.create(
            recipient=user, actor=period.plan, verb=f"退回整改：校舍{n}", data={"kind": "returned", "period": period.pk}
        )
    assert count_queries(lambda: client.get(url, params)) == small
