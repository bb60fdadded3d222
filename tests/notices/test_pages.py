"""The notice pages through the client: the inbox, an item's notices, urging (催办), the overdue dashboard,
delivery failures and circulars (通报) — who may see and do what, what each page says, and that the lists
cost the same number of queries whatever their length.
"""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from notifications.models import Notification

from departments.models import Unit
from notices.models import Circular, Criticism, Delivery, Notice, Rung
from notices.services import dispatch_deliveries
from workflows.cycles import period_for
from workflows.models import DutyItem, ItemEvent

from ..board.board_fixtures import make_item

pytestmark = pytest.mark.django_db

OFFICE, INSPECTOR, OWN, STRANGER = "government_office", "inspector", "own_liaison", "stranger_liaison"


def today():
    return timezone.localdate()


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def notify(user, unit, *, verb="到期未完成：校园周边环境整治", url="/board/", unread=True, **fields):
    return Notification.objects.create(
        recipient=user, actor=unit, verb=verb, description="请尽快办理。", data={"url": url}, unread=unread, **fields
    )


def rung(name):
    return Rung.objects.get(name=name)


def rung_notice(item, rung_obj, occurrence=1):
    return Notice(
        kind=Notice.Kind.RUNG,
        item=item,
        unit_id=item.unit_id,
        rung=rung_obj,
        deadline=item.deadline,
        occurrence=occurrence,
        title=f"{rung_obj.name}：{item.title}",
        recipients_planned=True,
    )


@pytest.fixture
def period(plan):
    return make_period(plan, today().year)


@pytest.fixture
def own_item(units):
    """An open item of the own unit with the cooperating unit on it, ten days overdue."""
    return make_item(units["own"], days=-10, title="校园周边环境整治", cooperating=[units["cooperating"]])


# --- who gets what ------------------------------------------------------------------------------------------------


# The status of each page's GET for every persona is in tests/project/test_permission_table.py.


