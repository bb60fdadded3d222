"""问题清单 → 整改 items → 问题台账, on the hand-computed county of conftest.py.

The expected shortfalls are worked out by hand from the figures (see test_compute.py for the values).
Primary thresholds 4.2, 1, 0.9 per 100; 4.5 m², 7.5 m², 2000 元; 2.3 per 100. Junior 5.3, 1, 0.9; 5.8, 10.2,
2500; 2.4. Largest class 45 / 50, music and art rooms 1 per 12 classes, smallest rooms 96 / 90 m². A value
below 85 % of its threshold is flagged.
"""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from departments.models import Unit
from indicators.models import SchoolPart, SchoolYearFigures, Shortfall
from indicators.reads.ledger import ledger_rows
from indicators.reads.shortfall_preview import preview_shortfalls
from indicators.services.rectification import raise_rectifications
from workflows import services as workflow_services
from workflows.models import DutyItem, ItemEvent

from .conftest import PARTS, YEAR, figures_for

pytestmark = pytest.mark.django_db

FLOOR = "（低于标准的85%）"
NO_ROOMS = [
    "每12个班音乐专用教室 0间，标准 1间，差 1间",
    "音乐专用教室最小一间面积 0㎡，标准 96㎡，差 96㎡",
    "每12个班美术专用教室 0间，标准 1间，差 1间",
    "美术专用教室最小一间面积 0㎡，标准 90㎡，差 90㎡",
]
EXPECTED = {
    # Nothing reaches, everything below 85 %; no music or art room.
    "小学一": [
        "每百名学生拥有高于规定学历教师数 2.5人，标准 4.2人，差 1.7人" + FLOOR,
        "每百名学生拥有县级以上骨干教师数 0.5人，标准 1人，差 0.5人" + FLOOR,
        "每百名学生拥有体育、艺术（美术、音乐）专任教师数 0.5人，标准 0.9人，差 0.4人" + FLOOR,
        "生均教学及辅助用房面积 2.5㎡，标准 4.5㎡，差 2㎡" + FLOOR,
        "生均体育运动场馆面积 4㎡，标准 7.5㎡，差 3.5㎡" + FLOOR,
        "生均教学仪器设备值 1250元，标准 2000元，差 750元" + FLOOR,
        "每百名学生拥有网络多媒体教室数 1间，标准 2.3间，差 1.3间" + FLOOR,
        *NO_ROOMS,
    ],
    # Multimedia 2.25 (≥ 1.955, not flagged); a class of 46.
    "小学二": [
        "每百名学生拥有网络多媒体教室数 2.25间，标准 2.3间，差 0.05间",
        "最大班额 46人，标准不超过 45人，超 1人",
    ],
    # Multimedia 1.5 < 1.955; 1 room × 12 / 14 classes = 0.857.
    "小学三": [
        "每百名学生拥有网络多媒体教室数 1.5间，标准 2.3间，差 0.8间" + FLOOR,
        "每12个班音乐专用教室 0.86间，标准 1间，差 0.14间",
        "每12个班美术专用教室 0.86间，标准 1间，差 0.14间",
    ],
    "小学四": ["音乐专用教室最小一间面积 95㎡，标准 96㎡，差 1㎡", "美术专用教室最小一间面积 89㎡，标准 90㎡，差 1㎡"],
    "初中一": [
        "每百名学生拥有体育、艺术（美术、音乐）专任教师数 0.8人，标准 0.9人，差 0.1人",
        "生均教学及辅助用房面积 5.6㎡，标准 5.8㎡，差 0.2㎡",
    ],
    "初中二": ["最大班额 51人，标准不超过 50人，超 1人", "音乐专用教室最小一间面积 90㎡，标准 96㎡，差 6㎡"],
    "初中三": ["每12个班音乐专用教室 0.6间，标准 1间，差 0.4间"],
    # Key and PE teachers 0, equipment 1000 < 1700; no rooms.
    "教学点": [
        "每百名学生拥有县级以上骨干教师数 0人，标准 1人，差 1人" + FLOOR,
        "每百名学生拥有体育、艺术（美术、音乐）专任教师数 0人，标准 0.9人，差 0.9人" + FLOOR,
        "生均教学仪器设备值 1000元，标准 2000元，差 1000元" + FLOOR,
        *NO_ROOMS,
    ],
}  # 九年一贯制 and 特殊教育学校 meet every standard.
SHORTFALL_COUNT = sum(len(lines) for lines in EXPECTED.values())


@pytest.fixture
def deadline():
    return timezone.localdate() + timedelta(days=60)


