"""Demo data for the quick start: one account per role, one liaison per unit, sample townships, and the plan's
history so far as a time-lapse.

Every demo account is in the 演示账号 group, which the authentication backend
refuses unless DEBUG is on, so printed passwords are useless in production.
The working-day calendar gets the statutory holidays of the years chinese-calendar covers, from the plan's start on.
Then the plan is played from 1 January of the year after it was issued up to yesterday (``simulation``, with
``DEMO_SCHOOLS`` schools): the demo accounts are the people of the simulation, so every page a new user opens
shows years of history — cycles, reports, returns, extensions, urgings, circulars, published assessments, the
schools' yearly figures and their rectification items, notices in the inboxes. Today a unit asks for an
extension and a unit leader adds an instruction.
Idempotent: running it again changes nothing but the passwords it sets.
"""

import datetime
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from departments.backends import DEMO_GROUP_NAME
from departments.models import Membership, Unit
from departments.roles import CrossUnitRole
from departments.services import add_member, grant_role
from simulation.engine import simulate
from simulation.schools import add_sample_townships
from workdays import statutory
from workdays.services import load_statutory_calendar
from workflows import services
from workflows.models import DutyItem, Period, Plan

DEMO_SCHOOLS = 24  # the time-lapse's schools: enough for trends and coefficients, few enough for a quick start
DEMO_SEED = 2028
DEMO_PASSWORD = "demo2028"  # noqa: S105  (printed on purpose; demo accounts log in only with DEBUG)

ROLE_ACCOUNTS = [
    ("office", "政府办 督查员", CrossUnitRole.GOVERNMENT_OFFICE),
    ("inspector", "督导室 检查员", CrossUnitRole.INSPECTOR),
    ("planoffice", "领导小组办公室 干事", CrossUnitRole.PLAN_OFFICE),
    ("assessor", "考核办 干事", CrossUnitRole.ASSESSMENT_READER),
    ("admin", "系统管理员", CrossUnitRole.ADMINISTRATOR),
    ("leader", "领导小组 组长", CrossUnitRole.LEADERSHIP),
]
UNIT_LEADER = ("leader01", "分管领导")  # of the first unit (liaison01's): the unit's summary and 批示


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    description: str


@transaction.atomic
def load_demo_data(progress=None):
    """Create the demo accounts and sample units, play the plan so far; returns the accounts to print.
    ``progress(number, total, day)`` is told of each simulated day."""
    plan = Plan.objects.order_by("-imported_at").first()
    if plan is None:
        raise ValueError("请先导入实施方案（manage.py import_plan），再加载演示数据。")
    demo_group, _created = Group.objects.get_or_create(name=DEMO_GROUP_NAME)
    accounts = []
    users = {}
    for username, full_name, role in ROLE_ACCOUNTS:
        users[username] = _demo_user(username, full_name, demo_group)
        grant_role(users[username], role)
        accounts.append(DemoAccount(username, DEMO_PASSWORD, CrossUnitRole(role).label))
    _load_calendar(plan, users["office"])  # before the cycles: deadlines in working days count its holidays
    add_sample_townships()  # before the liaisons: each township gets one
    units = Unit.objects.exclude(kind=Unit.Kind.COLLECTIVE).filter(active=True).order_by("kind", "name")
    for number, unit in enumerate(units, start=1):
        username = f"liaison{number:02d}"
        user = _demo_user(username, f"{unit} 联络员", demo_group)
        add_member(user, unit, Membership.Role.LIAISON)
        accounts.append(DemoAccount(username, DEMO_PASSWORD, f"联络员：{unit.name}"))
        if number == 1:
            leader_name, label = UNIT_LEADER
            users[leader_name] = _demo_user(leader_name, f"{unit} {label}", demo_group)
            add_member(users[leader_name], unit, Membership.Role.LEADER)
            accounts.append(DemoAccount(leader_name, DEMO_PASSWORD, f"{label}：{unit.name}"))
    if _play_history(plan, progress):
        _sample_working_day(users["leader01"])
    return accounts


def _play_history(plan, progress):
    """The plan from the year after it was issued up to yesterday, once (a second run plays nothing).
    Returns whether it played."""
    if Period.objects.filter(plan=plan).exists():
        return False
    start = datetime.date(plan.issued_on.year + 1, 1, 1)
    end = min(timezone.localdate() - timedelta(days=1), datetime.date(plan.target_year, 12, 31))
    if end >= start:
        simulate(start=start, end=end, seed=DEMO_SEED, schools=DEMO_SCHOOLS, plan=plan, progress=progress)
    return True


def _load_calendar(plan, office):
    """The statutory holidays and 调休 days of the years the package covers, from the plan's start to this year."""
    start = min([plan.issued_on, *plan.phases.values_list("starts_on", flat=True)])
    load_statutory_calendar(office, statutory.covered_years(start.year, timezone.localdate().year))


def _demo_user(username, full_name, demo_group):
    user_model = get_user_model()
    user, _created = user_model.objects.get_or_create(username=username, defaults={"first_name": full_name})
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    user.groups.add(demo_group)
    return user


def _sample_working_day(unit_leader):
    """Today, on top of the history: a unit asks for an extension (the office's home page has one to decide) and a
    unit leader gives an instruction (批示), so every home page has something of today on it."""
    this_year = timezone.localdate().year
    this_years = DutyItem.objects.filter(period__year=this_year).select_related("unit", "assignee")
    asking = (
        this_years.filter(stage=DutyItem.Stage.REPORTING, assignee__isnull=False, extension_requests__isnull=True)
        .order_by("unit__name", "pk")
        .first()
    )
    if asking is not None:
        services.request_extension(
            asking.assignee,
            asking,
            requested_deadline=asking.deadline + timedelta(days=30),
            reason="需协调多部门联合检查，申请顺延一个月。",
        )
    led = this_years.filter(unit__in=unit_leader.memberships.values("unit"))
    first = led.order_by("deadline", "pk").first()
    if first is not None:
        services.give_instruction(unit_leader, first, text="请按期高质量完成，遇到困难及时报告。")
