"""Importing people: user accounts and their memberships in units. Every row is checked before anything is written.

Memberships go through ``services.add_member``, so the object permissions they give
follow by the membership signal, in the same transaction.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower

from .. import access
from ..forms import ROLE_BY_LABEL, PersonRowForm
from ..models import Membership, Unit
from ..services import add_member, generate_password, require_password_change
from .common import Column, ImportResult, RowError, UnitLookup, describe_matches, validate_rows

PERSON_COLUMNS = (
    Column("username", "用户名", required=True, aliases=("登录名", "账号", "帐号"), help="登录用，文件内不能重复"),
    Column("full_name", "姓名", required=True, aliases=("名字",), help="如“张三”"),
    Column("unit", "单位", required=True, aliases=("所在单位", "单位名称"), help="已有单位的全称或简称"),
    Column("role", "角色", required=True, aliases=("职务",), help="联络员、分管领导 或 主要负责人"),
    Column("phone", "手机", aliases=("手机号", "手机号码", "联系电话", "电话"), help="可不填；11 位手机号码"),
    Column("email", "邮箱", aliases=("电子邮箱", "电子邮件", "email", "e-mail"), help="可不填"),
    Column(
        "password",
        "初始密码",
        aliases=("密码",),
        help="可不填：不填时自动生成并只显示一次；已有用户的密码不会被修改",
    ),
)
ROLE_LABELS = {role: label for label, role in ROLE_BY_LABEL.items()}


@dataclass
class PersonPlan:
    number: int
    data: dict
    user: object
    unit: Unit
    status: str


def import_people(upload, *, dry_run=False):
    """Create or update the people of ``upload`` (an accepted ``Upload``) and add their memberships."""
    result = ImportResult(noun="用户", dry_run=dry_run)
    rows = validate_rows(upload, PERSON_COLUMNS, PersonRowForm, result)
    plans = _plan(rows, result)
    result.sort_errors(PERSON_COLUMNS)
    if result.errors:
        return result
    if dry_run:
        generated = sum(1 for plan in plans if plan.user is None and not plan.data["password"])
        if generated:
            result.notes.append(f"将为 {generated} 个新用户自动生成初始密码（正式导入时显示）")
        return result
    try:
        with transaction.atomic():
            for plan in plans:
                _write(plan, result)
    except IntegrityError:
        result.passwords.clear()
        result.errors.append(RowError(None, None, "保存时与他人同时进行的修改冲突，没有导入任何数据；请重新导入"))
    return result


@dataclass
class Known:
    """What the database already holds, read once for the whole file."""

    users: dict
    offices: set  # ids of accounts an import never changes (staff, superusers, cross-unit roles: access)
    folded: dict
    units: UnitLookup
    memberships: dict

    @classmethod
    def load(cls, rows):
        User = get_user_model()
        names = {row.data["username"] for row in rows if "username" in row.data}
        users = {user.username: user for user in User.objects.filter(username__in=names)}
        offices = access.offices_among(User.objects.filter(username__in=names))
        lowered = User.objects.annotate(lowered=Lower("username")).filter(lowered__in={n.lower() for n in names})
        memberships = Membership.objects.filter(user__in=list(users.values()))
        return cls(
            users=users,
            offices=offices,
            folded={user.username.lower(): user.username for user in lowered},
            units=UnitLookup(Unit.objects.all()),
            memberships={
                (user_id, unit_id, role): phone
                for user_id, unit_id, role, phone in memberships.values_list("user_id", "unit_id", "role", "phone")
            },
        )


def _plan(rows, result):
    known = Known.load(rows)
    seen, plans = {}, []
    for row in rows:
        errors, user, unit = _check(row, known, seen)
        if errors or not row.valid:
            result.errors.extend(errors)
            continue
        data, number, username = row.data, row.number, row.data["username"]
        if user is not None and data["password"]:
            result.notes.append(f"第 {number} 行：用户“{username}”已存在，其密码没有修改")
        key = (user.pk if user else None, unit.pk, data["role"])
        new_membership = key not in known.memberships
        if new_membership:
            result.memberships_created += 1
        status = "created" if user is None else _status(user, data, new_membership, known.memberships.get(key))
        role = Membership.Role(data["role"])
        result.record(number, status, f"{data['full_name']}（{username}），{unit.name}{ROLE_LABELS[role]}")
        plans.append(PersonPlan(number, data, user, unit, status))
    return plans


def _check(row, known, seen):
    """The errors of one row beyond its form's (duplicates, unknown unit, weak password), its user and unit."""
    data, number, errors = row.data, row.number, []
    username = data.get("username")
    user = known.users.get(username) if username else None
    if username:
        folded = username.lower()
        if folded in seen:
            errors.append(RowError(number, "用户名", f"“{username}”与第 {seen[folded]} 行重复"))
        seen.setdefault(folded, number)
        if user is None and folded in known.folded:
            other = known.folded[folded]
            errors.append(RowError(number, "用户名", f"与已有用户“{other}”只差大小写，请改用“{other}”"))
    if user is not None and user.pk in known.offices:
        message = f"“{username}”是工作人员或跨单位角色账号，导入不能修改它或为它设置单位职务；请联系超级管理员"
        errors.append(RowError(number, "用户名", message))
    unit = _find_unit(data["unit"], number, known.units, errors) if data.get("unit") else None
    if username and user is None and data.get("password"):
        User = get_user_model()
        candidate = User(username=username, first_name=data.get("full_name", ""), email=data.get("email", ""))
        try:
            validate_password(data["password"], user=candidate)
        except ValidationError as invalid:
            errors.extend(RowError(number, "初始密码", message) for message in invalid.messages)
    return errors, user, unit


def _find_unit(reference, number, units, errors):
    matches = units.find(reference)
    message = describe_matches(reference, matches)
    if message is None:
        unit = matches[0]
        if unit.kind == Unit.Kind.COLLECTIVE:
            message = f"“{reference}”是集合单位，请填写具体的单位（如某个乡镇或街道）"
        elif not unit.active:
            message = f"单位“{unit.name}”已停用"
        else:
            return unit
    errors.append(RowError(number, "单位", message))
    return None


def _name_changed(user, full_name):
    return full_name not in (user.get_full_name(), f"{user.last_name}{user.first_name}")


def _status(user, data, new_membership, phone):
    changed = (
        new_membership
        or _name_changed(user, data["full_name"])
        or (data["email"] and data["email"] != user.email)
        or (data["phone"] and data["phone"] != phone)
    )
    return "updated" if changed else "unchanged"


def _write(plan, result):
    data = plan.data
    user = plan.user
    if user is None:
        password = data["password"] or generate_password()
        user = get_user_model().objects.create_user(
            username=data["username"], email=data["email"], password=password, first_name=data["full_name"]
        )
        if not data["password"]:
            result.passwords[user.username] = password
        # The importer knows the first password (generated or written in the file): the person chooses their own.
        require_password_change(user, "导入时设定的初始密码")
    else:
        fields = []
        if _name_changed(user, data["full_name"]):
            user.first_name, user.last_name = data["full_name"], ""
            fields += ["first_name", "last_name"]
        if data["email"] and data["email"] != user.email:
            user.email = data["email"]
            fields.append("email")
        if fields:
            user.save(update_fields=fields)
    add_member(user, plan.unit, data["role"], phone=data["phone"])
