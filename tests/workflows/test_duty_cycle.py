"""The duty cycle through the services: opening a cycle, the flow with reworks, withdrawal, contributions, uploads."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from viewflow.workflow.models import Task

from departments.models import Unit
from workflows import cycles, services
from workflows.flows import DutyFlow
from workflows.models import DutyItem, DutyTemplate, Evidence, ItemEvent, Report

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def pdf(name="材料.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def office(personas):
    return personas["government_office"]


@pytest.fixture
def townships():
    collective = Unit.objects.get(kind=Unit.Kind.COLLECTIVE)
    members = [Unit.objects.create(name=name, kind=Unit.Kind.TOWNSHIP) for name in ("白帝镇", "草堂镇", "永安街道")]
    collective.member_units.add(*members)
    return members


@pytest.fixture
def item(plan, office, units):
    services.open_cycle(office, plan, year=2026)
    return DutyItem.objects.get(unit=units["own"], period__year=2026)


def later(days):
    return timezone.localdate() + timedelta(days=days)


def tasks(item, node):
    return Task.objects.filter(process=item, flow_task=node)


# --- opening a cycle --------------------------------------------------------------------------------


def test_open_cycle_creates_one_item_per_template_and_unit_due_at_year_end(plan, office, townships):
    preview = cycles.preview_cycle(plan, year=2026)
    collective_clauses = DutyTemplate.objects.filter(plan=plan, lead_unit__kind=Unit.Kind.COLLECTIVE).count()
    templates = DutyTemplate.objects.filter(plan=plan).count()
    assert preview.item_count == templates - collective_clauses + collective_clauses * len(townships)
    assert "将为" in preview.summary()
    assert "2026年12月31日" in preview.summary()

    result = services.open_cycle(office, plan, year=2026)
    assert len(result.created) == preview.item_count
    items = DutyItem.objects.filter(period=result.period)
    assert set(items.values_list("deadline", flat=True)) == {date(2026, 12, 31)}
    assert set(items.values_list("stage", flat=True)) == {DutyItem.Stage.SIGNING}
    # Each township reports for itself on every duty of 各乡镇（街道）.
    for township in townships:
        assert items.filter(unit=township).count() == collective_clauses
    education = Unit.objects.get(name="县教委")
    assert items.filter(unit=education).count() == DutyTemplate.objects.filter(lead_unit=education).count()


def test_opening_the_same_period_twice_creates_nothing(plan, office):
    first = services.open_cycle(office, plan, year=2026)
    again = services.open_cycle(office, plan, year=2026)
    assert again.created == []
    assert again.existing == len(first.created)
    assert DutyItem.objects.filter(period__year=2026).count() == len(first.created)


def test_collective_without_members_is_reported_not_opened(plan):
    preview = cycles.preview_cycle(plan, year=2026)
    assert any("还没有成员单位" in warning for warning in preview.warnings)
    assert not any(p.unit.is_collective for p in preview.planned)


def test_cadence_sets_how_often_and_when(plan, office, units):
    template = DutyTemplate.objects.filter(lead_unit=units["own"]).first()
    template.cadence, template.due_day = DutyTemplate.Cadence.QUARTERLY, 31
    template.save()
    services.open_cycle(office, plan, year=2026)
    deadlines = list(
        DutyItem.objects.filter(template=template).order_by("occurrence").values_list("deadline", flat=True)
    )
    assert deadlines == [date(2026, 3, 31), date(2026, 6, 30), date(2026, 9, 30), date(2026, 12, 31)]
    assert "（第2/4次）" in DutyItem.objects.get(template=template, occurrence=2).title


def test_a_phase_is_a_period_too(plan, office):
    phase = plan.phases.get(order=1)
    result = services.open_cycle(office, plan, phase=phase)
    assert result.period.label == "宣传启动阶段"
    assert {i.deadline for i in result.created} == {date(2021, 12, 31)}


def test_only_the_office_opens_cycles(plan, personas):
    with pytest.raises(PermissionDenied):
        services.open_cycle(personas["own_liaison"], plan, year=2026)
    with pytest.raises(PermissionDenied):
        services.open_cycle(personas["inspector"], plan, year=2026)
    assert not DutyItem.objects.exists()


def test_a_sole_liaison_becomes_the_assignee(plan, office, units, personas):
    services.open_cycle(office, plan, year=2026)
    assert DutyItem.objects.get(unit=units["own"]).assignee == personas["own_liaison"]


def test_open_cycle_command(plan, office):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("open_cycle", "--year", "2026", "--by", office.username, stdout=out, stderr=StringIO())
    assert "已开启2026年度：新建" in out.getvalue()
    assert "用时" in out.getvalue()


# --- the flow -----------------------------------------------------------------------------------------


def test_whole_flow_with_two_reworks(item, personas):
    liaison, inspector = personas["own_liaison"], personas["inspector"]
    services.save_progress(liaison, item, text="已部署", progress=30)
    services.save_progress(liaison, item, text="已检查10所学校", progress=60, files=[pdf()])
    for rework in (1, 2):
        services.submit_report(liaison, item, text=f"第{rework}次提交", files=[pdf()])
        item.refresh_from_db()
        assert item.stage == DutyItem.Stage.INSPECTING
        services.inspect_item(inspector, item, accepted=False, reasons="佐证不足", new_deadline=later(10 + rework))
        item.refresh_from_db()
        assert (item.stage, item.reworks, item.deadline) == (DutyItem.Stage.REPORTING, rework, later(10 + rework))
    services.submit_report(liaison, item, text="第3次提交")
    services.inspect_item(inspector, item, accepted=True, reasons="符合要求")
    item.refresh_from_db()
    assert item.stage == DutyItem.Stage.CLOSED
    assert item.status == "DONE"
    assert item.closed_at
    # viewflow's history is the truth of who did each human step.
    assert [t.owner for t in tasks(item, DutyFlow.report).order_by("pk")] == [liaison] * 3
    assert [t.owner for t in tasks(item, DutyFlow.inspect).order_by("pk")] == [inspector] * 3
    assert tasks(item, DutyFlow.end).get().status == "DONE"
    kinds = list(item.events.values_list("kind", flat=True))
    assert kinds.count(ItemEvent.Kind.RETURNED) == 2
    assert kinds[-1] == ItemEvent.Kind.ACCEPTED
    assert Evidence.objects.filter(report__item=item).count() == 3


def test_returning_needs_reasons_and_a_deadline(item, personas):
    services.submit_report(personas["own_liaison"], item, text="完成")
    with pytest.raises(ValidationError, match="理由"):
        services.inspect_item(personas["inspector"], item, accepted=False, reasons=" ", new_deadline=later(5))
    with pytest.raises(ValidationError, match="截止日期"):
        services.inspect_item(personas["inspector"], item, accepted=False, reasons="不全", new_deadline=None)
    item.refresh_from_db()
    assert item.stage == DutyItem.Stage.INSPECTING
    assert not item.inspections.exists()


def test_only_inspectors_inspect_and_only_owners_submit(item, personas):
    with pytest.raises(PermissionDenied):
        services.submit_report(personas["stranger_liaison"], item, text="x")
    with pytest.raises(PermissionDenied):
        services.submit_report(personas["government_office"], item, text="x")
    services.submit_report(personas["own_liaison"], item, text="完成")
    for persona in ("own_liaison", "government_office", "plan_office"):
        with pytest.raises(PermissionDenied):
            services.inspect_item(personas[persona], item, accepted=True)


def test_submitting_twice_is_refused_with_a_clear_message(item, personas):
    services.submit_report(personas["own_liaison"], item, text="完成")
    with pytest.raises(ValidationError, match="待检查"):
        services.submit_report(personas["own_liaison"], item, text="再次提交")
    assert item.reports.filter(kind=Report.Kind.SUBMISSION).count() == 1


def test_withdrawal_cancels_the_process_and_keeps_everything(item, personas, office):
    services.save_progress(personas["own_liaison"], item, text="进展")
    with pytest.raises(ValidationError, match="理由"):
        services.withdraw_item(office, item, reason="")
    with pytest.raises(PermissionDenied):
        services.withdraw_item(personas["own_liaison"], item, reason="不想做")
    services.withdraw_item(office, item, reason="任务调整")
    item.refresh_from_db()
    assert item.stage == DutyItem.Stage.WITHDRAWN
    assert item.status == "CANCELED"
    assert item.withdrawn_reason == "任务调整"
    assert not Task.objects.filter(process=item, finished__isnull=True).exists()
    assert item.reports.count() == 1  # nothing deleted
    with pytest.raises(ValidationError):
        services.submit_report(personas["own_liaison"], item, text="晚了")


def test_cooperating_units_contribute_but_cannot_submit(item, personas):
    cooperating = personas["cooperating_liaison"]
    report = services.add_contribution(cooperating, item, text="城管已清理占道经营", files=[pdf()])
    assert report.unit.name == "县城管局"
    assert report.kind == Report.Kind.CONTRIBUTION
    with pytest.raises(PermissionDenied):
        services.submit_report(cooperating, item, text="替牵头单位提交")
    with pytest.raises(PermissionDenied):
        services.add_contribution(personas["stranger_liaison"], item, text="x")
    with pytest.raises(PermissionDenied):
        services.add_contribution(personas["own_liaison"], item, text="牵头单位不是配合单位")
    services.submit_report(personas["own_liaison"], item, text="完成")
    services.add_contribution(cooperating, item, text="检查期间补充")  # still open: may add
    assert item.events.filter(kind=ItemEvent.Kind.CONTRIBUTION).count() == 2


# --- uploads ------------------------------------------------------------------------------------------

BAD_UPLOADS = {
    "executable renamed .pdf": SimpleUploadedFile("报告.pdf", b"MZ\x90\x00" + b"\x00" * 60),
    "png renamed .pdf": SimpleUploadedFile("报告.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 60),
    "empty": SimpleUploadedFile("空.pdf", b""),
}


@pytest.mark.parametrize("case", BAD_UPLOADS)
def test_a_bad_upload_writes_nothing(item, personas, case):
    upload = BAD_UPLOADS[case]
    upload.seek(0)
    before = (Report.objects.count(), ItemEvent.objects.count(), Evidence.objects.count())
    with pytest.raises(ValidationError) as raised:
        services.submit_report(personas["own_liaison"], item, text="完成", files=[pdf("好的.pdf"), upload])
    assert upload.name in " ".join(raised.value.messages)
    assert (Report.objects.count(), ItemEvent.objects.count(), Evidence.objects.count()) == before
    item.refresh_from_db()
    assert item.stage == DutyItem.Stage.SIGNING  # a refused report does not sign either


def test_oversize_upload_is_refused(item, personas, settings):
    settings.EVIDENCE_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="上限"):
        services.save_progress(personas["own_liaison"], item, text="进展", files=[pdf()])
    assert not item.reports.exists()


def stored_evidence_files():
    from django.core.files.storage import default_storage

    found, folders = set(), ["evidence"]
    while folders:
        folder = folders.pop()
        if not default_storage.exists(folder):
            continue
        subfolders, files = default_storage.listdir(folder)
        folders += [f"{folder}/{name}" for name in subfolders]
        found |= {f"{folder}/{name}" for name in files}
    return found


def test_a_step_refused_after_its_files_were_stored_leaves_no_file(item, personas, monkeypatch, settings, tmp_path):
    """The files are written inside the step's transaction; when the step then fails (here the viewflow task
    is refused), the transaction rolls back and the files it wrote are deleted: no file without its row."""
    from workflows.services import steps

    settings.MEDIA_ROOT = tmp_path  # a storage of this test's own

    def refused(*args, **kwargs):
        raise services.ItemStateError("这项任务没有待办的这一步（可能已由他人处理）。")

    monkeypatch.setattr(steps, "_perform_task", refused)
    with pytest.raises(services.ItemStateError):
        services.submit_report(personas["own_liaison"], item, text="完成", files=[pdf("第一份.pdf"), pdf("第二份.pdf")])
    assert stored_evidence_files() == set()
    assert not Evidence.objects.filter(report__item=item).exists()
    monkeypatch.undo()
    services.submit_report(personas["own_liaison"], item, text="完成", files=[pdf("第一份.pdf")])
    evidence = Evidence.objects.get(report__item=item)
    assert stored_evidence_files() == {evidence.file.name}


# --- the office's tools -------------------------------------------------------------------------------


def test_deadline_change_is_on_the_timeline_with_its_reason(item, office):
    services.assign_item(office, item, deadline=later(40), instructions="请附照片", reason="汛期顺延")
    event = item.events.get(kind=ItemEvent.Kind.DEADLINE_CHANGED)
    assert (event.old_deadline, event.new_deadline, event.text) == (date(2026, 12, 31), later(40), "汛期顺延")
    with pytest.raises(ValidationError, match="理由"):
        services.assign_item(office, item, deadline=later(50))


def test_extend_and_reassign_many_items(plan, office, units, make_user):
    services.open_cycle(office, plan, year=2026)
    items = list(DutyItem.objects.filter(unit=units["own"]))
    assert services.extend_deadlines(office, items, new_deadline=later(90), reason="统一延期") == len(items)
    assert set(DutyItem.objects.filter(unit=units["own"]).values_list("deadline", flat=True)) == {later(90)}
    colleague = make_user("colleague", unit=units["own"])
    services.reassign_items(office, items, assignee=colleague)
    assert set(DutyItem.objects.filter(unit=units["own"]).values_list("assignee", flat=True)) == {colleague.pk}
    outsider = make_user("outsider", unit=units["stranger"])
    with pytest.raises(ValidationError, match="不是以下单位的联络员"):
        services.reassign_items(office, items, assignee=outsider)


def test_ad_hoc_item(office, units):
    item = services.create_ad_hoc_item(
        office, unit=units["stranger"], title="排查校园周边网吧", deadline=later(7), cooperating_units=[units["own"]]
    )
    assert item.stage == DutyItem.Stage.SIGNING  # handed over, awaiting the unit's signature
    assert item.template is None
    assert list(item.cooperating_units.all()) == [units["own"]]
    with pytest.raises(ValidationError):
        services.create_ad_hoc_item(office, unit=units["stranger"], title="过期", deadline=later(-1))


def test_a_township_contributes_where_its_collective_cooperates(plan, office, townships, make_user):
    """县残联 works 配合乡镇（街道）: each township's liaison sees the item and adds its part."""
    disabled = Unit.objects.get(name="县残联")
    services.open_cycle(office, plan, year=2026)
    item = DutyItem.objects.get(unit=disabled)
    township_liaison = make_user("baidi", unit=townships[0])
    assert DutyItem.objects.for_user(township_liaison).filter(pk=item.pk).exists()
    report = services.add_contribution(township_liaison, item, text="已动员3名残疾儿童入学")
    assert report.unit == townships[0]


def test_new_instructions_and_assignee_are_on_the_timeline(item, office, make_user, units):
    colleague = make_user("colleague2", unit=units["own"], first_name="王五")
    services.assign_item(office, item, deadline=item.deadline, assignee=colleague, instructions="请附现场照片")
    texts = list(item.events.values_list("kind", "text"))
    assert (ItemEvent.Kind.ASSIGNED, "交办要求：请附现场照片") in texts
    assert (ItemEvent.Kind.REASSIGNED, "经办人：王五") in texts
    services.assign_item(office, item, deadline=item.deadline, assignee=colleague, instructions="请附现场照片")
    assert item.events.count() == len(texts)  # nothing changed, nothing recorded
