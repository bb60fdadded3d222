"""Lockout after repeated failed logins (django-axes through audit.lockout): a limit per person and one per address,
the login page's Chinese answer, the cool-off, lifting a lock, and the address read behind a proxy."""

import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from audit.models import AccessEvent
from departments.roles import CrossUnitRole

from ..conftest import create_user

PASSWORD = "pw-for-tests"
NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
WRONG = "Wrong username or password. Please try again."


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def person(db):
    return create_user("zhangsan")


def log_in(client, username, password=PASSWORD, address="127.0.0.1", **headers):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


def logged_in(client):
    return "_auth_user_id" in client.session


def fail(client, username, times, address="127.0.0.1"):
    return [log_in(client, username, "wrong-password", address).status_code for _ in range(times)]


def page_text(response):
    return response.content.decode()


def test_thirty_wrong_passwords_lock_the_person_even_against_the_right_one(client, person, frozen):
    limit = settings.LOCKOUT_USER_FAILURES
    statuses = fail(client, "zhangsan", 30)
    # Refused with the login page's usual message until the limit, then with the lockout (429).
    assert statuses == [200] * (limit - 1) + [429] * (31 - limit)

    response = log_in(client, "zhangsan")

    assert response.status_code == 429
    assert not logged_in(client)
    text = page_text(response)
    assert "该账号登录失败次数过多，已暂时锁定。请于 10:15 后再试" in text  # 15 minutes after the limit was reached
    assert 'id="lockout-message"' in text
    assert 'name="password"' in text  # the normal login page, not axes' English one
    assert "Account locked" not in text
    assert response["Retry-After"] == str(15 * 60)
    # Attempts while locked were not counted: the lock does not move.
    assert AccessAttempt.objects.get(username="zhangsan").failures_since_start == limit


def test_the_person_is_locked_from_every_address(client, person, frozen):
    fail(client, "zhangsan", settings.LOCKOUT_USER_FAILURES, address="10.0.0.1")

    response = log_in(client, "zhangsan", address="10.0.0.2")

    assert response.status_code == 429
    assert not logged_in(client)


def test_fewer_failures_than_the_limit_leave_the_door_open(client, person, frozen):
    fail(client, "zhangsan", settings.LOCKOUT_USER_FAILURES - 1)

    response = log_in(client, "zhangsan")

    assert response.status_code == 302
    assert logged_in(client)


def test_eighty_attempts_over_forty_usernames_lock_the_address(client, person, frozen):
    limit = settings.LOCKOUT_ADDRESS_FAILURES
    statuses = [
        log_in(client, f"guess{number:02d}", "wrong-password", address="203.0.113.9").status_code
        for _round in range(2)
        for number in range(40)
    ]
    assert statuses == [200] * (limit - 1) + [429] * (80 - limit + 1)

    response = log_in(client, "zhangsan", address="203.0.113.9")

    assert response.status_code == 429
    assert "您所在的网络地址登录失败次数过多" in page_text(response)
    assert not logged_in(client)
    # The person themselves is not locked: from another address they log in.
    assert log_in(client, "zhangsan", address="198.51.100.7").status_code == 302


def test_the_lock_ends_after_the_cool_off(client, person, frozen):
    fail(client, "zhangsan", settings.LOCKOUT_USER_FAILURES)
    frozen.shift(settings.AXES_COOLOFF_TIME - timedelta(seconds=1))
    assert log_in(client, "zhangsan").status_code == 429

    frozen.shift(timedelta(seconds=2))
    response = log_in(client, "zhangsan")

    assert response.status_code == 302
    assert logged_in(client)


def test_failures_spread_beyond_the_cool_off_do_not_add_up(client, person, frozen):
    for _attempt in range(settings.LOCKOUT_USER_FAILURES):
        fail(client, "zhangsan", 1)
        frozen.shift(settings.AXES_COOLOFF_TIME + timedelta(seconds=1))

    assert log_in(client, "zhangsan").status_code == 302


def test_a_successful_login_does_not_clear_the_address_failures(client, person, frozen):
    """Otherwise one's own account would reset the count between guesses at others'."""
    limit = settings.LOCKOUT_ADDRESS_FAILURES
    for number in range(limit - 1):
        log_in(client, f"guess{number:02d}", "wrong-password", address="203.0.113.9")
    assert log_in(client, "zhangsan", address="203.0.113.9").status_code == 302
    client.logout()

    assert log_in(client, "guess99", "wrong-password", address="203.0.113.9").status_code == 429


def test_a_locked_out_attempt_through_the_admin_login_gets_the_lockout_page(client, person, frozen):
    fail(client, "zhangsan", settings.LOCKOUT_USER_FAILURES)

    response = client.post(reverse("admin:login"), {"username": "zhangsan", "password": PASSWORD})

    assert response.status_code == 429
    assert "已暂时锁定" in page_text(response)


# --- lifting a lock ------------------------------------------------------------------------------------------------


@pytest.fixture
def administrator(db):
    return create_user("sysadmin", cross_role=CrossUnitRole.ADMINISTRATOR)


