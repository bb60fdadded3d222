"""Who may see or do what: the one place that says it.

Views, services, filters, templates (through ``context_processors.abilities``) and links ask the predicates
here; none spells a permission or works out "my units" itself.

**Cross-unit roles** (the government office, inspectors, the plan office, the organisation department,
administrators) are Django groups holding global permissions (``roles.ROLE_PERMISSIONS``); each predicate
below names the capability and the one permission behind it.

**Unit roles** come from memberships: a unit's liaisons, leaders and heads hold guardian object permissions
on their unit (``view_unit``; liaisons also ``act_for_unit``), kept in step with memberships by
``services.memberships``. Nobody holds those globally.

**Collectives.** A collective (各乡镇（街道）) is named on duties on behalf of its *active* member units, the real
townships and streets. Upwards, a township acts and sees wherever its collective is named
(``with_collectives``); downwards, a collective named on an item stands for its active members
(``Unit.objects.active_members_of``). A township made inactive no longer speaks for its collective; its own
items stay visible to its people. Both directions are written once, here and in ``departments.querysets``.

Look-ups of a person's units are cached on the user object for the request (one query each), and dropped
when their memberships change (``forget``).

**Superusers** hold every cross-unit capability (Django gives them every permission) but act for no unit they
are not a member of: reporting, contributing and a unit's own pages follow memberships only, so that every
report on an item comes from a person of a unit and is on that unit's record.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied

from .models import Membership, Unit

# Permissions some code outside Python must name (viewflow's task permissions, the role table).
OFFICE_PERMISSION = "workflows.assign_item"
OPEN_CYCLE_PERMISSION = "workflows.open_cycle"
MANAGE_PEOPLE_PERMISSION = "departments.manage_people"
INSPECT_PERMISSION = "workflows.inspect_item"
INSTRUCT_PERMISSION = "workflows.give_instruction"  # the leadership group's leaders: 批示 on every unit's items
ACT_FOR_UNIT = "act_for_unit"  # object permission on a Unit: the liaisons'
ACT_FOR_UNIT_PERMISSION = f"departments.{ACT_FOR_UNIT}"
VIEW_UNIT = "view_unit"  # object permission on a Unit: every member's

_CACHE = "_taskboard_access"


# --- the person ------------------------------------------------------------------------------------------------


def is_signed_in(user):
    return user is not None and user.is_authenticated and user.is_active


def _has(user, permission):
    return is_signed_in(user) and user.has_perm(permission)


# --- cross-unit capabilities -----------------------------------------------------------------------------------


def sees_every_unit(user):
    """Every unit's page and people: the cross-unit roles."""
    return _has(user, "departments.view_unit")


def sees_every_item(user):
    """Every unit's items, the office's overviews (督办看板, 逾期督办) and viewflow's pages: the cross-unit roles."""
    return _has(user, "workflows.view_dutyitem")


def is_office(user):
    """The government office: opens cycles, assigns, extends, reassigns, withdraws, urges (催办), issues circulars
    (通报), resends failed notices."""
    return _has(user, OFFICE_PERMISSION)


def maintains_calendar(user):
    """The government office keeps the working-day calendar: statutory holidays, 调休 days, the years it covers."""
    return is_office(user)


def maintains_ladder(user):
    """The government office keeps the escalation ladder (催办阶梯): adds, edits, switches off and removes rungs, and
    previews what the next sweep would send."""
    return is_office(user)


def can_open_cycles(user):
    """The government office and the plan office: open a period's cycle (the plan office does nothing else of the
    office's: it neither assigns, extends, withdraws, urges nor issues circulars)."""
    return _has(user, OPEN_CYCLE_PERMISSION)


def can_open_item(user, kind):
    """Create an item by hand: the office any kind; the plan office a rectification item from the 问题清单."""
    return is_office(user) or (kind == "rectification" and can_raise_shortfalls(user))


def gives_instructions(user):
    """The leadership group's leaders (组长、副组长): instructions (批示) on every unit's items."""
    return _has(user, INSTRUCT_PERMISSION)


def sees_plan_progress(user):
    """The plan's progress year by year (方案实施进度): those who answer for the plan as a whole — the government
    office, the leadership group's leaders (组长、副组长) and its office (领导小组办公室, the plan office: the one role
    that raises shortfalls). Not inspectors, the organisation department, administrators (IT) or a unit's people."""
    return is_office(user) or gives_instructions(user) or can_raise_shortfalls(user)


def can_inspect(user):
    """Inspectors: accept an item or return it for rework."""
    return _has(user, INSPECT_PERMISSION)


def can_import_units(user):
    return _has(user, "departments.add_unit")


def can_import_people(user):
    """The plan office and administrators keep the people of units: imports, a unit person's password reset."""
    return _has(user, MANAGE_PEOPLE_PERMISSION)


def holds_cross_unit_role(person):
    """A staff account, a superuser, a member of a cross-unit role's group (an office, not a unit's person), or an
    account granted a permission of its own: only superusers change what such an account is or may do."""
    from .roles import roles_of

    return person.is_staff or person.is_superuser or bool(roles_of(person)) or person.user_permissions.exists()