@pytest.fixture
def people(county, make_user):
    """The plan office, an inspector, the government office; a liaison of 小学二 (the others have none)."""
    from departments.roles import CrossUnitRole

    return {
        "plan_office": make_user("plan", cross_role=CrossUnitRole.PLAN_OFFICE),
        "inspector": make_user("inspector", cross_role=CrossUnitRole.INSPECTOR),
        "government_office": make_user("office", cross_role=CrossUnitRole.GOVERNMENT_OFFICE),
        "school_liaison": make_user("school2", unit=county["小学二"].unit),
        "commission_liaison": make_user("commission", unit=Unit.objects.get(name="县教委")),
    }


def texts(preview):
    return {school.school.unit.name: [shortfall.text() for shortfall in school.new] for school in preview.schools}


def test_preview_lists_exactly_the_shortfalls_with_their_gaps(county, people):
    preview = preview_shortfalls(YEAR)
    assert texts(preview) == EXPECTED
    assert preview.new_count == SHORTFALL_COUNT
    assert preview.already_count == 0
    owners = {school.school.unit.name: school.owner.name for school in preview.schools}
    assert owners == {name: "小学二" if name == "小学二" else "县教委" for name in EXPECTED}
    flagged = [s for school in preview.schools for s in school.new if s.below_floor]
    assert len(flagged) == 7 + 1 + 3


def test_raising_creates_one_item_per_school_with_the_right_owner(county, people, deadline):
    items = raise_rectifications(people["plan_office"], YEAR, deadline)
    assert len(items) == len(EXPECTED)
    by_school = {item.shortfalls.first().school.unit.name: item for item in items}
    assert set(by_school) == set(EXPECTED)
    for name, item in by_school.items():
        item.refresh_from_db()
        assert item.kind == DutyItem.Kind.RECTIFICATION
        assert item.deadline == deadline
        assert item.stage == DutyItem.Stage.SIGNING  # assigned at once, as any ad-hoc item: the unit signs next
        assert item.unit.name == ("小学二" if name == "小学二" else "县教委")
        assert name in item.title
        for line in EXPECTED[name]:
            assert line in item.instructions
        assert list(item.events.values_list("kind", flat=True)) == [ItemEvent.Kind.OPENED, ItemEvent.Kind.ASSIGNED]
    assert by_school["小学二"].assignee == people["school_liaison"]  # the school's only liaison
    assert "尚无联络员" in by_school["小学一"].instructions
    rows = Shortfall.objects.filter(year=YEAR)
    assert rows.count() == SHORTFALL_COUNT
    room = rows.get(school=county["小学一"], code="teaching_room_area_per_student")
    assert (room.value, room.threshold, room.gap, room.below_floor) == (2.5, 4.5, 2, True)


def test_rerunning_the_same_year_raises_nothing(county, people, deadline):
    raise_rectifications(people["plan_office"], YEAR, deadline)
    assert raise_rectifications(people["plan_office"], YEAR, deadline) == []
    assert DutyItem.objects.filter(kind=DutyItem.Kind.RECTIFICATION).count() == len(EXPECTED)
    preview = preview_shortfalls(YEAR)
    assert preview.new_count == 0
    assert preview.already_count == SHORTFALL_COUNT


def copy_year(county, school_name, year, **changes):
    rows = []
    for (name, _type, stage), values in PARTS.items():
        if name == school_name:
            part = SchoolPart.objects.get(school=county[name], stage=stage)
            rows.append(figures_for(part, year, values, full_time_teachers=values[3] + 2, **changes))
    SchoolYearFigures.objects.bulk_create(rows)


def close(item, people):
    liaison = people["school_liaison"]
    pdf = SimpleUploadedFile("整改报告.pdf", b"%PDF-1.4\n%%EOF\n")
    workflow_services.submit_report(liaison, item, text="已增加多媒体教室，已分班", files=[pdf])
    workflow_services.inspect_item(people["inspector"], item, accepted=True)


def test_open_item_blocks_a_later_year_and_a_closed_one_is_raised_again(county, people, deadline):
    """The documented rule: not twice a year; not while open; again in a later year once closed."""
    (first,) = [i for i in raise_rectifications(people["plan_office"], YEAR, deadline) if i.unit.name == "小学二"]
    copy_year(county, "小学二", YEAR + 1, art_rooms=0)  # still short as in 2025, and now no art room either
    preview = preview_shortfalls(YEAR + 1)
    (school,) = preview.schools
    assert [s.text() for s in school.new] == ["每12个班美术专用教室 0间，标准 1间，差 1间", NO_ROOMS[3]]
    assert [row.item_id for _s, row in school.already] == [first.pk, first.pk]
    (second,) = raise_rectifications(people["plan_office"], YEAR + 1, deadline)  # only the new ones
    assert list(second.shortfalls.values_list("code", flat=True)) == ["art_rooms_per_12_classes", "art_room_area"]

    close(first, people)
    (third,) = raise_rectifications(people["plan_office"], YEAR + 1, deadline)
    assert list(third.shortfalls.values_list("code", flat=True)) == ["multimedia_rooms_per_100", "class_size"]
    assert raise_rectifications(people["plan_office"], YEAR, deadline) == []  # 2025 was raised once
    assert raise_rectifications(people["plan_office"], YEAR + 1, deadline) == []


