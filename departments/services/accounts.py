"""People's passwords: generated ones (imports, resets) must be changed at the next login; resets are recorded."""

from django.db import transaction
from django.utils.crypto import get_random_string

from .. import access
from ..models import PasswordChangeRequired, PasswordReset

# No 0/O, 1/l/I: a password read out on the telephone or copied from paper comes through.
PASSWORD_CHARS = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105  (an alphabet)
GENERATED_LENGTH = 12


def generate_password():
    return get_random_string(GENERATED_LENGTH, PASSWORD_CHARS)


def require_password_change(user, reason):
    """``user`` chooses a password of their own before anything else at their next login."""
    PasswordChangeRequired.objects.update_or_create(user=user, defaults={"reason": reason[:100]})


def must_change_password(user):
    return PasswordChangeRequired.objects.filter(user=user).exists()


def password_changed(user):
    """The person chose their own password: nothing more is required of them."""
    PasswordChangeRequired.objects.filter(user=user).delete()


@transaction.atomic
def reset_password(by, person):
    """Give ``person`` (a unit's person) a new generated password, to change at their next login; recorded.
    Returns the password, which is shown once and stored nowhere. Staff, superusers and cross-unit accounts are
    refused: only a superuser sets their passwords, in the admin."""
    access.require(
        access.can_reset_password_of(by, person),
        "只能为各单位的人员重置密码；管理人员和督办角色的密码只能由超级管理员设置。",
    )
    password = generate_password()
    person.set_password(password)
    person.save(update_fields=["password"])
    require_password_change(person, "密码已由他人重置")
    PasswordReset.objects.create(person=person, reset_by=by)
    return password
