"""The board's fast paths say exactly what the slow ones said (issue 15: every page under 300 ms at 200,000 items).

- ``for_user`` (on PostgreSQL, the cooperated items' ids read first and written into the condition) against the
  old definition, ``unit IN my units OR pk IN (SELECT the items my units cooperate on)``, for every kind of
  person on a mixed set: owned, cooperated on, both, a township's collective cooperating, other units' items,
  every stage.
- The board's pages, read a light at a time along the partial indexes, against one sort of every item on the
  light (the old query): the same items on every page, in the same order, with every filter and a light filter.
- The search and the dropdowns, asked with subqueries and EXISTS, against the joins they replace.
"""

import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from board.reads import board_order
from departments import access
from departments.models import Unit
from workflows.models import DutyItem, DutyTemplate

from ..departments.test_access import COLLECTIVE, township
from .board_fixtures import make_item

pytestmark = pytest.mark.django_db

STAGES = [value for value, _label in DutyItem.Stage.choices]


def old_for_user(user):
    """``DutyItem.objects.for_user`` as it was written before issue 15 (the OR of two conditions)."""
    if access.sees_every_item(user):
        return DutyItem.objects.all()
    units = access.visible_unit_ids(user)
    cooperating = DutyItem.cooperating_units.through.objects.filter(unit_id__in=units).values("dutyitem_id")
    return DutyItem.objects.filter(Q(unit_id__in=units) | Q(pk__in=cooperating))


@pytest.fixture
def mixed(units, make_user, plan):
    """Items of every stage and light, owned by each unit, cooperated on by the others in every combination, and
    some where a township's collective cooperates; a township's liaison and a two-unit liaison besides."""
    town = township("测试镇")
    collective = Unit.objects.get(name=COLLECTIVE)
    templates = list(DutyTemplate.objects.filter(plan=plan).order_by("pk")[:3])
    owners = [units["own"], units["cooperating"], units["stranger"], town]
    partners = [(), (units["cooperating"],), (units["own"], units["stranger"]), (collective,), (town, units["own"])]
    n = 0
    for owner in owners:
        for cooperating in partners:
            for stage in STAGES:
                make_item(
                    owner,
                    days=(n % 23) - 11,
                    stage=stage,
                    title=f"任务{n}",
                    template=templates[n % 3] if n % 2 else None,
                    cooperating=[unit for unit in cooperating if unit != owner],
                )
                n += 1
    people = {
        "township": make_user("town-liaison", unit=town),
        "two_units": make_user("two-units", unit=units["stranger"]),
    }
    from departments.services import add_member

    add_member(people["two_units"], units["cooperating"], "liaison")
    return people


def test_the_visible_ids_are_the_items_the_old_definition_gave_to_everyone(personas, mixed):
    people = {**personas, **mixed}
    for name, user in people.items():
        new = set(DutyItem.objects.for_user(user).values_list("pk", flat=True))
        old = set(old_for_user(user).values_list("pk", flat=True))
        assert new == old, name
    assert DutyItem.objects.for_user(mixed["township"]).exists()  # the collective's items reach the township
    assert not DutyItem.objects.for_user(personas["no_unit"]).exists()


def board_pages(client, user, **params):
    """Every page of the board for ``user``, as (pk, light) in the order shown."""
    client.force_login(user)
    shown, page = [], 1
    while True:
        response = client.get(reverse("board:mine"), {"period": "", **params, "page": page})
        assert response.status_code == 200
        shown += [(item.pk, item.light) for item in response.context["page_obj"].object_list]
        if not response.context["page_obj"].has_next():
            return shown, response.context["page_obj"].paginator.count
        page += 1


@pytest.mark.parametrize(
    "params",
    [{}, {"light": "red"}, {"light": "grey"}, {"stage": "reporting"}, {"q": "任务1"}, {"cooperating": "on"}],
)
@pytest.mark.parametrize("persona", ["own_liaison", "government_office", "two_units"])
def test_every_page_holds_what_one_sort_on_the_light_gave(client, personas, mixed, units, params, persona):
    user = {**personas, **mixed}[persona]
    shown, count = board_pages(client, user, **params)
    visible = old_for_user(user).with_light(timezone.localdate())
    if "light" in params:
        visible = visible.filter(light=params["light"])
    if "stage" in params:
        visible = visible.filter(stage=params["stage"])
    if "q" in params:
        visible = visible.filter(title__icontains=params["q"])
    if "cooperating" in params:
        visible = visible.filter(pk__in=DutyItem.objects.cooperated_on_by(user).values("pk"))
    expected = list(board_order(visible).values_list("pk", "light"))
    assert expected or (persona == "government_office" and "cooperating" in params), "the case must list something"
    assert shown == expected
    assert count == len(expected)


def test_the_search_finds_by_title_clause_and_unit_as_the_joins_did(client, personas, mixed, units, plan):
    template = DutyTemplate.objects.filter(plan=plan).order_by("pk").first()
    words = ["任务1", template.text[2:8], units["own"].name[1:4], "不存在的词"]
    if units["own"].short_name:
        words.append(units["own"].short_name)
    for word in words:
        old = DutyItem.objects.filter(
            Q(title__icontains=word)
            | Q(template__text__icontains=word)
            | Q(unit__name__icontains=word)
            | Q(unit__short_name__icontains=word)
        )
        shown, _count = board_pages(client, personas["government_office"], q=word)
        assert {pk for pk, _light in shown} == set(old.values_list("pk", flat=True)), word


def test_the_dropdowns_offer_the_owners_and_clauses_of_the_visible_items(client, personas, mixed):
    for user in [personas["own_liaison"], mixed["township"], personas["government_office"]]:
        client.force_login(user)
        filterset = client.get(reverse("board:mine")).context["filterset"]
        visible = old_for_user(user)
        offered_units = set(filterset.form.fields["unit"].queryset.values_list("pk", flat=True))
        offered_templates = set(filterset.form.fields["template"].queryset.values_list("pk", flat=True))
        assert offered_units == set(visible.values_list("unit_id", flat=True))
        assert offered_templates == set(visible.exclude(template=None).values_list("template_id", flat=True))


def test_a_deep_page_past_the_end_shows_the_last_one(client, personas, mixed):
    client.force_login(personas["government_office"])
    response = client.get(reverse("board:mine"), {"period": "", "page": 999})
    page = response.context["page_obj"]
    assert page.number == page.paginator.num_pages
    assert len(page.object_list) == page.paginator.count - (page.number - 1) * 25 > 0


def test_the_light_indexes_follow_the_stages():
    """The partial indexes' conditions are written out in the model's Meta: they must stay those stages."""
    from workflows.models.items import FINISHED, OPEN

    assert tuple(DutyItem.OPEN_STAGES) == OPEN
    assert tuple(DutyItem.FINISHED_STAGES) == FINISHED
    assert set(OPEN) | set(FINISHED) == set(STAGES)
