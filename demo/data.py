"""Demo data for the quick start: one account per role, one liaison per unit, sample townships, two cycles.

Every demo account is in the 演示账号 group, which the authentication backend
refuses unless DEBUG is on, so printed passwords are useless in production.
Last year's cycle is opened too, with a few items taken through the flow, so the
board shows every traffic light, and the deadline sweep runs once so there are notices.
Last year's assessment is computed and published, this year's computed as a draft. Eleven sample
schools get two years of figures (demo.schools).
The working-day calendar gets the statutory holidays of the years chinese-calendar covers, from the plan's start on.
Idempotent: running it again changes nothing but the passwords it sets.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from assessments import services as assessments
from assessments.models import AssessmentRun
from departments.backends import DEMO_GROUP_NAME
from departments.models import Membership, Unit
from departments.roles import CrossUnitRole
from departments.services import add_member, grant_role
from indicators.services.rectification import raise_rectifications
from notices.services import sweep_deadlines
from workdays import statutory
from workdays.services import load_statutory_calendar
from workflows import services
from workflows.models import DutyItem, Period, Plan

from .schools import load_demo_schools

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

# Marked as samples: the real townships and streets come by bulk import.
SAMPLE_TOWNSHIPS = ["永安街道", "夔门街道", "白帝镇"]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    description: str


@transaction.atomic
def load_demo_data():
    """Create the demo accounts, sample units and cycles; returns the accounts to print."""
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
    _add_sample_townships()
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
    this_year = timezone.localdate().year
    load_demo_schools([this_year - 2, this_year - 1])  # after the liaisons: the schools have none (县教委 answers)
    if _sample_cycles(plan, users["office"], users["inspector"]):
        _sample_working_day(users["leader01"])
    # Last year's shortfalls become rectification items (raised once: a second run raises nothing).
    raise_rectifications(users["planoffice"], this_year - 1, timezone.localdate() + timedelta(days=60))
    sweep_deadlines()  # the overdue items' notices, so inboxes are not empty; the worker delivers them
    _sample_assessments(users["assessor"])
    return accounts


def _load_calendar(plan, office):
    """The statutory holidays and 调休 days of the years the package covers, from the plan's start to this year."""
    start = min([plan.issued_on, *plan.phases.values_list("starts_on", flat=True)])
    load_statutory_calendar(office, statutory.covered_years(start.year, timezone.localdate().year))


def _sample_assessments(assessor):
    """Last year's assessment published, and this year's so far as a draft, so the department's pages have data."""
    this_year = timezone.localdate().year
    if not AssessmentRun.objects.filter(year=this_year - 1).exclude(status=AssessmentRun.Status.DRAFT).exists():
        assessments.publish(assessor, assessments.start_run(assessor, this_year - 1))
    assessments.start_run(assessor, this_year)


def _demo_user(username, full_name, demo_group):
    user_model = get_user_model()
    user, _created = user_model.objects.get_or_create(username=username, defaults={"first_name": full_name})
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    user.groups.add(demo_group)
    return user


def _add_sample_townships():
    collective = Unit.objects.filter(kind=Unit.Kind.COLLECTIVE).order_by("pk").first()
    for name in SAMPLE_TOWNSHIPS:
        township, _created = Unit.objects.get_or_create(
            name=name, defaults={"kind": Unit.Kind.TOWNSHIP, "is_sample": True}
        )
        if collective is not None:
            collective.member_units.add(township)


def _sample_cycles(plan, office, inspector):
    """Last year's and this year's cycles; on first run, some of last year's items go through the flow.
    Returns whether it was the first run."""
    this_year = timezone.localdate().year
    first_run = not Period.objects.filter(plan=plan, year=this_year - 1).exists()
    services.open_cycle(office, plan, year=this_year - 1)
    services.open_cycle(office, plan, year=this_year)
    if not first_run:
        return False
    last_year = DutyItem.objects.filter(period__year=this_year - 1).select_related("unit", "assignee")
    items = [item for item in last_year.order_by("unit__name", "pk") if item.assignee is not None][:9]
    for number, item in enumerate(items):
        services.submit_report(item.assignee, item, text=f"{item.unit}已按要求完成，附工作台账。")
        if number % 3 == 0:
            services.inspect_item(inspector, item, accepted=True, reasons="材料齐全。")
        elif number % 3 == 1:
            new_deadline = timezone.localdate() + timedelta(days=5)
            services.inspect_item(inspector, item, accepted=False, reasons="缺少佐证材料。", new_deadline=new_deadline)
    return True


def _sample_working_day(unit_leader):
    """This year's items as a working week leaves them: some signed for, an extension asked, one handed back,
    and a unit leader's instruction, so every home page has something on it."""
    this_year = timezone.localdate().year
    items = [
        item
        for item in DutyItem.objects.filter(period__year=this_year, stage=DutyItem.Stage.SIGNING)
        .select_related("unit", "assignee")
        .order_by("unit__name", "pk")
        if item.assignee is not None
    ]
    for item in items[:6]:
        services.sign_item(item.assignee, item)
    if len(items) > 7:
        asking = items[6]
        services.sign_item(asking.assignee, asking)
        services.request_extension(
            asking.assignee,
            asking,
            requested_deadline=asking.deadline + timedelta(days=30),
            reason="需协调多部门联合检查，申请顺延一个月。",
        )
        services.hand_back_item(items[7].assignee, items[7], reason="不属于本单位职责：该项工作由县教委牵头。")
    led = DutyItem.objects.filter(period__year=this_year, unit__in=unit_leader.memberships.values("unit"))
    first = led.order_by("deadline", "pk").first()
    if first is not None:
        services.give_instruction(unit_leader, first, text="请按期高质量完成，遇到困难及时报告。")
