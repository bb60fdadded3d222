"""The access module: who may see or do what, said once, and asked by the board, the item page and the ledger.

The collective case first: Annex 2's 各乡镇（街道） is named on duties on behalf of its active member townships.
A township's liaison sees and contributes where its collective cooperates; the board's "only where we
cooperate" filter agrees with the list it filters; the item page costs the same queries for 3 townships or 30.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from departments import access
from departments.models import Membership, Unit
from departments.roles import CrossUnitRole
from departments.services import add_member
from workflows import services
from workflows.models import DutyItem, DutyTemplate

pytestmark = pytest.mark.django_db

COLLECTIVE = "各乡镇人民政府（街道办事处）"


def township(name, *, active=True):
    unit = Unit.objects.create(name=name, kind=Unit.Kind.TOWNSHIP, active=active)
    Unit.objects.get(name=COLLECTIVE).member_units.add(unit)
    return unit


@pytest.fixture
def disabled_persons_item(plan, personas):
    """县残联's duty of Annex 2-25.1 (配合乡镇（街道）、教育部门), opened with the collective cooperating."""
    template = DutyTemplate.objects.get(plan=plan, paragraph=25, clause=1)
    assert {unit.name for unit in template.cooperating_units.all()} == {COLLECTIVE, "县教委"}
    return services.create_ad_hoc_item(
        personas["government_office"],
        unit=template.lead_unit,
        title=template.text[:80],
        deadline=timezone.localdate() + timedelta(days=30),
        cooperating_units=list(template.cooperating_units.all()),
    )


def board_items(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("board:mine"), params)
    assert response.status_code == 200
    return set(response.context["page_obj"].paginator.object_list.values_list("pk", flat=True))


def test_a_township_sees_its_collectives_cooperation_on_the_board_and_with_the_filter_ticked(
    client, make_user, disabled_persons_item
):
    liaison = make_user("yongan", unit=township("永安街道"))
    assert disabled_persons_item.pk in board_items(client, liaison)
    assert board_items(client, liaison, cooperating="on") == {disabled_persons_item.pk}


def test_the_cooperation_filter_leaves_out_what_the_unit_owns(client, make_user, units, personas):
    deadline = timezone.localdate() + timedelta(days=5)
    office = personas["government_office"]
    owned = services.create_ad_hoc_item(office, unit=units["own"], title="本单位承办", deadline=deadline)
    helped = services.create_ad_hoc_item(
        office, unit=units["stranger"], title="本单位配合", deadline=deadline, cooperating_units=[units["own"]]
    )
    liaison = personas["own_liaison"]
    assert board_items(client, liaison) == {owned.pk, helped.pk}
    assert board_items(client, liaison, cooperating="on") == {helped.pk}


def test_an_inactive_township_no_longer_speaks_for_its_collective(client, make_user, disabled_persons_item):
    liaison = make_user("closed", unit=township("已撤并镇", active=False))
    assert disabled_persons_item.pk not in board_items(client, liaison)
    assert access.contributing_unit(liaison, disabled_persons_item) is None
    client.force_login(liaison)
    assert client.get(disabled_persons_item.get_absolute_url()).status_code == 404


def test_a_township_contributes_for_its_collective_and_only_its_liaison(make_user, disabled_persons_item):
    yongan = township("永安街道")
    liaison = make_user("yongan", unit=yongan)
    leader = make_user("yongan-leader", unit=yongan, role=Membership.Role.LEADER)
    assert access.contributing_unit(liaison, disabled_persons_item) == yongan
    assert access.contributing_unit(leader, disabled_persons_item) is None  # sees the item, does not act
    report = services.add_contribution(liaison, disabled_persons_item, text="已摸排本街道适龄残疾儿童。")
    assert report.unit == yongan


def item_page_queries(client, count_queries, user, item):
    client.force_login(user)
    url = item.get_absolute_url()
    client.get(url)  # warm: sessions, content types
    return count_queries(lambda: client.get(url))


def test_the_item_page_costs_the_same_queries_for_3_townships_or_30(
    client, make_user, count_queries, personas, disabled_persons_item
):
    townships = [township(f"第{n}镇") for n in range(3)]
    liaison = make_user("last", unit=townships[-1])
    viewers = [liaison, personas["government_office"], make_user("cdpf", unit=disabled_persons_item.unit)]
    few = [item_page_queries(client, count_queries, user, disabled_persons_item) for user in viewers]
    townships += [township(f"第{n}镇") for n in range(3, 30)]
    Membership.objects.get(user=liaison).delete()  # through the signal: guardian's rows follow
    add_member(liaison, townships[-1], Membership.Role.LIAISON)
    assert access.acting_unit_ids(liaison) == {townships[-1].pk}
    many = [item_page_queries(client, count_queries, user, disabled_persons_item) for user in viewers]
    assert many == few


