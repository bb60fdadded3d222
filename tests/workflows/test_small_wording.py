"""Small wording: the inspection's verdict is chosen, not preset; required fields are marked; a finished item's page
says its state once; the home page describes the board as the person sees it."""

import re
from datetime import date

import pytest
from django.urls import reverse

from workflows import services
from workflows.forms import ChineseForm, InspectForm, ReportForm
from workflows.models import DutyItem


@pytest.fixture
def item(personas, units):
    item = services.create_ad_hoc_item(
        personas["government_office"], unit=units["own"], title="校园周边环境整治", deadline=date(2030, 1, 1)
    )
    services.submit_report(personas["own_liaison"], item, text="已整治", files=[])
    return DutyItem.objects.get(pk=item.pk)


def test_the_verdict_is_not_preset(client, personas, item):
    client.force_login(personas["inspector"])
    page = client.get(item.get_absolute_url()).content.decode()
    select = re.search(r'<select name="verdict".*?</select>', page, re.S).group(0)
    assert re.search(r'<option value="" selected>请选择</option>', select)
    assert 'value="accept" selected' not in select
    assert "仅退回整改时填写" in page


def test_an_inspection_without_a_verdict_is_refused_and_a_return_still_needs_its_deadline(client, personas, item):
    assert not InspectForm({"reasons": "好"}).is_valid()
    returned = InspectForm({"verdict": "return", "reasons": "材料不全"})
    assert not returned.is_valid()
    assert "new_deadline" in returned.errors
    assert InspectForm({"verdict": "accept"}).is_valid()  # a pass needs no deadline
    client.force_login(personas["inspector"])
    response = client.post(reverse("workflows:item_inspect", args=[item.pk]), {"reasons": "好"})
    assert response.status_code == 400
    assert DutyItem.objects.get(pk=item.pk).stage == DutyItem.Stage.INSPECTING


def test_required_fields_are_marked():
    assert ChineseForm.required_css_class == "required"
    html = ReportForm().as_p()
    assert '<label for="id_text" class="required">' in html  # 办理情况 must be written
    assert '<label for="id_progress">' in html  # 完成进度 may be left empty


def test_a_finished_item_says_its_state_once(client, personas, item):
    services.inspect_item(personas["inspector"], item, accepted=True)
    client.force_login(personas["own_liaison"])
    page = client.get(item.get_absolute_url()).content.decode()
    state = re.search(r"<th>状态</th><td>(.*?)</td>", page, re.S).group(1)
    assert state.count('class="tag') == 1


@pytest.mark.parametrize(
    ("persona", "wording"), [("own_liaison", "本单位承办和配合的任务"), ("inspector", "全县各单位的任务")]
)
def test_the_home_page_describes_the_board_as_the_person_sees_it(client, personas, persona, wording):
    client.force_login(personas[persona])
    page = client.get(reverse("home")).content.decode()
    assert wording in page
