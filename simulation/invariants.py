"""What must hold after any stretch of the plan's life (the soak test checks these after a simulation; they hold
the command checks them with ``manage.py simulate_plan --check``).

Each check returns a list of problems in Chinese (empty when it holds):

- ``notices_once``: no (item, rung, deadline, occurrence) has two notices, and a sweep now would write nothing
  (every rung an item reached has been told);
- ``deliveries_settled``: every delivery is sent or failed; none waits, none is stuck mid-sending (those held
  for a daily digest still to come aside);
- ``stages_agree``: each item's stage is what its open viewflow task and the last step on its timeline say;
- ``no_orphan_files``: every evidence and attachment file on disk belongs to a row, and every row's file is there;
- ``assessment_recomputes`` (checked by the simulation as each run is published): the run's stored scores and
  lines are what computing it again from its frozen parameters gives;
- ``indicators_recompute``: each year's stored indicator values and coefficients are what computing it gives.
"""

import os
from collections import Counter, defaultdict
from decimal import Decimal

from django.conf import settings
from django.db.models import Count
from viewflow.workflow.models import Task

from assessments.computation.facts import read_facts
from assessments.computation.parameters import Parameters
from assessments.computation.scoring import score
from assessments.models import AssessmentRun, ScoreLine, UnitScore
from indicators.computation.compute import compute_year
from indicators.models import CoefficientValue, IndicatorValue
from notices.models import Delivery, Notice
from notices.services.sweep import ladder_notices
from workflows.models import DutyItem, Evidence, ExtensionAttachment, ItemEvent

Stage, Kind = DutyItem.Stage, ItemEvent.Kind
TASK_OF_STAGE = {
    Stage.ASSIGNING: "assign",
    Stage.SIGNING: "sign",
    Stage.HANDED_BACK: "review_hand_back",
    Stage.REPORTING: "report",
    Stage.INSPECTING: "inspect",
}
STAGE_AFTER = {
    Kind.SIGNED: Stage.REPORTING,
    Kind.HANDED_BACK: Stage.HANDED_BACK,
    Kind.HANDBACK_RESOLVED: Stage.SIGNING,
    Kind.SUBMITTED: Stage.INSPECTING,
    Kind.RETURNED: Stage.REPORTING,
    Kind.ACCEPTED: Stage.CLOSED,
    Kind.WITHDRAWN: Stage.WITHDRAWN,
}
FILE_FOLDERS = ("evidence", "extensions")


def check_all(today):
    """{check name: [problems]} for every check."""
    return {
        "notices_once": notices_once(today),
        "deliveries_settled": deliveries_settled(today),
        "stages_agree": stages_agree(),
        "no_orphan_files": no_orphan_files(),
        "indicators_recompute": indicators_recompute(),
    }


