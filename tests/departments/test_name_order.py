"""Names in Chinese order wherever a person is shown: 姓 张 + 名 伟 is "张伟", never Django's "伟 张"."""

import io
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import load_workbook

from departments.names import display_name, full_name
from workflows import services

BACKWARDS = "伟 张"  # Django's own get_full_name: "first_name last_name"


@pytest.fixture
def zhang(make_user, units):
    return make_user("zhangwei", unit=units["own"], first_name="伟", last_name="张")


@pytest.mark.parametrize(
    ("first", "last", "shown"),
    [("伟", "张", "张伟"), ("张伟", "", "张伟"), ("", "张", "张"), ("John", "Smith", "John Smith"), ("", "", "")],
)
def test_full_name(first, last, shown):
    assert full_name(get_user_model()(username="x", first_name=first, last_name=last)) == shown


def test_every_caller_of_get_full_name_gets_the_chinese_order(zhang):
    assert zhang.get_full_name() == "张伟"  # templates, the admin and the libraries call it
    assert display_name(zhang) == "张伟"
    assert display_name(get_user_model()(username="nobody-named")) == "nobody-named"
    assert display_name(None, empty="系统") == "系统"


def test_the_header_and_the_units_people_list(client, zhang, units):
    client.force_login(zhang)
    for url in [reverse("home"), reverse("unit_detail", args=[units["own"].pk])]:
        page = client.get(url).content.decode()
        assert "张伟" in page, url
        assert BACKWARDS not in page, url


def test_the_items_page_timeline_and_the_boards_export(client, zhang, personas, units):
    item = services.create_ad_hoc_item(
        personas["government_office"], unit=units["own"], title="校园周边环境整治", deadline=date(2030, 1, 1)
    )
    services.assign_item(
        personas["government_office"], item, deadline=item.deadline, assignee=zhang, instructions="", reason=""
    )
    services.save_progress(zhang, item, text="已开始整治", progress=20, files=[])
    client.force_login(zhang)
    page = client.get(item.get_absolute_url()).content.decode()
    assert page.count("张伟") >= 2  # 经办人, and the timeline's line of the saved progress
    assert BACKWARDS not in page

    sheet = load_workbook(io.BytesIO(client.get(reverse("board:export")).content)).active
    headers = [cell.value for cell in sheet[1]]
    assert [row[headers.index("经办人")] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["张伟"]


def test_the_admins_user_list(client, zhang, make_user):
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "张伟" in page
    assert BACKWARDS not in page
