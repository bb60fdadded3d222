"""The home page as a to-do list: each role's section with its counts and lists, every section for a person with
several roles, a friendly page for a person with none, and a fixed number of queries whatever the rows."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import AssessmentRun, ScoringScheme
from departments.models import Membership, Unit
from departments.roles import CrossUnitRole
from departments.services import grant_role
from indicators.services.schools import register_school
from workflows.models import DutyItem, ExtensionRequest, HandBack

from .home_fixtures import (
    add_score,
    extension_request,
    hand_back,
    instruction,
    make_item,
    mark_circular_candidate,
    returned_item,
    school_figures,
    shortfall,
)

pytestmark = pytest.mark.django_db
Stage = DutyItem.Stage


def home(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.context["todo"], response.content.decode()


# --- liaison --------------------------------------------------------------------------------------------------


def test_a_liaisons_home_lists_what_to_sign_report_and_redo(client, personas, units):
    own, liaison = units["own"], personas["own_liaison"]
    make_item(own, stage=Stage.SIGNING, title="签收甲", days=3)
    make_item(own, stage=Stage.SIGNING, title="签收乙", days=1)
    make_item(own, title="填报甲", days=-2)
    make_item(own, title="填报乙", days=0)
    make_item(own, title="填报丙", days=9)
    returned_item(own, personas["inspector"], reasons="佐证材料不全，请补充照片", title="重报甲")
    make_item(own, stage=Stage.INSPECTING, title="检查中")
    make_item(units["stranger"], stage=Stage.SIGNING, title="他人的签收")

    todo, page = home(client, liaison)
    work = todo["liaison"]
    assert work.counts == {"to_sign": 2, "to_report": 3, "returned": 1, "overdue": 1}
    assert [item.title for item in work.to_sign] == ["签收乙", "签收甲"]  # the nearest deadline first
    assert [item.title for item in work.to_report] == ["填报甲", "填报乙", "填报丙"]
    assert [item.return_reasons for item in work.returned] == ["佐证材料不全，请补充照片"]
    for text in ("待签收", "签收乙", "逾期 2 天", "今天到期", "剩余 9 天", "退回理由：佐证材料不全", "已退回 1 次"):
        assert text in page
    assert "他人的签收" not in page
    assert "检查中" not in page
    assert work.to_sign[0].get_absolute_url() in page
    assert todo["inspection"] is todo["office"] is todo["leader"] is None
    assert 'id="todo-office"' not in page


def test_a_liaison_sees_their_extension_requests_and_hand_backs(client, personas, units):
    own, liaison = units["own"], personas["own_liaison"]
    asked = extension_request(make_item(own, title="待批延期"), liaison)
    extension_request(
        make_item(own, title="新近批准"), liaison, status=ExtensionRequest.Status.APPROVED, decided_days_ago=1
    )
    extension_request(
        make_item(own, title="早已批准"), liaison, status=ExtensionRequest.Status.APPROVED, decided_days_ago=40
    )
    extension_request(make_item(units["stranger"], title="他人延期"), personas["stranger_liaison"])
    hand_back(make_item(own, stage=Stage.HANDED_BACK, title="待处理退回"), liaison)
    hand_back(
        make_item(own, title="已确认办理"), liaison, resolution=HandBack.Resolution.CONFIRMED, resolved_days_ago=2
    )

    todo, page = home(client, liaison)
    work = todo["liaison"]
    assert work.extensions_pending == 1
    assert [row.item.title for row in work.extensions] == ["待批延期", "新近批准"]  # the pending one first
    assert work.extensions[0] == asked
    assert work.hand_backs_pending == 1
    assert [row.item.title for row in work.hand_backs] == ["待处理退回", "已确认办理"]
    for text in ("延期申请", "待处理", "已批准", "审批意见：同意延期", "退回交办", "确认由本单位办理"):
        assert text in page
    assert "他人延期" not in page  # (早已批准 is listed to report, not among the requests: asserted above)


def test_a_liaison_with_nothing_to_do_is_told_so(client, personas):
    todo, page = home(client, personas["own_liaison"])
    assert todo["liaison"].is_empty
    assert "本单位暂无待办任务" in page
    assert "我的单位" in page  # the cards of what they can open stay below


# --- inspector ------------------------------------------------------------------------------------------------


def test_an_inspectors_home_counts_the_queue_and_names_the_oldest(client, personas, units):
    now = timezone.now()
    make_item(units["own"], stage=Stage.INSPECTING, title="较新提交", submitted_at=now - timedelta(hours=1))
    make_item(units["stranger"], stage=Stage.INSPECTING, title="最早提交", submitted_at=now - timedelta(days=3))
    make_item(units["own"], title="还在填报")

    todo, page = home(client, personas["inspector"])
    assert todo["inspection"].waiting == 2
    assert todo["inspection"].oldest.title == "最早提交"
    assert reverse("board:inspection") in page
    assert todo["office"] is None
    assert todo["liaison"] is None


def test_an_empty_queue_says_so(client, personas):
    todo, page = home(client, personas["inspector"])
    assert todo["inspection"].waiting == 0
    assert "没有等待检查的任务" in page


# --- government office ------------------------------------------------------------------------------------------


def test_the_offices_home_shows_overdue_units_requests_candidates_and_instructions(client, personas, units):
    own, stranger, liaison = units["own"], units["stranger"], personas["own_liaison"]
    late = make_item(own, title="逾期甲", days=-10)
    make_item(own, title="逾期乙", days=-1)
    make_item(stranger, title="逾期丙", days=-3, stage=Stage.INSPECTING)
    make_item(stranger, title="未逾期", days=3)
    mark_circular_candidate(late)
    extension_request(make_item(own, title="延期一"), liaison)
    extension_request(make_item(own, title="延期二"), liaison)
    extension_request(make_item(own, title="已批"), liaison, status=ExtensionRequest.Status.APPROVED)
    hand_back(make_item(own, stage=Stage.HANDED_BACK, title="退回一"), liaison)
    leader = personas["leadership"]
    for n in range(12):
        instruction(late, leader, f"批示{n:02d}：抓紧办理")

    todo, page = home(client, personas["government_office"])
    work = todo["office"]
    assert work.overdue_total == 3
    assert [(row["unit__name"], row["n"], row["inspecting"]) for row in work.overdue_units] == [
        (own.name, 2, 0),
        (stranger.name, 1, 1),
    ]
    assert f"{reverse('board:mine')}?unit={own.pk}&amp;light=red" in page
    assert work.extensions_pending == 2
    assert [row.item.title for row in work.oldest_extensions] == ["延期一", "延期二"]
    assert work.hand_backs_pending == 1
    assert work.circular_candidates == 1
    assert [event.text[:4] for event in work.instructions] == [f"批示{n:02d}" for n in range(11, 1, -1)]  # newest 10
    for text in ("督办待办", "延期一", "退回一", "通报候选", "批示11：抓紧办理"):
        assert text in page
    assert "批示01" not in page


def test_the_office_with_nothing_waiting(client, personas):
    todo, page = home(client, personas["government_office"])
    assert todo["office"].overdue_total == 0
    for text in ("没有逾期任务", "没有待审批的延期申请", "没有待处理的退回交办", "暂无批示"):
        assert text in page


# --- leadership group leader ------------------------------------------------------------------------------------


def test_the_leadership_leaders_home_shows_the_county_and_the_instructions(client, personas, units):
    leader = personas["leadership"]
    late = make_item(units["own"], title="县级逾期", days=-4)
    make_item(units["own"], title="在办", days=4)
    make_item(units["stranger"], title="已办结", stage=Stage.CLOSED, closed_at=timezone.now())
    instruction(late, leader, "请生态环境局三日内报告进展")

    todo, page = home(client, leader)
    work = todo["leadership"]
    assert (work.open, work.overdue, work.closed) == (2, 1, 1)
    assert [row["unit__name"] for row in work.overdue_units] == [units["own"].name]
    assert [event.text for event in work.instructions] == ["请生态环境局三日内报告进展"]
    assert "全县概况" in page
    assert "请生态环境局三日内报告进展" in page
    assert todo["office"] is None


# --- plan office ------------------------------------------------------------------------------------------------


def test_the_plan_offices_home_counts_missing_figures_and_open_rectifications(client, personas, units):
    year = timezone.localdate().year - 1
    schools = {
        name: register_school(Unit.objects.create(name=name, kind=Unit.Kind.SCHOOL), kind)
        for name, kind in (("甲小学", "primary"), ("乙小学", "primary"), ("丙九年制学校", "nine_year"))
    }
    school_figures(schools["甲小学"].parts.get(), year)
    school_figures(schools["丙九年制学校"].parts.get(stage="primary"), year)  # its junior part still missing
    school_figures(schools["乙小学"].parts.get(), year - 1)  # last year's only
    open_item = make_item(units["own"], kind=DutyItem.Kind.RECTIFICATION, title="整改甲", days=-1)
    closed_item = make_item(units["own"], kind=DutyItem.Kind.RECTIFICATION, title="整改乙", stage=Stage.CLOSED)
    shortfall(schools["甲小学"], open_item, year, "a")
    shortfall(schools["甲小学"], closed_item, year, "b")

    todo, page = home(client, personas["plan_office"])
    work = todo["plan_office"]
    assert (work.year, work.schools, work.missing) == (year, 3, 2)
    assert work.missing_names == ["丙九年制学校", "乙小学"]
    assert (work.rectification_open, work.rectification_overdue) == (1, 1)
    assert f"缺{year}年数据" in page
    assert f"{reverse('indicators:ledger')}?status=open" in page
    assert todo["office"] is None  # the plan office neither urges nor decides requests


# --- organisation department ------------------------------------------------------------------------------------


def test_the_assessment_readers_home_shows_each_years_state(client, personas):
    manager = personas["assessment_reader"]
    this_year = timezone.localdate().year
    last_year = this_year - 1
    todo, page = home(client, manager)
    assert [(entry.year, entry.state) for entry in todo["assessment"]] == [(this_year, "none"), (last_year, "none")]
    assert "尚未开始" in page

    scheme = ScoringScheme.objects.create(year=last_year)
    draft = AssessmentRun.objects.create(
        scheme=scheme, year=last_year, as_of=date(last_year, 12, 31), created_by=manager
    )
    todo, page = home(client, manager)
    assert todo["assessment"][1].state == "draft"
    assert draft.get_absolute_url() in page
    assert "草稿待核对发布" in page

    draft.status, draft.published_at = AssessmentRun.Status.PUBLISHED, timezone.now()
    draft.save()
    todo, page = home(client, manager)
    assert todo["assessment"][1].state == "published"
    assert "已发布" in page


# --- unit leader and head ---------------------------------------------------------------------------------------


def test_a_unit_leaders_home_summarises_their_unit(client, personas, units, make_user):
    own = units["own"]
    leader = make_user("leader", unit=own, role=Membership.Role.LEADER)
    now = timezone.now()
    make_item(own, title="按期办结", stage=Stage.CLOSED, days=3, closed_at=now)
    make_item(own, title="逾期办结", stage=Stage.CLOSED, days=-3, closed_at=now)
    make_item(own, title="逾期未办", days=-2)
    returned_item(own, personas["inspector"], reasons="数据有误", title="退回重办", days=20)
    make_item(own, title="七天内到期", days=6)
    make_item(own, title="还早", days=30)
    make_item(units["stranger"], title="他人逾期", days=-9)
    scheme = ScoringScheme.objects.create(year=2025)
    run = AssessmentRun.objects.create(
        scheme=scheme,
        year=2025,
        as_of=date(2025, 12, 31),
        created_by=personas["assessment_reader"],
        status=AssessmentRun.Status.PUBLISHED,
        published_at=now,
    )
    add_score(run, own, rank=3)

    todo, page = home(client, leader)
    (summary,) = todo["leader"].units
    assert summary.unit == own
    assert (summary.on_time, summary.overdue, summary.returned, summary.in_progress) == (1, 1, 1, 3)
    assert summary.score.rank == 3
    assert [item.title for item in todo["leader"].attention] == ["逾期未办", "七天内到期", "退回重办"]
    assert todo["leader"].attention_count == 3
    assert "分管单位概况" in page
    assert "2025年度考核" in page
    assert "第 3 名" in page
    assert "他人逾期" not in page
    assert todo["liaison"] is None  # a leader acts for no unit


def test_a_head_without_a_published_score_is_told_so(client, units, make_user):
    head = make_user("head", unit=units["own"], role=Membership.Role.HEAD)
    todo, page = home(client, head)
    assert todo["leader"].units[0].score is None
    assert "尚无已发布的年度考核结果" in page
    assert "暂无需要关注的任务" in page


# --- several roles, none ----------------------------------------------------------------------------------------


def test_a_person_with_several_roles_sees_each_section(client, personas, units):
    liaison = personas["own_liaison"]
    grant_role(liaison, CrossUnitRole.INSPECTOR)
    grant_role(liaison, CrossUnitRole.LEADERSHIP)
    make_item(units["own"], stage=Stage.SIGNING, title="要签收的")
    todo, page = home(client, liaison)
    assert {name for name, section in todo.items() if section is not None} == {"liaison", "inspection", "leadership"}
    for section in ("todo-liaison", "todo-inspection", "todo-leadership"):
        assert f'id="{section}"' in page


def test_a_person_with_no_role_gets_a_friendly_empty_page(client, personas):
    todo, page = home(client, personas["no_unit"])
    assert all(section is None for section in todo.values())
    assert 'id="no-role"' in page
    assert "还没有加入任何单位或角色" in page
    assert 'id="todo"' not in page


# --- a fixed number of queries ----------------------------------------------------------------------------------


def grow(count, units, personas, start=0):
    """``count`` rows of every kind the sections read, in the own and the stranger units."""
    own, liaison, inspector = units["own"], personas["own_liaison"], personas["inspector"]
    now = timezone.now()
    for n in range(start, start + count):
        unit = own if n % 2 == 0 else units["stranger"]
        make_item(unit, stage=Stage.SIGNING, title=f"签收{n}", days=n % 9 - 3)
        make_item(unit, title=f"填报{n}", days=n % 9 - 3)
        make_item(unit, stage=Stage.INSPECTING, title=f"检查{n}", submitted_at=now - timedelta(hours=n))
        make_item(unit, stage=Stage.CLOSED, title=f"办结{n}", closed_at=now)
        late = returned_item(unit, inspector, reasons=f"理由{n}", title=f"重办{n}", days=-n)
        mark_circular_candidate(late)
        instruction(late, personas["leadership"], f"批示{n}")
        extension_request(make_item(unit, title=f"延期{n}"), liaison)
        extension_request(
            make_item(unit, title=f"已批{n}"), liaison, status=ExtensionRequest.Status.APPROVED, decided_days_ago=1
        )
        hand_back(make_item(unit, stage=Stage.HANDED_BACK, title=f"退回{n}"), liaison)
        hand_back(
            make_item(unit, title=f"已确认{n}"), liaison, resolution=HandBack.Resolution.CONFIRMED, resolved_days_ago=1
        )
        school = register_school(Unit.objects.create(name=f"学校{n}", kind=Unit.Kind.SCHOOL), "primary")
        shortfall(school, make_item(unit, kind=DutyItem.Kind.RECTIFICATION, title=f"整改{n}"), 2025, f"c{n}")


@pytest.mark.parametrize(
    "persona",
    ["own_liaison", "leader", "inspector", "government_office", "leadership", "plan_office", "assessment_reader"],
)
def test_the_home_page_runs_the_same_queries_with_2_and_20_rows(
    client, personas, units, make_user, persona, count_queries
):
    if persona == "leader":
        personas["leader"] = make_user("leader", unit=units["own"], role=Membership.Role.LEADER)
    client.force_login(personas[persona])
    url = reverse("home")
    grow(2, units, personas)
    client.get(url)  # warm: the session, the content types
    small = count_queries(lambda: client.get(url))
    grow(18, units, personas, start=2)
    large = count_queries(lambda: client.get(url))
    assert large == small
    assert len(client.get(url).context["todo"]) == 7
