"""The audit trail: every change to the tracked models (who, when, from where, before → after), logins, denied
accesses; the administrators' search pages; the retention purge."""

import io
from datetime import date, timedelta

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessEvent
from audit.tasks import purge_trail_task
from departments.models import Membership, Unit
from departments.roles import CrossUnitRole, group_for
from departments.services import add_member, grant_role
from notices.models import Rung
from workflows import services
from workflows.models import DutyItem

from ..conftest import create_user


def entries_for(obj):
    return LogEntry.objects.get_for_object(obj).order_by("pk")


def last_entry(obj):
    return entries_for(obj).last()


@pytest.fixture
def office(personas):
    return personas["government_office"]


@pytest.fixture
def item(office, units):
    return services.create_ad_hoc_item(
        office, unit=units["own"], title="校园周边环境整治", deadline=date(2030, 1, 1), instructions="按期完成"
    )


# --- changes -------------------------------------------------------------------------------------------------------


def test_an_item_changed_through_a_service_is_recorded_before_and_after(office, item):
    with set_actor(office, remote_addr="10.2.3.4"):  # what audit.middleware does for a request
        services.assign_item(office, item, deadline=date(2030, 3, 1), instructions="三月底前完成", reason="延期")

    entry = last_entry(item)
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.actor == office
    assert entry.remote_addr == "10.2.3.4"
    assert entry.changes["deadline"] == ["2030-01-01", "2030-03-01"]
    assert entry.changes["instructions"] == ["按期完成", "三月底前完成"]
    assert entry.additional_data == {"unit": item.unit_id}
    # The item's own timeline is kept as before.
    assert item.events.filter(kind="deadline_changed").exists()


def test_a_change_through_a_page_names_the_person_and_their_address(client, office, item):
    client.force_login(office)

    response = client.post(
        reverse("workflows:item_assign", kwargs={"pk": item.pk}),
        {"deadline": "2030-02-01", "instructions": "按期完成", "reason": "统一调整"},
        REMOTE_ADDR="10.9.8.7",
    )

    assert response.status_code == 302
    entry = last_entry(item)
    assert (entry.actor, entry.remote_addr) == (office, "10.9.8.7")
    assert entry.changes["deadline"] == ["2030-01-01", "2030-02-01"]


def test_bulk_deadline_changes_are_recorded_item_by_item(office, units, item):
    other = services.create_ad_hoc_item(office, unit=units["stranger"], title="落实减免", deadline=date(2030, 1, 1))

    services.extend_deadlines(office, [item, other], new_deadline=date(2030, 6, 1), reason="统一延期")

    for changed in (item, other):
        assert last_entry(changed).changes == {"deadline": ["2030-01-01", "2030-06-01"]}


def test_an_items_cooperating_units_are_recorded(office, units, item):
    item.cooperating_units.add(units["cooperating"])

    entry = last_entry(item)
    assert entry.changes["cooperating_units"] == {"type": "m2m", "operation": "add", "objects": ["县城管局"]}


def test_a_unit_change_is_recorded(units, office):
    unit = units["own"]
    with set_actor(office):
        unit.short_name = "生态环境"
        unit.save()

    entry = last_entry(unit)
    assert entry.changes["short_name"][1] == "生态环境"
    assert entry.additional_data == {"unit": unit.pk}


def test_a_membership_is_recorded(units, make_user):
    person = make_user("lisi")

    membership = add_member(person, units["own"], Membership.Role.LEADER, phone="13800000000")

    entry = last_entry(membership)
    assert entry.action == LogEntry.Action.CREATE
    assert entry.changes["role"] == ["None", "leader"]
    assert entry.additional_data == {"unit": units["own"].pk, "person": person.pk}
    membership_id = membership.pk
    membership.delete()
    deleted = LogEntry.objects.filter(content_type__model="membership", object_id=membership_id).order_by("pk").last()
    assert deleted.action == LogEntry.Action.DELETE
    assert deleted.additional_data["unit"] == units["own"].pk  # still found by unit once the row is gone


def test_a_role_granted_is_recorded_as_group_and_staff_changes(make_user):
    person = make_user("wangwu")

    grant_role(person, CrossUnitRole.PLAN_OFFICE)

    changes = [entry.changes for entry in entries_for(person)]
    assert {"groups": {"type": "m2m", "operation": "add", "objects": ["领导小组办公室"]}} in changes
    assert {"is_staff": ["False", "True"]} in changes