@pytest.mark.parametrize("who", ["government_office", "inspector", "school_liaison"])
def test_only_the_plan_office_raises(county, people, deadline, who):
    with pytest.raises(PermissionDenied):
        raise_rectifications(people[who], YEAR, deadline)
    assert not Shortfall.objects.exists()
    assert not DutyItem.objects.filter(kind=DutyItem.Kind.RECTIFICATION).exists()


def test_a_past_deadline_is_refused_and_nothing_is_saved(county, people, client):
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        raise_rectifications(people["plan_office"], YEAR, yesterday)
    assert error.value.messages == ["整改期限不能早于今天。"]
    client.force_login(people["plan_office"])
    response = client.post(reverse("indicators:shortfalls"), {"year": YEAR, "deadline": yesterday.isoformat()})
    assert response.status_code == 200
    assert "整改期限不能早于今天。" in response.content.decode()
    assert not Shortfall.objects.exists()
    assert not DutyItem.objects.filter(kind=DutyItem.Kind.RECTIFICATION).exists()


def test_the_page_previews_then_raises(county, people, client, deadline):
    client.force_login(people["plan_office"])
    page = client.get(reverse("indicators:shortfalls"), {"year": YEAR}).content.decode()
    assert "将为 8 所学校生成整改任务，共 30 个问题" in page
    assert EXPECTED["小学一"][3] in page
    response = client.post(reverse("indicators:shortfalls"), {"year": YEAR, "deadline": deadline.isoformat()})
    assert response.status_code == 302
    assert response.url == reverse("indicators:ledger") + f"?year={YEAR}"
    assert DutyItem.objects.filter(kind=DutyItem.Kind.RECTIFICATION).count() == 8


def test_ledger_rows(county, people, deadline):
    items = raise_rectifications(people["plan_office"], YEAR, deadline)
    school_item = next(item for item in items if item.unit.name == "小学二")
    close(school_item, people)
    rows = ledger_rows(YEAR)
    assert [row.school for row in rows] == sorted(EXPECTED)
    row = next(row for row in rows if row.school == "小学二")
    assert row == (
        "小学二",
        "小学二",
        "；".join(EXPECTED["小学二"]),
        deadline,
        "已办结",
        1,
        timezone.localdate(),
        school_item.pk,
        YEAR,
        "closed",
    )
    other = next(row for row in rows if row.school == "小学一")
    assert (other.owner, other.stage_label, other.evidence_count, other.closed_on) == ("县教委", "待签收", 0, None)
    assert [r.school for r in ledger_rows(YEAR, status="closed")] == ["小学二"]
    assert len(ledger_rows(YEAR, status="open")) == 7
    assert ledger_rows(YEAR + 1) == []


def test_ledger_xlsx_reads_back(county, people, client, deadline):
    raise_rectifications(people["plan_office"], YEAR, deadline)
    client.force_login(people["inspector"])
    response = client.get(reverse("indicators:ledger_export"), {"year": YEAR})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == [
        "年度", "学校", "责任单位", "问题及差距", "整改期限", "状态", "佐证材料（个）", "办结日期", "任务编号",
    ]  # fmt: skip
    assert sheet.freeze_panes == "A2"
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 8
    first = rows[0]
    assert first[:3] == (YEAR, "初中一", "县教委")
    assert first[5:8] == ("待签收", 0, None)
    assert first[4].date() == deadline
    assert sheet.cell(row=2, column=5).is_date
    assert first[3] == "；".join(EXPECTED["初中一"])


