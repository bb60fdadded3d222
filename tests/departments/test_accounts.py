"""Least privilege for people's accounts: no way up through the admin, a unit person's password reset on
Taskboard's page (recorded, changed at the next login), everyone changes their own password, the role groups
hold exactly what the code lists."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from departments.models import Membership, PasswordChangeRequired, PasswordReset
from departments.roles import GROUP_NAMES, CrossUnitRole, ensure_role_groups

pytestmark = pytest.mark.django_db

User = get_user_model()


def change_url(user):
    return reverse("admin:auth_user_change", args=[user.pk])


def admin_form(user, **changes):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("role", ["plan_office", "government_office", "assessment_reader", "inspector"])
def test_a_cross_unit_role_cannot_make_itself_superuser(client, personas, role):
    me = personas[role]
    client.force_login(me)
    response = client.post(change_url(me), admin_form(me, is_superuser="on", is_staff="on"))
    assert response.status_code in (302, 403)  # the login page of the admin, or refused
    me.refresh_from_db()
    assert not me.is_superuser
    assert me.is_staff == (role == "plan_office")  # as its role made it, no more


def test_the_administrators_role_edits_names_but_never_privileges(client, personas):
    administrator, liaison = personas["administrator"], personas["own_liaison"]
    client.force_login(administrator)
    page = client.get(change_url(liaison)).content.decode()
    for field in ("is_superuser", "is_staff", "groups", "user_permissions"):
        assert f'name="{field}"' not in page
    posted = admin_form(liaison, first_name="王五", is_superuser="on", is_staff="on", groups=[Group.objects.first().pk])
    assert client.post(change_url(liaison), posted).status_code == 302
    liaison.refresh_from_db()
    assert liaison.first_name == "王五"
    assert (liaison.is_superuser, liaison.is_staff, liaison.groups.count()) == (False, False, 0)
    # Its own account and other offices' accounts are out of its reach.
    for person in (administrator, personas["government_office"]):
        assert client.post(change_url(person), admin_form(person, is_superuser="on")).status_code == 403
        person.refresh_from_db()
        assert not person.is_superuser
    assert client.get(reverse("admin:auth_user_add")).status_code == 403
    assert client.get(reverse("admin:auth_group_change", args=[Group.objects.first().pk])).status_code in (200, 403)
    group = Group.objects.get(name=GROUP_NAMES[CrossUnitRole.ADMINISTRATOR])
    before = set(group.permissions.values_list("pk", flat=True))
    client.post(reverse("admin:auth_group_change", args=[group.pk]), {"name": group.name, "permissions": [1, 2, 3]})
    assert set(group.permissions.values_list("pk", flat=True)) == before


@pytest.mark.parametrize("role", ["administrator", "plan_office"])
def test_only_a_superuser_sets_another_persons_password_in_the_admin(client, personas, role):
    victim = personas["government_office"]
    old_hash = victim.password
    client.force_login(personas[role])
    url = reverse("admin:auth_user_password_change", args=[victim.pk])
    response = client.post(url, {"password1": "Takeover-2028!", "password2": "Takeover-2028!"})
    assert response.status_code in (302, 403)
    victim.refresh_from_db()
    assert victim.password == old_hash
    root = User.objects.create_superuser("root", password="pw-for-tests")
    client.force_login(root)
    assert client.get(url).status_code == 200


def test_the_plan_office_resets_a_unit_persons_password_which_must_be_changed(client, personas, units):
    liaison, plan_office = personas["own_liaison"], personas["plan_office"]
    client.force_login(plan_office)
    unit_page = client.get(units["own"].get_absolute_url()).content.decode()
    assert reverse("departments:reset_password", args=[liaison.pk]) in unit_page
    response = client.post(reverse("departments:reset_password", args=[liaison.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    password = response.context["password"]
    assert password in response.content.decode()
    assert PasswordReset.objects.filter(person=liaison, reset_by=plan_office).count() == 1
    assert PasswordChangeRequired.objects.filter(user=liaison).exists()

    client.logout()
    logged_in = client.post(reverse("login"), {"username": liaison.username, "password": password})
    assert logged_in.status_code == 302
    home = client.get(reverse("home"))
    assert home.status_code == 302
    assert home.url == reverse("password_change")
    assert client.get(reverse("board:mine")).url == reverse("password_change")
    changed = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "qingshan-lvshui-2028", "new_password2": "qingshan-lvshui-2028"},
    )
    assert changed.status_code == 302
    assert not PasswordChangeRequired.objects.filter(user=liaison).exists()
    assert client.get(reverse("home")).status_code == 200


def test_offices_passwords_are_not_reset_on_taskboards_page(client, personas, units):
    from departments.services import add_member

    office = personas["government_office"]
    add_member(office, units["own"], Membership.Role.LEADER)  # even a member of a unit, it holds a cross-unit role
    client.force_login(personas["plan_office"])
    unit_page = client.get(units["own"].get_absolute_url()).content.decode()
    assert reverse("departments:reset_password", args=[office.pk]) not in unit_page
    old_hash = office.password
    assert client.post(reverse("departments:reset_password", args=[office.pk])).status_code == 403
    office.refresh_from_db()
    assert office.password == old_hash
    client.force_login(personas["government_office"])  # not the plan office: no button, no reset
    assert client.post(reverse("departments:reset_password", args=[personas["own_liaison"].pk])).status_code == 403
    assert not PasswordReset.objects.exists()


def test_people_imported_with_a_password_change_it_first(townships_and_import):
    user = User.objects.get(username="zhangsan")
    assert PasswordChangeRequired.objects.filter(user=user).exists()


@pytest.fixture
def townships_and_import(plan):
    from io import BytesIO

    from departments.imports import import_people
    from departments.imports.files import Upload

    rows = "用户名,姓名,单位,角色,邮箱,电话,初始密码\nzhangsan,张三,县教委,联络员,,,\n"
    return import_people(Upload("people.csv", "csv", BytesIO(rows.encode("utf-8")).getvalue()))


@pytest.mark.parametrize(
    ("password", "message"),
    [("12345678901234", "只包含数字"), ("abc12", "密码太短：至少需要 10 个字符"), ("password123", "太常见")],
)
def test_a_new_password_suits_the_rules(client, personas, password, message):
    client.force_login(personas["own_liaison"])
    response = client.post(
        reverse("password_change"),
        {"old_password": "pw-for-tests", "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200
    assert message in response.content.decode()


def test_the_role_groups_hold_exactly_what_the_code_lists(plan):
    group = Group.objects.get(name=GROUP_NAMES[CrossUnitRole.INSPECTOR])
    extra = Permission.objects.get(content_type__app_label="auth", codename="change_user")
    group.permissions.add(extra)  # granted by hand in the admin
    changes = ensure_role_groups(verbosity=0)
    assert changes == {group.name: ([], ["auth.change_user"])}
    assert not group.permissions.filter(pk=extra.pk).exists()
    assert ensure_role_groups(verbosity=0) == {}


def test_the_plan_office_opens_cycles_but_holds_none_of_the_offices_other_powers(personas):
    from departments import access

    plan_office = personas["plan_office"]
    assert access.can_open_cycles(plan_office)
    assert not access.is_office(plan_office)  # no assigning, extending, withdrawing, urging, circulars
    assert access.can_open_item(plan_office, "rectification")
    assert not access.can_open_item(plan_office, "ad_hoc")


def test_the_login_page_names_the_plans_county(client, plan):
    page = client.get(reverse("login")).content.decode()
    assert "奉节县义务教育优质均衡发展" in page


# --- memberships and imports never reach an office's account (a membership gives a unit's powers) ----------------


def membership_form(user, unit, role="liaison"):
    return {"user": user.pk, "unit": unit.pk, "role": role, "phone": ""}


@pytest.mark.parametrize("role", ["plan_office", "administrator"])
def test_the_people_keepers_cannot_make_themselves_or_an_office_a_units_liaison(client, personas, units, role):
    keeper = personas[role]
    client.force_login(keeper)
    root = User.objects.create_superuser("root", password="pw-for-tests")
    for person in (keeper, personas["government_office"], root):
        response = client.post(reverse("admin:departments_membership_add"), membership_form(person, units["stranger"]))
        assert response.status_code == 200
        assert "不能为本人或工作人员、跨单位角色账号设置单位职务" in response.content.decode()
        assert not Membership.objects.filter(user=person, unit=units["stranger"]).exists()
    # A unit person is still theirs to place.
    liaison = personas["own_liaison"]
    response = client.post(reverse("admin:departments_membership_add"), membership_form(liaison, units["stranger"]))
    assert response.status_code == 302
    assert Membership.objects.filter(user=liaison, unit=units["stranger"]).exists()


def test_the_units_inline_refuses_an_office_account_too(client, personas, units):
    keeper = personas["plan_office"]
    client.force_login(keeper)
    unit = units["stranger"]
    page = client.get(reverse("admin:departments_unit_change", args=[unit.pk]))
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and not isinstance(value, list)}
    data.update({"name": unit.name, "kind": unit.kind, "active": "on", "in_leadership_group": "on"})
    prefix = "memberships"
    existing = list(unit.memberships.all())
    data.update({f"{prefix}-TOTAL_FORMS": len(existing) + 1, f"{prefix}-INITIAL_FORMS": len(existing)})
    for index, membership in enumerate(existing):
        data.update(
            {
                f"{prefix}-{index}-id": membership.pk,
                f"{prefix}-{index}-unit": unit.pk,
                f"{prefix}-{index}-user": membership.user_id,
                f"{prefix}-{index}-role": membership.role,
            }
        )
    new = len(existing)
    data.update({f"{prefix}-{new}-unit": unit.pk, f"{prefix}-{new}-user": keeper.pk, f"{prefix}-{new}-role": "liaison"})
    response = client.post(reverse("admin:departments_unit_change", args=[unit.pk]), data)
    assert response.status_code == 200
    assert not Membership.objects.filter(user=keeper, unit=unit).exists()


def test_an_import_changes_no_office_account(personas):
    from io import BytesIO

    from departments.imports import import_people
    from departments.imports.files import Upload

    root = User.objects.create_superuser("root", password="pw-for-tests", email="root@example.gov.cn")
    rows = f"用户名,姓名,单位,角色,邮箱\n{root.username},Hacked,县税务局,联络员,evil@example.test\n"
    result = import_people(Upload("people.csv", "csv", BytesIO(rows.encode("utf-8")).getvalue()))
    assert not result.ok
    assert any("是工作人员或跨单位角色账号" in error.message for error in result.errors)
    root.refresh_from_db()
    assert (root.first_name, root.email) != ("Hacked", "evil@example.test")
    assert not root.memberships.exists()


def test_a_person_granted_a_permission_of_their_own_is_not_reset_by_the_plan_office(client, personas):
    person = personas["own_liaison"]
    person.user_permissions.add(Permission.objects.get(codename="assign_item"))
    client.force_login(personas["plan_office"])
    response = client.post(reverse("departments:reset_password", args=[person.pk]))
    assert response.status_code in (403, 404)
    assert not PasswordReset.objects.filter(person=person).exists()


def test_a_superuser_may_reset_and_place_anyone_the_keepers_only_unit_people(personas):
    from departments import access

    root = User.objects.create_superuser("root", password="pw-for-tests")
    keeper, office, liaison = personas["plan_office"], personas["government_office"], personas["own_liaison"]
    everyone = [keeper.pk, office.pk, liaison.pk]
    assert access.can_reset_password_of(root, office)
    assert access.people_whose_password_may_be_reset(root, everyone) == set(everyone)
    assert access.people_whose_password_may_be_reset(keeper, everyone) == {liaison.pk}
    assert access.people_whose_password_may_be_reset(liaison, everyone) == set()
    assert access.may_give_memberships_to(root, office)
    assert access.may_give_memberships_to(keeper, liaison)
    assert not access.may_give_memberships_to(keeper, keeper)
    assert not access.may_give_memberships_to(keeper, office)
    assert access.offices_among(User.objects.filter(pk__in=[*everyone, root.pk])) == {keeper.pk, office.pk, root.pk}
