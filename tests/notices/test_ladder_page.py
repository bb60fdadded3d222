"""The escalation ladder on its own page (/notices/ladder/): the government office lists, adds, edits and removes
rungs with Chinese messages; every other role gets 403; the preview of tomorrow is the sweep's own choice and
writes nothing; the page costs the same queries for 2 and 12 items reaching a rung (the sweep, and so the
preview, runs one query per active rung: the ladder has a handful).
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notices.models import Delivery, Notice, Rung
from notices.services import sweep_deadlines

pytestmark = pytest.mark.django_db

OFFICE = "government_office"
OTHERS = [
    "inspector",
    "plan_office",
    "assessment_reader",
    "administrator",
    "leadership",
    "own_liaison",
    "cooperating_liaison",
    "stranger_liaison",
    "no_unit",
]


def tomorrow():
    return timezone.localdate() + timedelta(days=1)


def valid(**changes):
    data = {
        "name": "逾期14天升级",
        "applies_to": "deadline",
        "offset_days": "14",
        "repeat_every_days": "",
        "notify_liaisons": "on",
        "notify_government_office": "on",
        "in_app": "on",
        "active": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def ladder_urls(rung):
    return [
        reverse("notices:ladder"),
        reverse("notices:rung_create"),
        reverse("notices:rung_edit", args=[rung.pk]),
        reverse("notices:rung_delete", args=[rung.pk]),
    ]


def test_the_office_opens_every_ladder_page(client, personas):
    client.force_login(personas[OFFICE])
    for url in ladder_urls(Rung.objects.first()):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", OTHERS)
def test_no_other_role_opens_or_posts_to_the_ladder(client, personas, persona):
    rung = Rung.objects.get(name="逾期催报")
    client.force_login(personas[persona])
    for url in ladder_urls(rung):
        response = client.get(url)
        assert response.status_code == 403, url
    assert client.post(reverse("notices:rung_create"), valid()).status_code == 403
    assert client.post(reverse("notices:rung_edit", args=[rung.pk]), valid(name="改名")).status_code == 403
    assert client.post(reverse("notices:rung_delete", args=[rung.pk])).status_code == 403
    assert not Rung.objects.filter(name__in=["逾期14天升级", "改名"]).exists()
    assert Rung.objects.filter(pk=rung.pk, active=True).exists()


def test_the_nav_links_the_ladder_for_the_office_only(client, personas):
    client.force_login(personas[OFFICE])
    assert reverse("notices:ladder") in client.get(reverse("notices:inbox")).content.decode()
    client.force_login(personas["inspector"])
    assert reverse("notices:ladder") not in client.get(reverse("notices:inbox")).content.decode()


def test_the_office_adds_a_rung_that_the_sweep_then_uses(client, personas, make_due_item):
    client.force_login(personas[OFFICE])
    response = client.post(reverse("notices:rung_create"), valid())
    assert response.status_code == 302
    assert response.url == reverse("notices:ladder")
    rung = Rung.objects.get(name="逾期14天升级")
    assert (rung.offset_days, rung.notify_government_office, rung.email) == (14, True, False)
    item = make_due_item(timezone.localdate() - timedelta(days=15))
    sweep_deadlines()
    assert Notice.objects.get(item=item, kind=Notice.Kind.RUNG).rung == rung


def test_the_office_edits_a_rung(client, personas):
    rung = Rung.objects.get(name="逾期催报")
    client.force_login(personas[OFFICE])
    response = client.post(
        reverse("notices:rung_edit", args=[rung.pk]), valid(name="逾期催报", offset_days="4", repeat_every_days="5")
    )
    assert response.status_code == 302
    rung.refresh_from_db()
    assert (rung.offset_days, rung.repeat_every_days, rung.notify_unit_leaders) == (4, 5, False)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "请填写阶梯名称。"),
        ({"offset_days": ""}, "请填写天数。"),
        ({"offset_days": "abc"}, "天数须为整数。"),
        ({"offset_days": "400"}, "天数须在 -60 到 365 之间。"),
        ({"repeat_every_days": "0"}, "重复间隔须在 1 到 365 天之间；只发一次请留空。"),
        ({"offset_days": "-3", "repeat_every_days": "2"}, "截止前的提醒只发一次"),
        ({"applies_to": "unsigned", "offset_days": "0"}, "未签收提醒按交办后的天数计，至少为 1 天。"),
        ({"applies_to": "unsigned", "offset_days": "2", "repeat_every_days": "2"}, "未签收提醒每项任务只发一次"),
        ({"applies_to": "weekly"}, "请选择适用的任务。"),
        ({"notify_liaisons": None, "notify_government_office": None}, "请至少选择一类通知对象。"),
        ({"in_app": None}, "请至少选择一种发送方式：站内通知或电子邮件。"),
    ],
)
def test_a_refused_rung_says_why_in_chinese_and_saves_nothing(client, personas, changes, message):
    client.force_login(personas[OFFICE])
    before = list(Rung.objects.order_by("pk").values())
    response = client.post(reverse("notices:rung_create"), valid(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert list(Rung.objects.order_by("pk").values()) == before


def test_a_rung_that_never_sent_is_deleted_after_confirmation(client, personas):
    rung = Rung.objects.create(name="试用", offset_days=10)
    client.force_login(personas[OFFICE])
    page = client.get(reverse("notices:rung_delete", args=[rung.pk])).content.decode()
    assert "确认删除" in page
    assert Rung.objects.filter(pk=rung.pk).exists()
    response = client.post(reverse("notices:rung_delete", args=[rung.pk]))
    assert response.status_code == 302
    assert not Rung.objects.filter(pk=rung.pk).exists()


def test_a_rung_that_sent_notices_is_switched_off_not_deleted(client, personas, make_due_item):
    item = make_due_item(timezone.localdate() - timedelta(days=3))
    sweep_deadlines()
    rung = Notice.objects.get(item=item, kind=Notice.Kind.RUNG).rung
    client.force_login(personas[OFFICE])
    assert "确认停用" in client.get(reverse("notices:rung_delete", args=[rung.pk])).content.decode()
    client.post(reverse("notices:rung_delete", args=[rung.pk]))
    rung.refresh_from_db()
    assert rung.active is False
    assert Notice.objects.filter(item=item, rung=rung).exists()


def test_the_preview_names_tomorrows_rung_and_people_and_writes_nothing(client, personas, make_due_item, leader):
    # Due tomorrow + 7: tomorrow it reaches 到期前7天提醒 (liaisons only). Due tomorrow: 到期未完成 (with leaders).
    week = make_due_item(tomorrow() + timedelta(days=7), title="七天后到期的任务")
    due = make_due_item(tomorrow(), title="明天到期的任务")
    quiet = make_due_item(tomorrow() + timedelta(days=30), title="下月到期的任务")
    client.force_login(personas[OFFICE])
    counts = (Notice.objects.count(), Delivery.objects.count())
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("notices:ladder")).content.decode()
    assert not [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert (Notice.objects.count(), Delivery.objects.count()) == counts
    rows = {row.split('data-item="')[1].split('"')[0]: row for row in page.split('<tr class="preview-row"')[1:]}
    assert set(rows) == {str(week.pk), str(due.pk)}
    assert str(quiet.pk) not in rows
    assert "到期前7天提醒" in rows[str(week.pk)]
    assert "own" in rows[str(week.pk)]
    assert "leader" not in rows[str(week.pk)]
    assert "到期未完成" in rows[str(due.pk)]
    assert "leader" in rows[str(due.pk)]
    # What the sweep writes tomorrow is what the preview said.
    sweep_deadlines(today=tomorrow())
    assert dict(Notice.objects.filter(kind=Notice.Kind.RUNG).values_list("item_id", "rung__name")) == {
        week.pk: "到期前7天提醒",
        due.pk: "到期未完成",
    }


def test_the_preview_leaves_out_a_switched_off_rung(client, personas, make_due_item):
    item = make_due_item(tomorrow() + timedelta(days=7))
    Rung.objects.filter(name="到期前7天提醒").update(active=False)
    client.force_login(personas[OFFICE])
    page = client.get(reverse("notices:ladder")).content.decode()
    assert f'data-item="{item.pk}"' not in page
    assert "明天没有任务到达任何一级阶梯。" in page


def test_the_ladder_page_costs_the_same_queries_for_2_and_12_items(
    client, personas, make_due_item, units, count_queries
):
    client.force_login(personas[OFFICE])
    url = reverse("notices:ladder")
    for _ in range(2):
        make_due_item(tomorrow())
    client.get(url)  # warm the per-process caches (content types, site)
    few = count_queries(lambda: client.get(url))
    for index in range(10):
        make_due_item(tomorrow() + timedelta(days=7), unit=units["stranger" if index % 2 else "cooperating"])
    many = count_queries(lambda: client.get(url))
    assert few == many
