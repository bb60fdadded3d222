"""viewflow's pages read their rows another way at scale (``workflows.viewflow_reads``, ``flows.UnitStep``): the
same rows and the same answers as viewflow's own managers and nodes, for every persona and every step; the queue
offers the flow's steps as filters, not every process; the process list counts each row's active tasks.
"""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from viewflow.workflow.flow import View
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from workflows import services
from workflows import viewflow_reads as reads
from workflows.flows import DutyFlow

pytestmark = pytest.mark.django_db

PERSONAS = [
    "government_office",
    "inspector",
    "plan_office",
    "assessment_reader",
    "own_liaison",
    "cooperating_liaison",
    "stranger_liaison",
]


@pytest.fixture
def office(personas):
    return personas["government_office"]


@pytest.fixture
def steps(office, personas, units):
    """Items at every step: to sign (own), to report (cooperating), to inspect (own), handed back (stranger), closed
    (own); and the report of the cooperating unit's item assigned to its liaison (viewflow's 认领)."""

    def item(unit, title):
        return services.create_ad_hoc_item(office, unit=units[unit], title=title, deadline=date(2030, 1, 1))

    item("own", "待签收")
    reporting = item("cooperating", "待填报")
    services.sign_item(personas["cooperating_liaison"], reporting)
    services.submit_report(personas["own_liaison"], item("own", "待检查"), text="已办")
    services.hand_back_item(personas["stranger_liaison"], item("stranger", "退回"), reason="不属本单位职责")
    closed = item("own", "已办结")
    services.submit_report(personas["own_liaison"], closed, text="已办")
    services.inspect_item(personas["inspector"], closed, accepted=True, reasons="符合要求")
    report = Task.objects.get(process=reporting, flow_task=DutyFlow.report, status=STATUS.NEW)
    Task.objects.filter(pk=report.pk).update(owner=personas["cooperating_liaison"], status=STATUS.ASSIGNED)


def people(personas):
    admin = get_user_model().objects.create_superuser("root", password="pw-for-tests")
    return {**{name: personas[name] for name in PERSONAS}, "superuser": admin}


def ids(tasks):
    return sorted(tasks.values_list("pk", flat=True))


def test_the_lists_hold_viewflows_rows_for_everyone(personas, steps):
    viewflow = Task.objects
    assert ids(reads.tasks_of(DutyFlow)) == ids(viewflow.filter(process__flow_class=DutyFlow))
    assert ids(reads.tasks_of(DutyFlow, human_only=True)) == ids(
        viewflow.filter(process__flow_class=DutyFlow, flow_task_type="HUMAN")
    )
    for name, user in people(personas).items():
        queue = viewflow.user_queue(user, flow_class=DutyFlow).filter(status=STATUS.NEW)
        assert ids(reads.queue_of(DutyFlow, user)) == ids(queue), name
        inbox = viewflow.filter(process__flow_class=DutyFlow, owner=user, status=STATUS.ASSIGNED)
        assert ids(reads.inbox_of(DutyFlow, user)) == ids(inbox), name
        assert ids(reads.archive_of(DutyFlow, user)) == ids(viewflow.user_archive(user, flow_class=DutyFlow)), name
    office_queue = reads.queue_of(DutyFlow, personas["government_office"])
    assert {task.flow_task for task in office_queue} == {DutyFlow.review_hand_back}
    assert {task.flow_task for task in reads.queue_of(DutyFlow, personas["inspector"])} == {DutyFlow.inspect}
    assert {task.flow_task for task in reads.queue_of(DutyFlow, personas["own_liaison"])} == {DutyFlow.sign}
    assert reads.inbox_of(DutyFlow, personas["cooperating_liaison"]).get().flow_task == DutyFlow.report


def test_who_may_take_a_units_task_is_viewflows_answer(personas, steps):
    """``UnitStep.can_assign`` (the access module's units) says what viewflow's ``View.can_assign`` (guardian) says."""
    tasks = Task.objects.filter(flow_task__in=[DutyFlow.sign, DutyFlow.report]).select_related("process", "owner")
    assert {task.status for task in tasks} >= {STATUS.NEW, STATUS.ASSIGNED, STATUS.DONE}
    for name, user in people(personas).items():
        for task in tasks:
            node = task.flow_task
            assert node.can_assign(user, task) == View.can_assign(node, user, task), (name, node.name, task.status)
    own_sign = Task.objects.get(flow_task=DutyFlow.sign, status=STATUS.NEW, process__dutyitem__title="待签收")
    assert DutyFlow.sign.can_assign(personas["own_liaison"], own_sign)
    assert not DutyFlow.sign.can_assign(personas["cooperating_liaison"], own_sign)


def test_the_queue_filters_by_step_not_by_process(client, personas, steps):
    client.force_login(personas["inspector"])
    response = client.get(reverse("duty:queue"))
    assert response.status_code == 200
    assert 'name="process"' not in response.content.decode()
    fields = response.context["view"].filterset.form.fields
    assert set(fields) == {"flow_task", "created"}
    steps = [(ref, str(title)) for ref, title in fields["flow_task"].choices if ref]
    assert steps == reads.flow_task_choices(DutyFlow, human_only=True)
    assert [title for _ref, title in steps] == ["交办", "签收", "处理退回交办", "填报", "检查"]
    filtered = client.get(reverse("duty:queue"), {"flow_task": reads.flow_task_choices(DutyFlow, True)[0][0]})
    assert filtered.status_code == 200


def test_the_process_list_counts_each_items_active_tasks_newest_first(client, personas, office, steps):
    client.force_login(office)
    response = client.get(reverse("duty:process_list"))  # viewflow's default: the items not finished
    assert response.status_code == 200
    rows = list(response.context["page_obj"])
    assert {row.title for row in rows} >= {"待签收", "待填报", "待检查", "退回"}
    assert [row.pk for row in rows] == sorted((row.pk for row in rows), reverse=True)
    active = {row.title: row.active_tasks_count for row in rows}
    assert active == {row.title: Task.objects.filter(process=row, finished__isnull=True).count() for row in rows}
    assert active["待填报"] == 1
    assert active.get("已办结", 0) == 0


def test_later_pages_hold_the_rest_in_order(client, office, units):
    """The lists read a page's ids first, then its rows: page 2 goes on where page 1 stopped, in the same order."""
    for number in range(27):
        services.create_ad_hoc_item(office, unit=units["own"], title=f"任务{number:02d}", deadline=date(2030, 1, 1))
    client.force_login(office)

    def titles(name, page, title):
        rows = client.get(reverse(name), {"page": page}).context["page_obj"]
        return [title(row) for row in rows]

    processes = titles("duty:process_list", 1, lambda row: row.title) + titles(
        "duty:process_list", 2, lambda row: row.title
    )
    assert processes == [f"任务{number:02d}" for number in reversed(range(27))]
    tasks = titles("duty:task_list", 1, lambda task: task.pk) + titles("duty:task_list", 2, lambda task: task.pk)
    expected = reads.tasks_of(DutyFlow).filter(finished__isnull=True).order_by("-created").values_list("pk", flat=True)
    assert tasks == list(expected)