# --- the predicates and the person's units -----------------------------------------------------------------------

ROLE_CAPABILITIES = {
    # role: the predicates it answers True (all others False)
    CrossUnitRole.GOVERNMENT_OFFICE: {
        "sees_every_unit", "sees_every_item", "is_office", "can_open_cycles", "sees_every_school",
        "sees_every_rectification", "reads_self_evaluation_reports", "sees_every_assessment_result",
        "sees_plan_progress",
    },
    CrossUnitRole.INSPECTOR: {
        "sees_every_unit", "sees_every_item", "can_inspect", "sees_every_school", "sees_every_rectification",
        "reads_self_evaluation_reports",
    },
    CrossUnitRole.PLAN_OFFICE: {
        "sees_every_unit", "sees_every_item", "can_open_cycles", "can_import_units", "can_import_people", "uses_admin",
        "sees_every_school", "can_import_school_figures", "can_edit_school_figures", "can_raise_shortfalls",
        "sees_every_rectification", "enters_every_county_figure", "reads_self_evaluation_reports",
        "can_generate_self_evaluation_report", "sees_plan_progress",
    },
    CrossUnitRole.ASSESSMENT_READER: {
        "sees_every_unit", "sees_every_item", "sees_every_school", "sees_every_rectification",
        "reads_self_evaluation_reports", "manages_assessment", "sees_every_assessment_result",
    },
    CrossUnitRole.ADMINISTRATOR: {
        "sees_every_unit", "sees_every_item", "can_import_units", "can_import_people", "uses_admin",
        "sees_every_school", "can_import_school_figures", "can_edit_school_figures", "sees_every_rectification",
        "enters_every_county_figure", "reads_self_evaluation_reports", "can_generate_self_evaluation_report",
    },
    CrossUnitRole.LEADERSHIP: {
        "sees_every_unit", "sees_every_item", "sees_every_school", "sees_every_rectification",
        "reads_self_evaluation_reports", "sees_plan_progress",
    },
}  # fmt: skip
PREDICATES = sorted(set().union(*ROLE_CAPABILITIES.values()))


@pytest.mark.parametrize("role", list(CrossUnitRole))
def test_each_role_holds_exactly_its_capabilities(make_user, role):
    user = make_user(f"role-{role}", cross_role=role)
    held = {name for name in PREDICATES if getattr(access, name)(user)}
    assert held == ROLE_CAPABILITIES[role]


def test_the_plans_progress_is_for_those_who_answer_for_the_plan_as_a_whole(personas, make_user, units):
    """The government office, the leadership group's leaders and the plan office; a unit's leader sees their unit's
    items but not the county's progress, and an inactive office account nothing."""
    seeing = {name for name, user in personas.items() if access.sees_plan_progress(user)}
    assert seeing == {"government_office", "leadership", "plan_office"}
    assert not access.sees_plan_progress(make_user("leader", unit=units["own"], role=Membership.Role.LEADER))
    office = personas["government_office"]
    office.is_active = False
    assert not access.sees_plan_progress(office)


def test_liaisons_leaders_and_strangers_hold_no_cross_unit_capability(personas, make_user, units):
    people = [personas["own_liaison"], personas["no_unit"]]
    people.append(make_user("leader", unit=units["own"], role=Membership.Role.LEADER))
    for user in people:
        assert not any(getattr(access, name)(user) for name in PREDICATES), user


def test_an_inactive_or_anonymous_person_may_do_nothing(personas, units):
    from django.contrib.auth.models import AnonymousUser

    office, liaison = personas["government_office"], personas["own_liaison"]
    for user in (office, liaison):
        user.is_active = False
    assert not access.is_office(office)
    assert not access.acts_for(liaison, units["own"])
    assert not access.is_office(AnonymousUser())
    assert access.own_unit_ids(AnonymousUser()) == frozenset()
    assert access.led_unit_ids(AnonymousUser()) == frozenset()
    assert not access.gives_instructions(AnonymousUser())