def may_give_memberships_to(user, person):
    """Make ``person`` a member of a unit (which gives that unit's powers): superusers anyone; the people keepers
    (the admin's membership pages, imports) only unit people — never themselves, never an office's account."""
    if user.is_superuser and is_signed_in(user):
        return True
    return person.pk != user.pk and not holds_cross_unit_role(person)


def can_reset_password_of(user, person):
    """Reset a unit person's password (recorded; they change it at their next login): never a staff, superuser or
    cross-unit account, whose passwords only superusers set."""
    if user.is_superuser and is_signed_in(user):
        return True
    return (
        can_import_people(user)
        and person.pk != user.pk
        and not holds_cross_unit_role(person)
        and person.memberships.exists()
    )


def uses_admin(user):
    """May open Django's admin (which checks each model's permissions itself)."""
    return is_signed_in(user) and user.is_staff


def reads_audit_trail(user):
    """Administrators (系统管理员) and superusers: the audit trail of changes, logins and denied accesses."""
    return _has(user, "audit.read_audit_trail")


def unlocks_logins(user):
    """Administrators and superusers: lift the lockout of a person or an address after repeated failed logins."""
    return _has(user, "audit.unlock_logins")


def _offices(people):
    """The accounts among the ``people`` queryset that ``holds_cross_unit_role`` would name."""
    from django.db.models import Q

    from .roles import GROUP_NAMES

    office = (
        Q(is_staff=True)
        | Q(is_superuser=True)
        | Q(groups__name__in=GROUP_NAMES.values())
        | Q(user_permissions__isnull=False)
    )
    return people.filter(office)


def offices_among(people):
    """The ids among the ``people`` queryset that ``holds_cross_unit_role`` would name, in one query."""
    return set(_offices(people).values_list("pk", flat=True))


def people_whose_password_may_be_reset(user, people_ids):
    """The ids among ``people_ids`` whose password ``user`` may reset (``can_reset_password_of``), in one query."""
    from django.contrib.auth import get_user_model

    if not can_import_people(user):
        return set()
    people = get_user_model().objects.filter(pk__in=people_ids).exclude(pk=user.pk)
    if not user.is_superuser:
        people = people.filter(memberships__isnull=False).exclude(pk__in=_offices(people).values("pk"))
    return set(people.values_list("pk", flat=True))


def sees_every_school(user):
    """Every school's figures, the indicator dashboard and its charts."""
    return _has(user, "indicators.view_schoolyearfigures")


def can_import_school_figures(user):
    return _has(user, "indicators.add_schoolyearfigures")


def can_edit_school_figures(user):
    return _has(user, "indicators.change_schoolyearfigures")


def can_raise_shortfalls(user):
    """Turn a year's shortfalls into rectification items (问题清单)."""
    return _has(user, "indicators.raise_shortfalls")


def sees_every_rectification(user):
    """Every school's rows of the 问题台账."""
    return _has(user, "indicators.view_shortfall")


def enters_every_county_figure(user):
    """Every county-level figure, whichever unit the plan makes responsible for it."""
    return _has(user, "indicators.change_countyfigure")


def sees_rectification_ledger(user):
    """The 问题台账: the cross-unit roles (every school's rows), a school's people and the education commission's
    (the rows whose items they can open)."""
    if sees_every_rectification(user):
        return True
    kinds = [Unit.Kind.SCHOOL, Unit.Kind.EDUCATION_COMMISSION]
    return is_signed_in(user) and Unit.objects.filter(pk__in=own_unit_ids(user), kind__in=kinds).exists()


def reads_self_evaluation_reports(user):
    return _has(user, "indicators.view_selfevaluationreport")


def can_generate_self_evaluation_report(user):
    return _has(user, "indicators.add_selfevaluationreport")


def manages_assessment(user):
    """The organisation department (考核办): the scheme, drafts, computing and publishing."""
    return _has(user, "assessments.manage_assessment")


def manages_api_tokens(user):
    """The organisation department (考核办) issues, lists and revokes the API tokens of its own systems."""
    return manages_assessment(user)


def sees_every_assessment_result(user):
    """Every unit's published score: the organisation department and the government office."""
    return _has(user, "assessments.view_assessmentrun")


# --- the person's units ----------------------------------------------------------------------------------------