@pytest.mark.parametrize("persona", [INSPECTOR, OWN, STRANGER, "assessment_reader", "cooperating_liaison"])
def test_only_the_office_may_post_urgings_retries_and_circulars(client, personas, units, plan, own_item, persona):
    notice = Notice.objects.create(kind=Notice.Kind.RUNG, item=own_item, unit=units["own"], title="提醒")
    failed = Delivery.objects.create(notice=notice, recipient=personas[OWN], channel="email", status="failed")
    circular = Circular.objects.create(
        title="通报", period=make_period(plan, 2028), rectification_deadline=today(), created_by=personas[OFFICE]
    )
    client.force_login(personas[persona])
    posts = [
        (reverse("notices:urge_item", args=[own_item.pk]), {"message": "请抓紧"}),
        (reverse("notices:urge_unit", args=[units["own"].pk]), {"message": "请抓紧"}),
        (reverse("notices:retry_delivery", args=[failed.pk]), {}),
        (reverse("notices:circular_create"), {"period": circular.period_id}),
        (reverse("notices:circular_publish", args=[circular.pk]), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert not Notice.objects.filter(kind=Notice.Kind.URGING).exists()
    assert not ItemEvent.objects.filter(kind=ItemEvent.Kind.URGED).exists()
    failed.refresh_from_db()
    circular.refresh_from_db()
    assert failed.status == "failed"
    assert circular.status == "draft"
    assert Circular.objects.count() == 1


def make_period(plan, year):
    period = period_for(plan, year=year)
    period.save()
    return period


# --- the inbox ----------------------------------------------------------------------------------------------------


def test_the_inbox_lists_only_the_users_notices_newest_first_unread_highlighted(client, personas, units):
    liaison, other = personas[OWN], personas[STRANGER]
    now = timezone.now()
    older = notify(liaison, units["own"], verb="较早的提醒", unread=False, timestamp=now - timedelta(days=2))
    newer = notify(liaison, units["own"], verb="最新的催办", timestamp=now)
    notify(other, units["stranger"], verb="别人的通知")

    client.force_login(liaison)
    response = client.get(reverse("notices:inbox"))
    page = response.content.decode()

    assert [n.pk for n in response.context["page_obj"]] == [newer.pk, older.pk]
    assert "别人的通知" not in page
    assert f'class="card unread" data-notification="{newer.pk}"' in page
    assert f'class="card read" data-notification="{older.pk}"' in page
    assert reverse("notices:open", args=[newer.pk]) in page
    assert "全部标为已读" in page


def test_opening_a_notice_marks_it_read_and_goes_where_it_points(client, personas, units, own_item):
    notification = notify(personas[OWN], units["own"], url=own_item.get_absolute_url())
    client.force_login(personas[OWN])
    response = client.post(reverse("notices:open", args=[notification.pk]))
    assert response.status_code == 302
    assert response.url == own_item.get_absolute_url()
    notification.refresh_from_db()
    assert notification.unread is False


def test_following_a_notice_by_a_plain_link_reads_nothing_into_it(client, personas, units, own_item):
    """A GET (a link opened in a new tab, a prefetch) only follows the notice: no GET writes."""
    notification = notify(personas[OWN], units["own"], url=own_item.get_absolute_url())
    client.force_login(personas[OWN])
    response = client.get(reverse("notices:open", args=[notification.pk]))
    assert response.status_code == 302
    assert response.url == own_item.get_absolute_url()
    notification.refresh_from_db()
    assert notification.unread is True


@pytest.mark.parametrize("persona", [STRANGER, OFFICE, INSPECTOR])
def test_nobody_opens_or_marks_another_users_notice(client, personas, units, persona):
    notification = notify(personas[OWN], units["own"])
    client.force_login(personas[persona])
    assert client.get(reverse("notices:open", args=[notification.pk])).status_code == 404
    assert client.post(reverse("notices:open", args=[notification.pk])).status_code == 404
    client.post(reverse("notices:mark_all_read"))
    notification.refresh_from_db()
    assert notification.unread is True


def test_a_link_off_the_site_is_not_followed(client, personas, units):
    notification = notify(personas[OWN], units["own"], url="https://evil.example/phish")
    client.force_login(personas[OWN])
    response = client.get(reverse("notices:open", args=[notification.pk]))
    assert response.status_code == 302
    assert response.url == reverse("notices:inbox")


def test_mark_all_as_read_marks_only_the_users_own(client, personas, units):
    mine = [notify(personas[OWN], units["own"]) for _ in range(3)]
    theirs = notify(personas[STRANGER], units["stranger"])
    client.force_login(personas[OWN])
    reloaded = client.get(reverse("notices:mark_all_read"))  # a GET marks nothing: back to the inbox
    assert (reloaded.status_code, reloaded.url) == (302, reverse("notices:inbox"))
    assert Notification.objects.filter(pk__in=[n.pk for n in mine], unread=True).count() == 3
    response = client.post(reverse("notices:mark_all_read"))
    assert response.status_code == 302
    assert response.url == reverse("notices:inbox")
    assert "已将 3 条通知标为已读。" in messages_of(response)
    assert not Notification.objects.filter(pk__in=[n.pk for n in mine], unread=True).exists()
    theirs.refresh_from_db()
    assert theirs.unread is True


def test_the_header_badge_shows_the_unread_count_and_links_to_the_inbox(client, personas, units):
    for _ in range(3):
        notify(personas[OWN], units["own"])
    notify(personas[OWN], units["own"], unread=False)
    notify(personas[STRANGER], units["stranger"])
    client.force_login(personas[OWN])
    page = client.get(reverse("board:mine")).content.decode()
    assert f'href="{reverse("notices:inbox")}" id="inbox-link" title="3 条未读通知"' in page
    assert '<span class="tag" id="unread-badge"' in page
    assert ">3 未读</span>" in page

    client.post(reverse("notices:mark_all_read"))
    page = client.get(reverse("board:mine")).content.decode()
    assert 'id="unread-badge"' not in page


def test_the_inbox_is_paginated_by_25(client, personas, units):
    Notification.objects.bulk_create(
        Notification(recipient=personas[OWN], actor=units["own"], verb=f"通知 {n}", data={"url": "/"})
        for n in range(30)
    )
    client.force_login(personas[OWN])
    first = client.get(reverse("notices:inbox"))
    assert len(first.context["page_obj"]) == 25
    assert first.context["page_obj"].paginator.count == 30
    assert len(client.get(reverse("notices:inbox"), {"page": 2}).context["page_obj"]) == 5


def test_the_inbox_costs_the_same_queries_for_10_and_300_notices(client, personas, units, count_queries):
    def add(count):
        Notification.objects.bulk_create(
            Notification(recipient=personas[OWN], actor=units["own"], verb=f"通知 {n}", data={"url": "/"})
            for n in range(count)
        )

    add(10)
    client.force_login(personas[OWN])

    def fetch():
        assert client.get(reverse("notices:inbox")).status_code == 200

    fetch()
    at_10 = count_queries(fetch)
    add(290)
    assert count_queries(fetch) == at_10


# --- an item's notices --------------------------------------------------------------------------------------------


def test_an_items_notices_show_every_delivery(client, personas, units, own_item):
    notice = Notice.objects.create(
        kind=Notice.Kind.RUNG,
        item=own_item,
        unit=units["own"],
        rung=rung("逾期7天升级"),
        deadline=own_item.deadline,
        title="逾期7天升级：校园周边环境整治",
        body="已逾期 10 天。",
    )
    Delivery.objects.create(notice=notice, recipient=personas[OWN], channel="in_app", status="sent", attempts=1)
    Delivery.objects.create(
        notice=notice,
        recipient=personas[OWN],
        channel="email",
        status="failed",
        attempts=5,
        last_error="SMTPRecipientsRefused: 邮箱不存在",
    )
    other_item = make_item(units["stranger"], days=-3, title="税务局的任务")
    Notice.objects.create(kind=Notice.Kind.RUNG, item=other_item, unit=units["stranger"], title="别的任务的提醒")

    client.force_login(personas["cooperating_liaison"])  # a cooperating unit may see the item, and its notices
    response = client.get(reverse("notices:item_notices", args=[own_item.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "逾期7天升级：校园周边环境整治" in page
    assert "别的任务的提醒" not in page
    assert "站内通知" in page
    assert "电子邮件" in page
    assert "SMTPRecipientsRefused: 邮箱不存在" in page
    assert 'class="delivery delivery-failed"' in page
    assert "<td>5</td>" in page


def test_the_item_page_links_to_its_notices_and_offers_the_office_an_urging(client, personas, own_item):
    for persona, offered in [(OFFICE, True), (OWN, False), (INSPECTOR, False)]:
        client.force_login(personas[persona])
        page = client.get(own_item.get_absolute_url()).content.decode()
        assert reverse("notices:item_notices", args=[own_item.pk]) in page, persona
        assert (f'action="{reverse("notices:urge_item", args=[own_item.pk])}"' in page) is offered, persona


# --- urging -------------------------------------------------------------------------------------------------------


def test_the_office_urges_an_item_from_its_page(client, personas, units, own_item, leader):
    client.force_login(personas[OFFICE])
    url = reverse("notices:urge_item", args=[own_item.pk])
    response = client.post(url, {"message": "请于本周内报送整治进展"})

    assert response.status_code == 302
    assert response.url == own_item.get_absolute_url()
    assert any("已催办" in m for m in messages_of(response))
    notice = Notice.objects.get(kind=Notice.Kind.URGING, item=own_item)
    assert "请于本周内报送整治进展" in notice.body
    recipients = set(notice.deliveries.values_list("recipient__username", flat=True))
    assert recipients == {"own", "leader"}  # the unit's liaison and leader
    event = ItemEvent.objects.get(item=own_item, kind=ItemEvent.Kind.URGED)
    assert event.text == "请于本周内报送整治进展"
    assert event.actor == personas[OFFICE]

    page = client.get(own_item.get_absolute_url()).content.decode()  # the timeline shows it
    assert 'class="event event-urged"' in page
    assert "请于本周内报送整治进展" in page

    dispatch_deliveries()  # and the liaison finds it in the inbox, which leads back to the item
    client.force_login(personas[OWN])
    inbox = client.get(reverse("notices:inbox"))
    notification = inbox.context["page_obj"][0]
    assert notification.verb == f"催办：{own_item.title}"
    assert client.get(reverse("notices:open", args=[notification.pk])).url == own_item.get_absolute_url()


@pytest.mark.parametrize(
    ("setup", "message", "error"),
    [
        ("open", "   ", "请填写催办内容"),
        ("closed", "请抓紧", "已结束的任务不能催办"),
    ],
)
def test_a_refused_urging_is_shown_with_the_message_kept(client, personas, own_item, setup, message, error):
    if setup == "closed":
        own_item.stage = DutyItem.Stage.CLOSED
        own_item.save(update_fields=["stage"])
    client.force_login(personas[OFFICE])
    response = client.post(reverse("notices:urge_item", args=[own_item.pk]), {"message": message})
    assert response.status_code == 400
    page = response.content.decode()
    assert error in page
    if message.strip():
        assert f">\n{message}</textarea>" in page
    assert not Notice.objects.filter(kind=Notice.Kind.URGING).exists()


def test_urging_an_item_the_user_cannot_see_is_404_and_a_get_urges_nothing(client, personas, own_item):
    client.force_login(personas[OFFICE])
    reloaded = client.get(reverse("notices:urge_item", args=[own_item.pk]))  # a GET urges nothing: to the item
    assert (reloaded.status_code, reloaded.url) == (302, own_item.get_absolute_url())
    assert not Notice.objects.filter(kind=Notice.Kind.URGING).exists()
    assert client.post(reverse("notices:urge_item", args=[999999]), {"message": "x"}).status_code == 404


def test_the_office_urges_the_overdue_items_of_a_unit_by_default(client, personas, units):
    own = units["own"]
    overdue = [make_item(own, days=-3), make_item(own, days=-20)]
    on_time = make_item(own, days=5)
    submitted = make_item(own, days=-4, stage=DutyItem.Stage.INSPECTING)
    closed = make_item(own, days=-5, stage=DutyItem.Stage.CLOSED)
    other = make_item(units["stranger"], days=-5)
    client.force_login(personas[OFFICE])
    back = reverse("notices:overdue") + "?bucket=8-14"
    response = client.post(reverse("notices:urge_unit", args=[own.pk]), {"message": "请全面加快进度", "next": back})

    assert response.status_code == 302
    assert response.url == back
    assert any("2 项逾期未办结任务" in m for m in messages_of(response))
    urged = set(Notice.objects.filter(kind=Notice.Kind.URGING).values_list("item_id", flat=True))
    assert urged == {item.pk for item in overdue}
    assert not urged & {on_time.pk, submitted.pk, closed.pk, other.pk}
    assert ItemEvent.objects.filter(kind=ItemEvent.Kind.URGED).count() == 2


def test_the_office_may_urge_every_open_item_of_a_unit(client, personas, units):
    own = units["own"]
    open_items = [make_item(own, days=-3), make_item(own, days=5), make_item(own, days=-4, stage="inspecting")]
    make_item(own, days=-5, stage=DutyItem.Stage.CLOSED)
    client.force_login(personas[OFFICE])
    response = client.post(reverse("notices:urge_unit", args=[own.pk]), {"message": "请抓紧", "scope": "open"})
    assert response.status_code == 302
    assert any("3 项未办结任务" in m for m in messages_of(response))
    urged = set(Notice.objects.filter(kind=Notice.Kind.URGING).values_list("item_id", flat=True))
    assert urged == {item.pk for item in open_items}


def test_urging_a_unit_without_overdue_items_says_so(client, personas, units):
    make_item(units["stranger"], days=5)
    client.force_login(personas[OFFICE])
    response = client.post(reverse("notices:urge_unit", args=[units["stranger"].pk]), {"message": "请抓紧"})
    assert response.status_code == 400
    assert "县税务局没有逾期未办结的任务，无需催办" in response.content.decode()
    assert not Notice.objects.filter(kind=Notice.Kind.URGING).exists()


# --- the overdue dashboard ----------------------------------------------------------------------------------------


@pytest.fixture
def overdue_spread(units):
    """Items 2, 10, 20 and 40 days overdue of the own unit; 3 days overdue of the cooperating unit; one on time."""
    own, cooperating = units["own"], units["cooperating"]
    items = {
        "2": make_item(own, days=-2, title="逾期2天"),
        "10": make_item(own, days=-10, title="逾期10天"),
        "20": make_item(own, days=-20, title="逾期20天", stage=DutyItem.Stage.INSPECTING),
        "40": make_item(own, days=-40, title="逾期40天"),
        "coop": make_item(cooperating, days=-3, title="城管逾期3天"),
        "future": make_item(own, days=3, title="未到期"),
        "closed": make_item(own, days=-30, title="已办结", stage=DutyItem.Stage.CLOSED),
    }
    Notice.objects.bulk_create(
        [
            rung_notice(items["2"], rung("到期未完成")),
            rung_notice(items["10"], rung("到期未完成")),
            rung_notice(items["10"], rung("逾期7天升级")),
            rung_notice(items["40"], rung("逾期催报")),
            rung_notice(items["40"], rung("逾期7天升级")),
            rung_notice(items["20"], rung("逾期7天升级")),  # submitted since: not a candidate any more
        ]
    )
    return items


def test_the_dashboard_groups_overdue_items_by_days_unit_and_rung(client, personas, units, overdue_spread):
    client.force_login(personas[INSPECTOR])
    response = client.get(reverse("notices:overdue"))
    context = response.context

    assert [(key, count) for key, _label, count in context["buckets"]] == [
        ("1-7", 2),
        ("8-14", 1),
        ("15-30", 1),
        ("over-30", 1),
    ]
    assert [(row["unit"], row["n"], row["inspecting"], row["oldest"]) for row in context["units"]] == [
        (units["own"].pk, 4, 1, today() - timedelta(days=40)),
        (units["cooperating"].pk, 1, 0, today() - timedelta(days=3)),
    ]
    assert [(r.name if r else None, n) for r, n in context["rungs"]] == [
        ("逾期7天升级", 3),
        ("到期未完成", 1),
        (None, 1),
    ]
    candidates = {group.unit.name: (group.count, [i.title for i in group.items]) for group in context["candidates"]}
    assert candidates == {units["own"].name: (2, ["逾期40天", "逾期10天"])}
    assert context["candidate_count"] == 2
    listed = [item.title for item in context["page_obj"]]
    assert listed == ["逾期40天", "逾期20天", "逾期10天", "城管逾期3天", "逾期2天"]
    assert [item.days_overdue for item in context["page_obj"]] == [40, 20, 10, 3, 2]
    page = response.content.decode()
    assert "未到期" not in page
    assert "已办结" not in page
    assert "urge-unit" not in page  # an inspector does not urge


def test_the_dashboard_filters_on_a_span_of_days(client, personas, overdue_spread):
    client.force_login(personas[OFFICE])
    response = client.get(reverse("notices:overdue"), {"bucket": "8-14"})
    assert [item.title for item in response.context["page_obj"]] == ["逾期10天"]
    over_30 = client.get(reverse("notices:overdue") + "?bucket=over-30")
    assert [item.title for item in over_30.context["page_obj"]] == ["逾期40天"]
    ignored = client.get(reverse("notices:overdue"), {"bucket": "nonsense"})
    assert len(ignored.context["page_obj"]) == 5


def test_the_office_gets_an_urge_form_per_unit(client, personas, units, overdue_spread):
    client.force_login(personas[OFFICE])
    page = client.get(reverse("notices:overdue")).content.decode()
    for unit in (units["own"], units["cooperating"]):
        assert f'action="{reverse("notices:urge_unit", args=[unit.pk])}"' in page
    assert reverse("notices:circular_create") in page


def test_the_dashboard_costs_the_same_queries_for_10_and_300_items(client, personas, units, period, count_queries):
    owners = [units["own"], units["cooperating"], units["stranger"]]
    ladder = [rung("到期未完成"), rung("逾期催报"), rung("逾期7天升级")]

    def add(count, start):
        items = [
            make_item(owners[n % 3], days=-1 - (n % 45), title=f"逾期任务 {n}", period=period)
            for n in range(start, start + count)
        ]
        Notice.objects.bulk_create(rung_notice(item, ladder[n % 3]) for n, item in enumerate(items))

    add(10, 0)
    client.force_login(personas[OFFICE])

    def fetch():
        assert client.get(reverse("notices:overdue")).status_code == 200

    fetch()
    at_10 = count_queries(fetch)
    add(290, 10)
    at_300 = count_queries(fetch)
    assert at_10 == at_300
    assert sum(count for _key, _label, count in client.get(reverse("notices:overdue")).context["buckets"]) == 300


# --- delivery failures --------------------------------------------------------------------------------------------


@pytest.fixture
def deliveries(personas, units, own_item):
    notice = Notice.objects.create(kind=Notice.Kind.RUNG, item=own_item, unit=units["own"], title="到期未完成：整治")
    make = Delivery.objects.create
    return {
        "failed": make(
            notice=notice, recipient=personas[OWN], channel="email", status="failed", attempts=5, last_error="坏地址"
        ),
        "retrying": make(
            notice=notice,
            recipient=personas["cooperating_liaison"],
            channel="email",
            status="pending",
            attempts=2,
            last_error="连接超时",
            next_attempt_at=timezone.now() + timedelta(minutes=4),
        ),
        "sent": make(notice=notice, recipient=personas[OWN], channel="in_app", status="sent", attempts=1),
        "waiting": make(notice=notice, recipient=personas[STRANGER], channel="in_app", status="pending"),
    }


def test_failures_lists_failed_and_retrying_deliveries(client, personas, deliveries):
    client.force_login(personas[INSPECTOR])
    response = client.get(reverse("notices:failures"))
    listed = {delivery.pk for delivery in response.context["page_obj"]}
    assert listed == {deliveries["failed"].pk, deliveries["retrying"].pk}
    page = response.content.decode()
    assert "坏地址" in page
    assert "连接超时" in page
    assert "等待重试" in page
    assert "重试</button>" not in page  # an inspector sees, the office acts


def test_the_office_retries_a_failed_delivery(client, personas, deliveries):
    client.force_login(personas[OFFICE])
    assert "重试</button>" in client.get(reverse("notices:failures")).content.decode()
    response = client.post(reverse("notices:retry_delivery", args=[deliveries["failed"].pk]))
    assert response.status_code == 302
    assert response.url == reverse("notices:failures")
    failed = Delivery.objects.get(pk=deliveries["failed"].pk)
    assert (failed.status, failed.attempts, failed.next_attempt_at) == ("pending", 0, None)

    response = client.post(reverse("notices:retry_delivery", args=[deliveries["sent"].pk]))
    assert any("不是发送失败状态" in m for m in messages_of(response))
    assert Delivery.objects.get(pk=deliveries["sent"].pk).status == "sent"


# --- circulars ----------------------------------------------------------------------------------------------------


@pytest.fixture
def candidates(units, period):
    """The own and cooperating units have overdue items marked for a circular; the stranger closed all on time."""
    escalation = rung("逾期7天升级")
    items = {
        "own_a": make_item(units["own"], days=-12, title="完善校园安全设施", period=period),
        "own_b": make_item(units["own"], days=-9, title="开展环保进校园", period=period),
        "coop": make_item(units["cooperating"], days=-8, title="整治校园周边摊点", period=period),
        "not_marked": make_item(units["cooperating"], days=-2, title="刚逾期的任务", period=period),
        "stranger": make_item(
            units["stranger"],
            days=-5,
            title="落实教育收费减免",
            period=period,
            stage=DutyItem.Stage.CLOSED,
            closed_at=timezone.now() - timedelta(days=7),
        ),
    }
    Notice.objects.bulk_create(rung_notice(items[key], escalation) for key in ("own_a", "own_b", "coop"))
    return items


def test_drafting_is_prefilled_with_the_periods_candidates(client, personas, units, period, candidates):
    client.force_login(personas[OFFICE])
    first = client.get(reverse("notices:circular_create"))
    assert first.status_code == 200
    assert "form" not in first.context

    response = client.get(reverse("notices:circular_create"), {"period": period.pk})
    form = response.context["form"]
    assert set(form.candidates) == {units["own"], units["cooperating"]}
    assert [i.title for i in form.candidates[units["own"]].items] == ["完善校园安全设施", "开展环保进校园"]
    assert form.candidates[units["own"]].count == 2
    assert set(form.initial["criticised"]) == {units["own"].pk, units["cooperating"].pk}
    assert response.context["suggested"] == [units["stranger"]]
    page = response.content.decode()
    assert "完善校园安全设施" in page
    assert "刚逾期的任务" not in page
    assert f'name="criticised" value="{units["own"].pk}" checked' in page
    assert period.label in form.initial["title"]


def post_circular(client, period, units, **overrides):
    data = {
        "period": period.pk,
        "title": "关于一季度工作推进情况的通报",
        "summary": "总体推进有序，个别单位进度滞后。",
        "rectification_deadline": (today() + timedelta(days=14)).isoformat(),
        "criticised": [units["own"].pk, units["cooperating"].pk],
        "praised_units": [units["stranger"].pk],
    }
    data.update(overrides)
    return client.post(reverse("notices:circular_create"), data)


def test_a_circular_from_draft_to_publication(client, personas, units, period, candidates):
    client.force_login(personas[OFFICE])
    response = post_circular(client, period, units)
    circular = Circular.objects.get()
    assert response.status_code == 302
    assert response.url == circular.get_absolute_url()
    assert circular.status == "draft"
    assert list(circular.praised_units.all()) == [units["stranger"]]
    named = {c.unit: set(c.items.values_list("title", flat=True)) for c in circular.criticisms.all()}
    assert named == {
        units["own"]: {"完善校园安全设施", "开展环保进校园"},
        units["cooperating"]: {"整治校园周边摊点"},
    }

    # A draft is the office's alone.
    for persona in (OWN, INSPECTOR):
        client.force_login(personas[persona])
        assert client.get(circular.get_absolute_url()).status_code == 404
        assert circular.title not in client.get(reverse("notices:circular_list")).content.decode()

    client.force_login(personas[OFFICE])
    draft_page = client.get(circular.get_absolute_url()).content.decode()
    assert 'id="publish-form"' in draft_page
    assert "草稿" in draft_page
    response = client.post(reverse("notices:circular_publish", args=[circular.pk]))
    assert response.status_code == 302
    assert any("通报已发布" in m for m in messages_of(response))

    circular.refresh_from_db()
    assert circular.status == "published"
    assert circular.published_at is not None
    rectifications = {c.unit: c.rectification_item for c in Criticism.objects.filter(circular=circular)}
    for unit in (units["own"], units["cooperating"]):
        item = rectifications[unit]
        assert item.kind == DutyItem.Kind.RECTIFICATION
        assert item.unit == unit
        assert item.deadline == today() + timedelta(days=14)
    every_unit = Unit.objects.filter(active=True).exclude(kind__in=[Unit.Kind.COLLECTIVE, Unit.Kind.SCHOOL])
    notified = set(Notice.objects.filter(circular=circular).values_list("unit_id", flat=True))
    assert notified == set(every_unit.values_list("pk", flat=True))
    assert ItemEvent.objects.filter(kind=ItemEvent.Kind.CIRCULATED).count() == 3

    page = client.get(circular.get_absolute_url()).content.decode()
    for item in rectifications.values():
        assert f'href="{item.get_absolute_url()}"' in page
    assert 'id="publish-form"' not in page

    # Published: everyone signed in reads it; a liaison gets a link to their own unit's rectification only.
    client.force_login(personas[OWN])
    assert circular.title in client.get(reverse("notices:circular_list")).content.decode()
    page = client.get(circular.get_absolute_url()).content.decode()
    assert f'href="{rectifications[units["own"]].get_absolute_url()}"' in page
    assert f'href="{rectifications[units["cooperating"]].get_absolute_url()}"' not in page

    # Publishing twice is refused with the service's message.
    client.force_login(personas[OFFICE])
    again = client.post(reverse("notices:circular_publish", args=[circular.pk]))
    assert any("已经发布" in m for m in messages_of(again))
    assert DutyItem.objects.filter(kind=DutyItem.Kind.RECTIFICATION).count() == 2


def test_the_circular_page_is_printable(client, personas, units, period, candidates):
    client.force_login(personas[OFFICE])
    post_circular(client, period, units, criticised=[units["own"].pk])
    circular = Circular.objects.get()
    client.post(reverse("notices:circular_publish", args=[circular.pk]))
    circular.refresh_from_db()

    page = client.get(circular.get_absolute_url()).content.decode()
    assert '<style media="print">' in page
    assert ".site-header" in page
    assert "奉节县义务教育优质均衡发展工作通报" in page
    assert "关于一季度工作推进情况的通报" in page
    assert period.label in page
    assert "总体推进有序，个别单位进度滞后。" in page
    praised = page.split('id="praised"')[1].split("</section>")[0]
    assert units["stranger"].name in praised
    criticised = page.split('id="criticised"')[1].split("</section>")[0]
    assert units["own"].name in criticised
    assert units["cooperating"].name not in criticised
    for key in ("own_a", "own_b"):
        item = candidates[key]
        assert item.title in criticised
        assert item.deadline.strftime("%Y年%-m月%-d日") in criticised
    deadline = today() + timedelta(days=14)
    assert f"{deadline.year}年{deadline.month}月{deadline.day}日" in page
    published = timezone.localtime(circular.published_at).date()
    assert f"{published.year}年{published.month}月{published.day}日发布" in page


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"rectification_deadline": "2020-01-01"}, "整改期限不能早于今天"),
        ({"praised_units": ["own"]}, "同一单位不能既表扬又点名"),
        ({"criticised": [], "praised_units": []}, "通报至少要表扬或点名一个单位"),
        ({"title": ""}, "请填写通报标题"),
        ({"criticised": ["stranger"]}, "已不在通报候选中"),
    ],
)
def test_a_refused_draft_keeps_what_was_typed(client, personas, units, period, candidates, overrides, error):
    overrides = {
        key: [units[v].pk for v in value] if isinstance(value, list) else value for key, value in overrides.items()
    }
    client.force_login(personas[OFFICE])
    response = post_circular(client, period, units, **overrides)
    assert response.status_code == 400
    page = response.content.decode()
    assert error in page
    assert "总体推进有序，个别单位进度滞后。" in page  # the summary typed is kept
    if "title" not in overrides:
        assert 'value="关于一季度工作推进情况的通报"' in page
    assert not Circular.objects.exists()


def test_an_unknown_period_is_refused(client, personas):
    client.force_login(personas[OFFICE])
    response = client.get(reverse("notices:circular_create"), {"period": 999999})
    assert response.status_code == 400
    assert "没有这个周期" in response.content.decode()


# --- the board ----------------------------------------------------------------------------------------------------


def test_the_board_shows_circulars_published_in_the_last_30_days(client, personas, period):
    make = Circular.objects.create
    common = {"period": period, "rectification_deadline": today(), "created_by": personas[OFFICE]}
    recent = make(title="最近的通报", status="published", published_at=timezone.now() - timedelta(days=3), **common)
    make(title="上季度的通报", status="published", published_at=timezone.now() - timedelta(days=40), **common)
    make(title="未发布的草稿", **common)
    client.force_login(personas[OWN])
    page = client.get(reverse("board:mine")).content.decode()
    banner = page.split('id="circular-banner"')[1].split("</section>")[0]
    assert "最近的通报" in banner
    assert f'href="{recent.get_absolute_url()}"' in banner
    assert "上季度的通报" not in page
    assert "未发布的草稿" not in page


def test_no_banner_without_recent_circulars(client, personas):
    client.force_login(personas[OWN])
    assert 'id="circular-banner"' not in client.get(reverse("board:mine")).content.decode()


def test_the_office_urges_ticked_items_from_the_board(client, personas, units):
    items = [make_item(units["own"], days=-4), make_item(units["cooperating"], days=2)]
    client.force_login(personas[OFFICE])
    assert 'value="urge"' in client.get(reverse("board:mine")).content.decode()
    response = client.post(
        reverse("board:bulk"),
        {"action": "urge", "items": [i.pk for i in items], "message": "请加快进度", "querystring": "light=red"},
    )
    assert response.status_code == 302
    assert response.url == f"{reverse('board:mine')}?light=red"
    assert any("已催办 2 项任务" in m for m in messages_of(response))
    assert set(Notice.objects.filter(kind=Notice.Kind.URGING).values_list("item_id", flat=True)) == {
        i.pk for i in items
    }
    assert ItemEvent.objects.filter(kind=ItemEvent.Kind.URGED, text="请加快进度").count() == 2


def test_a_board_urging_needs_a_message_and_keeps_the_ticks(client, personas, units):
    item = make_item(units["own"], days=-4)
    client.force_login(personas[OFFICE])
    response = client.post(reverse("board:bulk"), {"action": "urge", "items": [item.pk], "message": " "})
    assert response.status_code == 200
    assert any("请填写催办内容" in m for m in messages_of(response))
    assert f'value="{item.pk}" aria-label="选择 {item.title}" checked' in response.content.decode()
    assert not Notice.objects.filter(kind=Notice.Kind.URGING).exists()


@pytest.mark.parametrize("persona", [OWN, INSPECTOR])
def test_board_urging_is_refused_to_all_but_the_office(client, personas, units, persona):
    item = make_item(units["own"], days=-4)
    client.force_login(personas[persona])
    response = client.post(reverse("board:bulk"), {"action": "urge", "items": [item.pk], "message": "请加快"})
    assert response.status_code == 403
    assert 'value="urge"' not in client.get(reverse("board:mine")).content.decode()
    assert not Notice.objects.filter(kind=Notice.Kind.URGING).exists()