def notices_once(today):
    twice = (
        Notice.objects.filter(kind=Notice.Kind.RUNG)
        .values("item", "rung", "deadline", "occurrence")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    problems = [
        f"任务 {row['item']} 的同一提醒（梯级 {row['rung']}，第 {row['occurrence']} 次）有 {row['n']} 条"
        for row in twice
    ]
    problems += [
        f"任务 {notice.item_id} 已到“{notice.rung.name}”却未提醒" for notice in ladder_notices(today, everything=True)
    ]
    return problems


def deliveries_settled(today):
    waiting = Delivery.objects.exclude(status__in=[Delivery.Status.SENT, Delivery.Status.FAILED])
    waiting = waiting.exclude(status=Delivery.Status.HELD, digest_on__gte=today)
    return [f"投递 {pk} 仍为“{Delivery.Status(status).label}”" for pk, status in waiting.values_list("pk", "status")]


def stages_agree():
    open_tasks = defaultdict(list)
    for process_id, flow_task in Task.objects.filter(finished__isnull=True).values_list("process_id", "flow_task"):
        open_tasks[process_id].append(flow_task.name)
    last_step = {}
    steps = ItemEvent.objects.filter(kind__in=STAGE_AFTER).order_by("item_id", "created_at", "pk")
    for item_id, kind in steps.values_list("item_id", "kind"):
        last_step[item_id] = STAGE_AFTER[kind]
    problems = []
    for pk, stage in DutyItem.objects.values_list("pk", "stage").order_by("pk"):
        expected = [TASK_OF_STAGE[stage]] if stage in TASK_OF_STAGE else []
        if sorted(open_tasks.get(pk, [])) != expected:
            problems.append(f"任务 {pk} 状态为 {stage}，待办的流程步骤却是 {open_tasks.get(pk, [])}")
        timeline = last_step.get(pk, Stage.SIGNING)  # opened and handed over: awaiting signature
        if timeline != stage and not (stage == Stage.ASSIGNING and pk not in last_step):
            problems.append(f"任务 {pk} 状态为 {stage}，时间线最后一步却表明应为 {timeline}")
    return problems


def no_orphan_files():
    media = settings.MEDIA_ROOT
    stored = set(Evidence.objects.values_list("file", flat=True)) | set(
        ExtensionAttachment.objects.values_list("file", flat=True)
    )
    on_disk = set()
    for folder in FILE_FOLDERS:
        for root, _dirs, files in os.walk(os.path.join(media, folder)):
            on_disk.update(os.path.relpath(os.path.join(root, name), media) for name in files)
    problems = [f"文件 {name} 不属于任何佐证材料" for name in sorted(on_disk - stored)]
    problems += [f"佐证材料的文件 {name} 不存在" for name in sorted(stored - on_disk)]
    return problems


SCORE_FIELDS = ("unit_id", "items_due", "done_on_time", "done_late", "still_overdue", "score", "rank")


def assessments_recompute():
    """Every published run against the items as they are now (see ``assessment_recomputes``)."""
    runs = AssessmentRun.objects.filter(status=AssessmentRun.Status.PUBLISHED).order_by("year")
    return [problem for run in runs for problem in assessment_recomputes(run)]


def assessment_recomputes(run):
    """The run's stored scores and lines against a computation now from its frozen parameters and ``as_of``.

    The computation reads the items' current state (their unit, deadline, stage and last submission), so it holds
    at publication and for as long as nothing of the year's items changes; the simulation checks each run as it is
    published, and reports how many published runs a later computation would change (``drifted_runs``)."""
    problems = []
    parameters = Parameters.from_json(run.parameters)
    result = score(read_facts(parameters, run.year, run.as_of), parameters, run.as_of)
    computed = sorted(_score_row(row) for row in result.scores.to_dict("records"))
    stored = sorted(_score_row(row) for row in UnitScore.objects.filter(run=run).values(*SCORE_FIELDS))
    if computed != stored:
        problems.append(f"{run.year}年的考核重新计算后得分不同")
    stored_lines = ScoreLine.objects.filter(score__run=run).values_list(
        "score__unit_id", "kind", "item_id", "points", "explanation"
    )
    computed_lines = Counter(
        (
            int(row["unit_id"]),
            row["kind"],
            None if row["item_id"] is None or row["item_id"] != row["item_id"] else int(row["item_id"]),
            Decimal(f"{row['points']:.2f}"),
            row["explanation"][:300],
        )
        for row in result.lines.to_dict("records")
    )
    if Counter(stored_lines) != computed_lines:
        problems.append(f"{run.year}年的考核重新计算后得分明细不同")
    return problems


def _score_row(row):
    return tuple(_plain(row.get(name)) for name in SCORE_FIELDS)


def _plain(value):
    if value is None or value != value:  # NaN
        return None
    if isinstance(value, float | Decimal):
        return Decimal(str(value)).quantize(Decimal("0.01"))
    return int(value) if hasattr(value, "__int__") and not isinstance(value, str) else value


def indicators_recompute():
    problems = []
    for year in sorted(set(IndicatorValue.objects.values_list("year", flat=True))):
        result = compute_year(year)
        computed = sorted(
            (row.part_id, row.code, Decimal(str(row.value)).quantize(Decimal("0.0001")))
            for row in result.values.itertuples(index=False)
        )
        stored = sorted(IndicatorValue.objects.filter(year=year).values_list("part_id", "code", "value"))
        if computed != stored:
            problems.append(f"{year}年的指标值重新计算后不同")
        coefficients = sorted(
            (row.stage, row.code, Decimal(str(row.coefficient)).quantize(Decimal("0.000001")))
            for row in result.coefficients.itertuples(index=False)
            if row.coefficient == row.coefficient
        )
        stored = sorted(CoefficientValue.objects.filter(year=year).values_list("stage", "code", "coefficient"))
        if coefficients != stored:
            problems.append(f"{year}年的差异系数重新计算后不同")
    return problems