def test_superuser_status_user_permissions_and_a_groups_permissions_are_recorded(make_user):
    person = make_user("zhaoliu")
    permission = Permission.objects.get(codename="view_unit", content_type__app_label="departments")

    person.is_superuser = True
    person.save()
    person.user_permissions.add(permission)
    group = group_for(CrossUnitRole.INSPECTOR)
    group.permissions.remove(permission)

    changes = [entry.changes for entry in entries_for(person)]
    assert {"is_superuser": ["False", "True"]} in changes
    assert any("user_permissions" in change for change in changes)
    assert last_entry(group).changes["permissions"]["operation"] == "delete"


def test_a_password_change_is_recorded_without_the_hash(make_user):
    person = make_user("sunqi")

    person.set_password("another-long-password")
    person.save()

    assert last_entry(person).changes == {"password": ["（已隐藏）", "（已隐藏）"]}


def test_scoring_schemes_ladder_rungs_and_school_figures_are_tracked():
    from auditlog.registry import auditlog

    from assessments.models import ScoringScheme
    from indicators.models import SchoolYearFigures

    assert all(auditlog.contains(model) for model in (ScoringScheme, Rung, SchoolYearFigures, Unit, DutyItem))


def test_a_rung_change_is_recorded(db):
    rung = Rung.objects.order_by("pk").first()

    rung.offset_days = -5
    rung.save()

    assert "offset_days" in last_entry(rung).changes


# --- logins and denied accesses ------------------------------------------------------------------------------------


def test_a_failed_login_is_recorded_with_the_username_typed(client, make_user):
    person = make_user("zhouba")

    client.post(
        reverse("login"),
        {"username": "zhouba", "password": "wrong"},
        REMOTE_ADDR="10.0.0.5",
        HTTP_USER_AGENT="Mozilla/5.0 测试",
    )
    client.post(reverse("login"), {"username": "nobody-such", "password": "wrong"}, REMOTE_ADDR="10.0.0.5")

    failed = list(AccessEvent.objects.filter(kind=AccessEvent.Kind.LOGIN_FAILED).order_by("pk"))
    assert [(event.user, event.username, event.address) for event in failed] == [
        (person, "zhouba", "10.0.0.5"),
        (None, "nobody-such", "10.0.0.5"),
    ]
    assert failed[0].user_agent == "Mozilla/5.0 测试"
    assert failed[0].at is not None


def test_a_successful_login_is_recorded(client, make_user):
    person = make_user("wujiu")

    credentials = {"username": "wujiu", "password": "pw-for-tests"}
    client.post(reverse("login"), credentials, REMOTE_ADDR="10.0.0.6", HTTP_USER_AGENT="UA")

    event = AccessEvent.objects.get(kind=AccessEvent.Kind.LOGIN)
    assert (event.user, event.username, event.address, event.user_agent, event.path) == (
        person,
        "wujiu",
        "10.0.0.6",
        "UA",
        "/login/",
    )


def test_another_units_item_page_is_a_recorded_denied_access(client, personas, item):
    stranger = personas["stranger_liaison"]
    client.force_login(stranger)

    response = client.get(reverse("workflows:item_detail", kwargs={"pk": item.pk}), REMOTE_ADDR="10.0.0.7")

    assert response.status_code == 404
    event = AccessEvent.objects.get(kind=AccessEvent.Kind.DENIED)
    assert (event.user, event.username, event.address, event.method, event.path, event.status) == (
        stranger,
        "stranger",
        "10.0.0.7",
        "GET",
        f"/plans/items/{item.pk}/",
        404,
    )


def test_a_refused_page_is_a_recorded_denied_access(client, personas):
    client.force_login(personas["own_liaison"])

    assert client.get(reverse("board:matrix")).status_code == 403

    assert AccessEvent.objects.get(kind=AccessEvent.Kind.DENIED).status == 403


def test_a_404_naming_no_object_static_files_and_polling_are_not_recorded(client, personas):
    client.force_login(personas["own_liaison"])

    assert client.get("/no-such-page/").status_code == 404
    assert client.get("/static/no-such-file.css").status_code == 404
    client.get(reverse("notifications:live_unread_notification_count"))

    assert not AccessEvent.objects.filter(kind=AccessEvent.Kind.DENIED).exists()


# --- the search pages ----------------------------------------------------------------------------------------------


@pytest.fixture
def administrator(personas):
    return personas["administrator"]


@pytest.fixture
def reader(client, administrator):
    client.force_login(administrator)
    return client