def _cached(user, key, compute):
    # getattr/setattr, not __dict__: request.user is a lazy object that passes them on to the real user.
    cache = getattr(user, _CACHE, None)
    if cache is None:
        cache = {}
        setattr(user, _CACHE, cache)
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def forget(user):
    """Drop what was worked out about ``user``'s units and permissions (after their memberships changed)."""
    for name in (_CACHE, "_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        if hasattr(user, name):
            delattr(user, name)


def _units_with(user, codename):
    from guardian.shortcuts import get_objects_for_user

    if not is_signed_in(user):
        return frozenset()
    units = get_objects_for_user(
        user, f"departments.{codename}", klass=Unit, accept_global_perms=False, with_superuser=False
    )
    return frozenset(units.values_list("pk", flat=True))


def own_unit_ids(user):
    """The units the person belongs to (liaison, leader or head), never every unit whatever they hold."""
    return _cached(user, "own", lambda: _units_with(user, VIEW_UNIT))


def acting_unit_ids(user):
    """The units the person acts for: reports and contributes on their items (their liaisons)."""
    return _cached(user, "acting", lambda: _units_with(user, ACT_FOR_UNIT))


def with_collectives(unit_ids):
    """``unit_ids`` and every collective of which one of them is an active member."""
    unit_ids = frozenset(unit_ids)
    return unit_ids | Unit.objects.collectives_of(unit_ids)


def visible_unit_ids(user):
    """The units whose items the person sees, owned or cooperating: their own and their collectives."""
    return _cached(user, "visible", lambda: with_collectives(own_unit_ids(user)))


def acts_for(user, unit):
    """The person is a liaison of ``unit`` (a Unit or its id)."""
    unit_id = getattr(unit, "pk", unit)
    return is_signed_in(user) and unit_id in acting_unit_ids(user)


def may_take_unit_task(user, unit):
    """viewflow's ``can_assign`` for an unowned step of ``unit`` (a Unit or its id): the unit's liaisons, and holders
    of the act-for-unit permission globally (superusers among them), as viewflow's object-permission check answers."""
    return acts_for(user, unit) or (is_signed_in(user) and user.has_perm(ACT_FOR_UNIT_PERMISSION))


def contributing_unit(user, item):
    """The cooperating unit the person acts for on ``item``, or None: a unit named as cooperating, or an active
    member township of a collective named as cooperating. Two queries at most, whatever the collective's size."""
    acting = acting_unit_ids(user) if is_signed_in(user) else frozenset()
    if not acting:
        return None
    cooperating = sorted(item.cooperating_units.all(), key=lambda unit: unit.pk)
    for unit in cooperating:
        if unit.pk in acting and not unit.is_collective:
            return unit
    collectives = [unit.pk for unit in cooperating if unit.is_collective]
    if not collectives:
        return None
    return Unit.objects.active_members_of(collectives).filter(pk__in=acting).order_by("pk").first()


def led_unit_ids(user):
    """The units the person answers for as their leader in charge or head (分管领导、主要负责人)."""
    if not is_signed_in(user):
        return frozenset()
    return _cached(
        user, "led", lambda: frozenset(Membership.objects.leaders().filter(user=user).values_list("unit_id", flat=True))
    )


def can_instruct(user, item):
    """批示 on ``item``: the owner unit's leaders and heads, and the leadership group's leaders (every unit's)."""
    return _has(user, INSTRUCT_PERMISSION) or (is_signed_in(user) and item.unit_id in led_unit_ids(user))


def sees_unit(user, unit):
    return sees_every_unit(user) or getattr(unit, "pk", unit) in own_unit_ids(user)


# --- a unit's people -------------------------------------------------------------------------------------------


def liaisons(unit_ids=None):
    """Memberships of the active liaisons of ``unit_ids`` (every unit's if None): who acts for those units."""
    memberships = Membership.objects.liaisons()
    return memberships if unit_ids is None else memberships.filter(unit_id__in=unit_ids)


def liaisons_by_unit(unit_ids):
    """{unit id: [user ids of its active liaisons, lowest first]}."""
    by_unit = {}
    for unit_id, user_id in liaisons(unit_ids).order_by("user_id").values_list("unit_id", "user_id"):
        by_unit.setdefault(unit_id, []).append(user_id)
    return by_unit


def sole_liaisons(unit_ids):
    """{unit id: User} for the units with exactly one active liaison (who becomes their items' assignee)."""
    from django.contrib.auth import get_user_model

    sole = {unit_id: ids[0] for unit_id, ids in liaisons_by_unit(unit_ids).items() if len(ids) == 1}
    users = get_user_model().objects.in_bulk(sole.values())
    return {unit_id: users[user_id] for unit_id, user_id in sole.items()}


def liaison_users(unit_ids=None):
    """The User rows of the active liaisons of ``unit_ids`` (every unit's if None), for choices, by name."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(pk__in=liaisons(unit_ids).values("user_id"))
        .order_by("last_name", "first_name", "username")
    )


# --- refusing ----------------------------------------------------------------------------------------------------


class Refused(PermissionDenied):
    """A refusal whose message is written for the person (in Chinese): the 403 page shows it."""


def require(allowed, message="您没有权限进行此操作。"):
    """Raise ``Refused`` (a PermissionDenied) with ``message`` unless ``allowed``."""
    if not allowed:
        raise Refused(message)


def required(predicate, message="您没有权限查看此页面。"):
    """A view decorator: 403 with ``message`` unless ``predicate(request.user)``. Use after ``login_required``."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            require(predicate(request.user), message)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