def test_own_and_acting_units(make_user, units):
    own, cooperating = units["own"], units["cooperating"]
    user = make_user("two-hats", unit=own)
    add_member(user, cooperating, Membership.Role.LEADER)
    assert access.own_unit_ids(user) == {own.pk, cooperating.pk}
    assert access.acting_unit_ids(user) == {own.pk}
    assert access.acts_for(user, own)
    assert access.acts_for(user, own.pk)
    assert not access.acts_for(user, cooperating)


def test_the_cache_follows_a_membership_change(make_user, units):
    user = make_user("mover", unit=units["own"])
    assert access.acting_unit_ids(user) == {units["own"].pk}
    add_member(user, units["stranger"], Membership.Role.LIAISON)  # the service forgets what was worked out
    assert access.acting_unit_ids(user) == {units["own"].pk, units["stranger"].pk}


def test_collectives_are_expanded_through_active_members_only():
    active, inactive = township("甲镇"), township("乙镇", active=False)
    collective = Unit.objects.get(name=COLLECTIVE)
    assert access.with_collectives({active.pk}) == {active.pk, collective.pk}
    assert access.with_collectives({inactive.pk}) == {inactive.pk}
    assert set(Unit.objects.active_members_of([collective.pk])) >= {active}
    assert inactive not in Unit.objects.active_members_of([collective.pk])


def test_the_liaisons_of_a_unit(make_user, units):
    own = units["own"]
    first = make_user("first", unit=own)
    assert access.sole_liaisons([own.pk]) == {own.pk: first}
    second = make_user("second", unit=own)
    make_user("boss", unit=own, role=Membership.Role.HEAD)
    gone = make_user("gone", unit=own, is_active=False)
    assert access.liaisons_by_unit([own.pk]) == {own.pk: [first.pk, second.pk]}
    assert access.sole_liaisons([own.pk]) == {}
    assert list(access.liaison_users([own.pk])) == [first, second]
    assert gone not in access.liaison_users()


def test_require_and_required_refuse_with_the_message(rf, personas):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied, match="不行"):
        access.require(False, "不行")
    access.require(True)

    @access.required(access.is_office, "只给政府办")
    def view(request):
        return "ok"

    request = rf.get("/")
    request.user = personas["government_office"]
    assert view(request) == "ok"
    request.user = personas["own_liaison"]
    with pytest.raises(PermissionDenied, match="只给政府办"):
        view(request)


def test_items_for_user_agrees_with_the_units_the_person_sees(personas, units, disabled_persons_item, make_user):
    liaison = make_user("yongan", unit=township("永安街道"))
    visible = DutyItem.objects.for_user(liaison)
    assert list(visible) == [disabled_persons_item]
    assert list(DutyItem.objects.cooperated_on_by(liaison)) == [disabled_persons_item]
    assert DutyItem.objects.for_user(personas["no_unit"]).count() == 0
    assert DutyItem.objects.for_user(personas["inspector"]).count() == DutyItem.objects.count()


def test_a_superuser_holds_every_capability_but_acts_for_no_unit_of_which_it_is_not_a_member(
    personas, units, disabled_persons_item
):
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root", password="pw-for-tests")
    assert all(getattr(access, name)(root) for name in PREDICATES)
    assert not access.acts_for(root, disabled_persons_item.unit)
    assert access.contributing_unit(root, disabled_persons_item) is None
    with pytest.raises(PermissionDenied):
        services.save_progress(root, disabled_persons_item, text="代填")
    assert DutyItem.objects.for_user(root).count() == DutyItem.objects.count()  # sees every item


def test_the_unit_link_follows_who_may_open_the_units_page(rf, personas, units):
    from django.template import Context, Template

    template = Template("{% load units %}{% unit_link unit %}")
    own = units["own"]
    for persona, linked in [("own_liaison", True), ("stranger_liaison", False), ("inspector", True)]:
        request = rf.get("/")
        request.user = personas[persona]
        html = template.render(Context({"request": request, "unit": own}))
        assert (f'href="{own.get_absolute_url()}"' in html) is linked, persona
        assert str(own) in html
    assert access.sees_unit(personas["own_liaison"], own.pk)
    assert not access.sees_unit(personas["stranger_liaison"], own)


def test_the_cache_passes_through_a_lazy_request_user(personas, units):
    from django.utils.functional import SimpleLazyObject

    user = personas["own_liaison"]
    lazy = SimpleLazyObject(lambda: user)
    assert access.acting_unit_ids(lazy) == {units["own"].pk}
    assert hasattr(user, "_taskboard_access")  # cached on the real user, not on the wrapper
    access.forget(lazy)
    assert not hasattr(user, "_taskboard_access")