def test_an_administrator_sees_and_lifts_a_persons_lock(client, person, administrator, frozen):
    fail(client, "zhangsan", settings.LOCKOUT_USER_FAILURES)
    admin_client = type(client)()
    admin_client.force_login(administrator)

    page = admin_client.get(reverse("audit:lockouts"))
    assert page.status_code == 200
    assert 'data-kind="username" data-value="zhangsan"' in page_text(page)
    assert "锁定至 10:15" in page_text(page)

    response = admin_client.post(reverse("audit:unlock"), {"username": "zhangsan"}, REMOTE_ADDR="10.1.1.1", follow=True)

    assert "已解除账号 zhangsan 的登录锁定" in page_text(response)
    assert log_in(client, "zhangsan").status_code == 302
    event = AccessEvent.objects.get(kind=AccessEvent.Kind.UNLOCKED)
    assert (event.user, event.detail, event.address) == (administrator, "账号 zhangsan", "10.1.1.1")


def test_an_administrator_lifts_an_addresss_lock(client, person, administrator, frozen):
    for number in range(settings.LOCKOUT_ADDRESS_FAILURES):
        log_in(client, f"guess{number:02d}", "wrong-password", address="203.0.113.9")
    assert log_in(client, "zhangsan", address="203.0.113.9").status_code == 429
    admin_client = type(client)()
    admin_client.force_login(administrator)

    admin_client.post(reverse("audit:unlock"), {"address": "203.0.113.9"})

    assert log_in(client, "zhangsan", address="203.0.113.9").status_code == 302


def test_a_superuser_may_lift_a_lock(client, person, frozen):
    fail(client, "zhangsan", settings.LOCKOUT_USER_FAILURES)
    root = create_user("root", is_superuser=True, is_staff=True)
    admin_client = type(client)()
    admin_client.force_login(root)

    assert admin_client.post(reverse("audit:unlock"), {"username": "zhangsan"}).status_code == 302
    assert log_in(client, "zhangsan").status_code == 302


@pytest.mark.parametrize("role", [CrossUnitRole.PLAN_OFFICE, CrossUnitRole.GOVERNMENT_OFFICE, None])
def test_nobody_else_lifts_a_lock(client, person, role, frozen):
    fail(client, "zhangsan", settings.LOCKOUT_USER_FAILURES)
    other = create_user("other", cross_role=role)
    other_client = type(client)()
    other_client.force_login(other)

    assert other_client.post(reverse("audit:unlock"), {"username": "zhangsan"}).status_code == 403
    assert other_client.get(reverse("audit:lockouts")).status_code == 403
    assert log_in(client, "zhangsan").status_code == 429


def test_an_unlock_names_one_person_or_one_address(client, administrator):
    client.force_login(administrator)

    response = client.post(reverse("audit:unlock"), {"username": "a", "address": "10.0.0.1"}, follow=True)

    assert "请指定一个账号或一个网络地址。" in page_text(response)
    assert not AccessEvent.objects.filter(kind=AccessEvent.Kind.UNLOCKED).exists()


def test_the_axes_reset_commands_lift_locks_on_the_server(client, person, frozen):
    fail(client, "zhangsan", settings.LOCKOUT_USER_FAILURES)

    call_command("axes_reset_username", "zhangsan", stdout=io.StringIO())

    assert log_in(client, "zhangsan").status_code == 302


# --- the address behind a proxy ------------------------------------------------------------------------------------


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(client, person, frozen):
    """A client cannot escape the address limit by inventing X-Forwarded-For."""
    for number in range(settings.LOCKOUT_ADDRESS_FAILURES):
        log_in(client, f"guess{number:02d}", "wrong", address="203.0.113.9", HTTP_X_FORWARDED_FOR=f"10.9.0.{number}")

    assert log_in(client, "zhangsan", address="203.0.113.9", HTTP_X_FORWARDED_FOR="10.9.9.9").status_code == 429


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_address_it_saw_is_counted(client, person, frozen):
    """nginx appends the address it received from; what the client wrote before it is not believed."""
    proxy = "127.0.0.1"
    for number in range(settings.LOCKOUT_ADDRESS_FAILURES):
        spoofed = f"10.9.0.{number}, 203.0.113.9"
        log_in(client, f"guess{number:02d}", "wrong", address=proxy, HTTP_X_FORWARDED_FOR=spoofed)

    assert log_in(client, "zhangsan", address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429
    assert log_in(client, "zhangsan", address=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}


def test_guessing_the_old_password_on_the_change_page_counts_as_failed_logins(client, person, frozen):
    """A stolen session cannot guess the password it would change: wrong old passwords lock the person like logins."""
    client.force_login(person)
    new = {"new_password1": "Zq8!vLm2pRt7", "new_password2": "Zq8!vLm2pRt7"}
    statuses = [
        client.post(reverse("password_change"), {"old_password": f"guess-{n}", **new}).status_code for n in range(8)
    ]
    limit = settings.LOCKOUT_USER_FAILURES
    assert statuses == [200] * (limit - 1) + [429] * (8 - limit + 1)
    # Locked: the right old password is refused as well, and the failures are in the audit trail.
    assert client.post(reverse("password_change"), {"old_password": PASSWORD, **new}).status_code == 429
    person.refresh_from_db()
    assert person.check_password(PASSWORD)
    assert AccessEvent.objects.filter(username="zhangsan", kind=AccessEvent.Kind.LOGIN_FAILED).count() >= limit - 1


def test_the_admins_password_change_is_taskboards(client, person):
    client.force_login(person)
    response = client.get("/admin/password_change/")
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change")