def test_changes_are_searched_by_person(reader, office, personas, item):
    with set_actor(office):
        services.assign_item(office, item, deadline=date(2030, 3, 1), instructions="新要求", reason="延期")
    with set_actor(personas["plan_office"]):
        Unit.objects.get(name="县税务局").save()  # no change: nothing recorded
        unit = Unit.objects.get(name="县城管局")
        unit.short_name = "城管"
        unit.save()

    response = reader.get(reverse("audit:changes"), {"person": "role-government"})

    rows = response.context["rows"]
    # What they did, and what was done to their account (created, given their role: by the system here).
    assert {row.person for row in rows} == {office.get_username(), "系统"}
    assert {row.entry.object_id for row in rows if row.person == "系统"} == {office.pk}
    assert not [row for row in rows if row.entry.content_type.model == "unit"]
    text = response.content.decode()
    assert "<strong>截止日期</strong>：2030-01-01 → 2030-03-01" in text
    assert "2030-01-01 → 2030-03-01" in text


def test_changes_are_searched_by_unit_object_action_and_date(reader, office, units, item):
    membership = add_member(create_user("qianshi"), units["stranger"], Membership.Role.LIAISON)
    item_type = ContentType.objects.get_for_model(DutyItem)

    by_unit = reader.get(reverse("audit:changes"), {"unit": units["stranger"].pk}).context["rows"]
    by_object = reader.get(reverse("audit:changes"), {"model": item_type.pk, "object_id": item.pk}).context["rows"]
    created = reader.get(reverse("audit:changes"), {"action": 0, "model": item_type.pk}).context["rows"]
    today = timezone.localdate()
    tomorrow = reader.get(reverse("audit:changes"), {"date_from": today + timedelta(days=1)}).context["rows"]
    until_today = reader.get(reverse("audit:changes"), {"date_from": today, "date_to": today}).context["rows"]

    assert ("membership", membership.pk) in {(row.entry.content_type.model, row.entry.object_id) for row in by_unit}
    assert {row.unit for row in by_unit} == {"县税务局"}
    assert item.pk not in {row.entry.object_id for row in by_unit if row.entry.content_type == item_type}
    assert {row.entry.object_id for row in by_object} == {item.pk}
    assert [row.unit for row in by_object] == ["县生态环境局"] * len(by_object)
    assert item.pk in {row.entry.object_id for row in created}
    assert tomorrow == []
    assert len(until_today) >= 2


def test_a_wrong_search_says_so(reader):
    response = reader.get(reverse("audit:changes"), {"date_from": "2030-01-02", "date_to": "2030-01-01"})

    assert response.status_code == 200
    assert "起始日期不能晚于截止日期。" in response.content.decode()
    assert list(response.context["rows"]) == []


def test_access_events_are_searched_by_person_kind_address_unit_and_path(reader, client, personas, units, item):
    stranger = personas["stranger_liaison"]
    other = type(client)()
    other.force_login(stranger)
    other.get(reverse("workflows:item_detail", kwargs={"pk": item.pk}), REMOTE_ADDR="10.0.0.8")
    other.post(reverse("login"), {"username": "zzz", "password": "x"}, REMOTE_ADDR="10.0.0.9")

    def found(**params):
        page = reader.get(reverse("audit:events"), params).context["page_obj"]
        return [(event.kind, event.username) for event in page]

    assert found(person="stranger", kind="denied") == [("denied", "stranger")]
    assert found(address="10.0.0.9") == [("login_failed", "zzz")]
    assert found(unit=units["stranger"].pk, kind="denied") == [("denied", "stranger")]
    assert found(path=f"/items/{item.pk}/") == [("denied", "stranger")]
    assert found(kind="login_failed", person="stranger") == []


def test_the_change_listing_costs_the_same_queries_for_more_rows(reader, office, units, item, count_queries):
    def add_changes(count):
        for number in range(count):
            with set_actor(office):
                unit = Unit.objects.get(pk=units["own"].pk)
                unit.short_name = f"简称{number}-{timezone.now().timestamp()}"
                unit.save()
            add_member(create_user(f"extra{number}-{LogEntry.objects.count()}"), units["own"], "liaison")

    url = reverse("audit:changes")
    add_changes(3)
    few = count_queries(lambda: reader.get(url))
    add_changes(12)
    many = count_queries(lambda: reader.get(url))

    assert few == many
    assert LogEntry.objects.count() > 30


def test_the_event_listing_costs_the_same_queries_for_more_rows(reader, client, personas, item, count_queries):
    stranger = type(client)()
    stranger.force_login(personas["stranger_liaison"])
    url = reverse("audit:events")
    for _ in range(3):
        stranger.get(reverse("workflows:item_detail", kwargs={"pk": item.pk}))
    few = count_queries(lambda: reader.get(url))
    for _ in range(12):
        stranger.get(reverse("workflows:item_detail", kwargs={"pk": item.pk}))
    many = count_queries(lambda: reader.get(url))

    assert few == many