def test_who_sees_the_ledger(county, people, client, make_user, deadline):
    raise_rectifications(people["plan_office"], YEAR, deadline)
    url = reverse("indicators:ledger")

    def schools_seen(user):
        client.force_login(user)
        response = client.get(url)
        if response.status_code != 200:
            return response.status_code
        return sorted(row.school for row in response.context["rows"])

    assert schools_seen(people["government_office"]) == sorted(EXPECTED)
    assert schools_seen(people["school_liaison"]) == ["小学二"]
    # A liaison named after the school's item went to 县教委: the item is 县教委's, which the liaison cannot
    # open, so neither is its row listed (every row links to its item).
    late = make_user("school4", unit=county["小学四"].unit)
    assert schools_seen(late) == []
    assert schools_seen(people["commission_liaison"]) == sorted(set(EXPECTED) - {"小学二"})
    assert schools_seen(make_user("outsider", unit=Unit.objects.get(name="县税务局"))) == 403
    client.force_login(people["school_liaison"])
    assert client.get(reverse("indicators:ledger_export")).status_code == 200
    assert client.get(reverse("indicators:shortfalls")).status_code == 403


def test_every_ledger_row_links_to_an_item_its_reader_can_open(county, people, client, make_user, deadline):
    """The ledger lists the items each reader can open, and no other: a school's leader or a liaison named after
    the school's item went to 县教委 sees no row of that item (its link would answer 404)."""
    from departments.models import Membership

    raise_rectifications(people["plan_office"], YEAR, deadline)
    readers = [
        people["government_office"],
        people["school_liaison"],
        people["commission_liaison"],
        make_user("school4", unit=county["小学四"].unit),
        make_user("school4-head", unit=county["小学四"].unit, role=Membership.Role.HEAD),
        make_user("school2-leader", unit=county["小学二"].unit, role=Membership.Role.LEADER),
    ]
    for reader in readers:
        client.force_login(reader)
        response = client.get(reverse("indicators:ledger"))
        if response.status_code != 200:
            continue
        listed = {row.item_id for row in response.context["rows"]}
        openable = set(DutyItem.objects.for_user(reader).values_list("pk", flat=True))
        raised = set(Shortfall.objects.values_list("item_id", flat=True))
        assert listed == raised & openable, reader
        for item_id in listed:
            assert client.get(reverse("workflows:item_detail", args=[item_id])).status_code == 200


def test_ledger_queries_do_not_grow_with_items(county, people, deadline, count_queries, client):
    plan_office = people["plan_office"]
    copy_year(county, "小学二", YEAR + 1, art_rooms=0)
    raise_rectifications(plan_office, YEAR + 1, deadline)
    few = count_queries(lambda: ledger_rows())
    client.force_login(people["government_office"])
    few_page = count_queries(lambda: client.get(reverse("indicators:ledger")))
    raise_rectifications(plan_office, YEAR, deadline)  # 小学二's 2025 shortfalls are in its open 2026 item
    assert len(ledger_rows()) == 8
    assert count_queries(lambda: ledger_rows()) == few == 2
    assert count_queries(lambda: client.get(reverse("indicators:ledger"))) == few_page


def test_school_page_and_home_link_to_the_pages(county, people, client):
    client.force_login(people["plan_office"])
    home = client.get(reverse("home")).content.decode()
    assert reverse("indicators:shortfalls") in home
    assert reverse("indicators:ledger") in home
    school = client.get(reverse("indicators:school_detail", args=[county["小学二"].pk])).content.decode()
    assert f"{reverse('indicators:ledger')}?school={county['小学二'].pk}" in school


def test_deadline_in_the_item_text(county, people):
    deadline = date(2031, 3, 31)
    (item, *_rest) = raise_rectifications(people["plan_office"], YEAR, deadline)
    assert "请于2031年03月31日前完成整改" in item.instructions


def test_a_nine_year_school_names_the_part(county, people):
    """A school with two parts says which part falls short; its whole-school checks name none."""
    figures = SchoolYearFigures.objects.get(part__school=county["九年一贯制"], part__stage="junior", year=YEAR)
    figures.largest_class, figures.music_room_min_area = 52, 90  # over 50; under 96 (the school's smallest room)
    figures.save()
    (school,) = [p for p in preview_shortfalls(YEAR).schools if p.school.unit.name == "九年一贯制"]
    assert [s.text() for s in school.new] == [
        "初中部 最大班额 52人，标准不超过 50人，超 2人",
        "音乐专用教室最小一间面积 90㎡，标准 96㎡，差 6㎡",
    ]


def test_the_problem_list_page_does_not_grow_queries_with_schools(county, people, count_queries, client):
    # One school's year first, then all twelve parts' year: the preview page's queries stay the same.
    client.force_login(people["plan_office"])
    copy_year(county, "小学二", YEAR + 1, art_rooms=0)
    url = reverse("indicators:shortfalls")
    client.get(url, {"year": YEAR + 1})
    few = count_queries(lambda: client.get(url, {"year": YEAR + 1}))
    assert count_queries(lambda: client.get(url, {"year": YEAR})) == few
