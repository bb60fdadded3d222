"""The first web surface: home, unit pages and plan page, in Chinese, each showing only what the user may see."""

import pytest
from django.urls import reverse

from departments.models import Unit
from workflows.models import DutyTemplate

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("accept_language", ["", "en-US,en;q=0.9", "zh-CN,zh;q=0.9"])
def test_pages_are_chinese_whatever_the_browser_asks(client, personas, accept_language):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE=accept_language)
    assert "登录任务督办平台" in response.content.decode()
    client.force_login(personas["own_liaison"])
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE=accept_language).content.decode()
    assert "我的单位" in page
    assert "My units" not in page


def test_login_with_password_then_logout(client, make_user):
    make_user("liu", first_name="刘")
    response = client.post(reverse("login"), {"username": "liu", "password": "pw-for-tests"})
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_wrong_password_says_so_in_chinese(client, make_user):
    make_user("liu")
    response = client.post(reverse("login"), {"username": "liu", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()


def test_home_shows_a_liaison_their_unit_and_nothing_of_the_offices(client, personas, units):
    client.force_login(personas["own_liaison"])
    page = client.get(reverse("home")).content.decode()
    assert units["own"].get_absolute_url() in page
    assert reverse("departments:import_people") not in page
    assert reverse("admin:index") not in page


def test_home_shows_the_plan_office_its_imports_and_the_admin(client, personas):
    client.force_login(personas["plan_office"])
    page = client.get(reverse("home")).content.decode()
    assert reverse("departments:import_units") in page
    assert reverse("departments:import_people") in page
    assert reverse("admin:index") in page
    assert "领导小组办公室" in page  # the role, named


def test_unit_list_of_a_liaison_holds_only_their_unit(client, personas, units):
    client.force_login(personas["own_liaison"])
    listed = list(client.get(reverse("unit_list")).context["units"])
    assert listed == [units["own"]]


def test_unit_list_of_the_government_office_holds_every_unit(client, personas):
    client.force_login(personas["government_office"])
    listed = client.get(reverse("unit_list")).context["units"]
    assert len(listed) == Unit.objects.filter(active=True).count()


def test_unit_page_lists_its_templates_with_clause_and_cooperating_units(client, personas, units):
    client.force_login(personas["own_liaison"])
    response = client.get(units["own"].get_absolute_url())
    page = response.content.decode()
    led = response.context["led_templates"]
    assert [t.lead_unit for t in led] == [units["own"]] * len(led)
    assert "牵头会同城市管理、市场监督部门加强对校园周边环境污染的治理整改力度" in page
    assert "县城管局" in page
    assert "县市场监管局" in page
    # The liaison may not open the cooperating units' pages: their names are not links.
    assert units["cooperating"].get_absolute_url() not in page


def test_cooperating_unit_page_lists_the_clause_it_cooperates_on(client, personas, units):
    client.force_login(personas["cooperating_liaison"])
    response = client.get(units["cooperating"].get_absolute_url())
    cooperating = response.context["cooperating_templates"]
    assert any(t.lead_unit == units["own"] for t in cooperating)


def test_a_township_carries_the_duties_of_its_collective(client, make_user):
    collective = Unit.objects.get(kind=Unit.Kind.COLLECTIVE)
    township = Unit.objects.create(name="白帝镇", kind=Unit.Kind.TOWNSHIP)
    collective.member_units.add(township)
    client.force_login(make_user("baidi", unit=township))
    led = client.get(township.get_absolute_url()).context["led_templates"]
    assert led
    assert {t.lead_unit for t in led} == {collective}


def test_plan_page_shows_phases_group_indicators_and_duties(client, personas, plan):
    client.force_login(personas["stranger_liaison"])
    page = client.get(plan.get_absolute_url()).content.decode()
    for text in ["宣传启动", "2021年9月1日", "评估验收", "2028年12月31日", "县政府县长", "县教委主任"]:
        assert text in page
    assert "每百名学生拥有高于规定学历教师数" in page
    assert "≥ 4.2人" in page
    assert page.count("<tr>") >= DutyTemplate.objects.filter(plan=plan).count()


def _grow(plan, start, count):
    """Add templates and units, so a page's query count can be compared at two sizes."""
    lead = Unit.objects.get(name="县教委")
    numbers = range(start, start + count)
    helpers = [Unit.objects.create(name=f"测试单位{n}", kind=Unit.Kind.GOVERNMENT_DEPARTMENT) for n in numbers]
    for n, helper in zip(numbers, helpers, strict=True):
        template = DutyTemplate.objects.create(plan=plan, lead_unit=lead, paragraph=100 + n, clause=1, text=f"职责{n}")
        template.cooperating_units.add(helper, *helpers[:3])


@pytest.mark.parametrize("page", ["plan_detail", "unit_detail", "unit_list"])
def test_query_count_does_not_grow_with_rows(client, personas, plan, count_queries, page):
    client.force_login(personas["administrator"])
    education = Unit.objects.get(name="县教委")
    url = {
        "plan_detail": plan.get_absolute_url(),
        "unit_detail": education.get_absolute_url(),
        "unit_list": reverse("unit_list"),
    }[page]
    _grow(plan, 0, 3)
    small = count_queries(lambda: client.get(url))
    _grow(plan, 3, 40)
    large = count_queries(lambda: client.get(url))
    assert large == small


def test_a_lock_conflict_in_any_view_is_try_again_not_a_500(rf, personas):
    from viewflow.workflow.exceptions import FlowLockFailed

    from workflows.middleware import FlowLockFailedMiddleware

    request = rf.get("/")
    request.user = personas["own_liaison"]
    response = FlowLockFailedMiddleware(lambda r: None).process_exception(request, FlowLockFailed("busy"))
    assert response.status_code == 409
    assert "有人正在办理这项任务" in response.content.decode()