def test_a_superuser_reads_the_trail(client, db):
    client.force_login(create_user("root", is_superuser=True, is_staff=True))

    assert client.get(reverse("audit:changes")).status_code == 200


def test_auditlogs_english_admin_is_not_offered(client, db):
    client.force_login(create_user("root", is_superuser=True, is_staff=True))

    assert client.get("/admin/auditlog/logentry/").status_code == 404
    assert client.get("/admin/axes/accessattempt/").status_code == 404


# --- retention -----------------------------------------------------------------------------------------------------


def age(queryset, field, days):
    queryset.update(**{field: timezone.now() - timedelta(days=days)})


@pytest.fixture
def old_and_new(office, item, client):
    client.post(reverse("login"), {"username": "nobody", "password": "x"})
    age(LogEntry.objects.all(), "timestamp", 400)
    age(AccessEvent.objects.all(), "at", 400)
    with set_actor(office):
        services.assign_item(office, item, deadline=date(2030, 3, 1), instructions="近期", reason="延期")
    client.post(reverse("login"), {"username": "nobody", "password": "y"})
    return LogEntry.objects.filter(timestamp__gte=timezone.now() - timedelta(days=1)).count()


def test_the_purge_command_deletes_rows_older_than_the_retention(old_and_new):
    out = io.StringIO()

    call_command("purge_audit_trail", stdout=out)

    assert LogEntry.objects.count() == old_and_new > 0
    assert AccessEvent.objects.count() == 1
    assert "已删除 365 天前的审计日志" in out.getvalue()


@override_settings(AUDIT_RETENTION_DAYS=500)
def test_the_beat_task_keeps_what_the_retention_keeps(old_and_new):
    assert purge_trail_task() == {"changes": 0, "events": 0}

    call_command("purge_audit_trail", "--days", "30", stdout=io.StringIO())

    assert AccessEvent.objects.count() == 1


def test_the_purge_is_on_beat():
    from django.conf import settings

    assert settings.CELERY_BEAT_SCHEDULE["purge-audit-trail"]["task"] == "audit.purge_trail"


def test_users_deleted_keep_their_trail(make_user, client):
    person = make_user("tmp-person")
    client.post(reverse("login"), {"username": "tmp-person", "password": "pw-for-tests"})

    get_user_model().objects.filter(pk=person.pk).delete()

    event = AccessEvent.objects.get(kind=AccessEvent.Kind.LOGIN)
    assert (event.user, event.username) == (None, "tmp-person")


def test_changes_read_in_chinese_with_names_for_ids(reader, units, make_user):
    person = make_user("zhengshi")
    add_member(person, units["own"], Membership.Role.LEADER)
    grant_role(person, CrossUnitRole.PLAN_OFFICE)

    text = reader.get(reverse("audit:changes"), {"person": "zhengshi"}).content.decode()

    assert "<strong>角色</strong>：— → 分管领导" in text  # a choice's label
    assert "<strong>单位</strong>：— → 县生态环境局" in text  # a unit's name, not its id
    assert "<strong>人员</strong>：— → zhengshi" in text
    assert "新增 领导小组办公室" in text  # a group added
    assert "否 → 是" in text  # is_staff


def test_the_trails_model_speaks_chinese():
    from django.utils import translation

    cjk = range(0x4E00, 0xA000)
    with translation.override("zh-hans"):
        names = [AccessEvent._meta.verbose_name, AccessEvent._meta.verbose_name_plural]
        names += [field.verbose_name for field in AccessEvent._meta.local_fields if field.name != "id"]
        names += [label for _value, label in AccessEvent.Kind.choices]
        assert [str(name) for name in names if not any(ord(char) in cjk for char in str(name))] == []


def test_an_extension_request_and_its_decision_are_recorded_with_unit_and_person(office, item, personas):
    from workflows.models import ExtensionRequest

    liaison = personas["own_liaison"]
    services.request_extension(
        liaison, item, requested_deadline=item.deadline + timedelta(days=30), reason="需协调多部门"
    )
    extension = ExtensionRequest.objects.get(item=item)
    services.decide_extension(office, extension, approve=True)
    entries = LogEntry.objects.get_for_object(extension).order_by("timestamp", "pk")
    assert [entry.action for entry in entries] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]
    assert entries.last().changes_dict["status"] == ["pending", "approved"]
    assert entries.first().additional_data == {"unit": item.unit_id, "person": liaison.pk}


def test_hand_backs_and_calendar_days_are_tracked():
    from auditlog.registry import auditlog

    from workdays.models import CalendarDay
    from workflows.models import HandBack

    assert all(auditlog.contains(model) for model in (HandBack, CalendarDay))
