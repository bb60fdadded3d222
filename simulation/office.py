"""What the offices do, by a fixed policy (README, "The plan as a time-lapse"), through the services.

The government office (县政府办公室):
- opens each year's cycle on the year's first working day, and a phase of at most a year (评估验收) on its
  first working day (the seven-year 组织实施 phase is worked through its yearly cycles);
- settles a hand-back the working day after it: to the first cooperating unit when the draw says so, else
  confirming the unit;
- decides an extension request the working day after it: approved up to 31 days when the draw allows, else
  refused with a reason;
- urges every unit with overdue items on the Monday of every even-numbered week (when it is a working day);
- on the first working day of each quarter, publishes a circular on the year's period (January's on the year
  just ended): it praises the units with every item closed on time and names those the ladder marked for one.

The plan office (领导小组办公室) imports the year's school figures on the first working day from 15 October,
turns the year's shortfalls into rectification items from 1 November (due in 30 days), and generates the
self-evaluation report of the plan's target year from 20 November of that year. The assessor (考核办)
computes and publishes each year's assessment (of a year whose cycle was opened) from 15 January of the next year.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError

from assessments import services as assessments
from assessments.models import AssessmentRun
from departments.models import Unit
from indicators.report.services import request_report
from indicators.services.rectification import raise_rectifications
from notices import reads as notice_reads
from notices import services as notices
from notices.models import Circular
from workflows import services
from workflows.models import DutyItem, ExtensionRequest, HandBack, Period

from .invariants import assessment_recomputes
from .profiles import draw
from .schools import enter_year

URGING = "你单位有任务已逾期，请抓紧办理，并在一周内报送办理情况。"
EXTENSION_REFUSED = "申请延期时间过长或理由不充分，请按原期限完成。"
QUARTER_MONTHS = (1, 4, 7, 10)


class Office:
    def __init__(self, seed, cast, days, plan, counts):
        self.seed, self.cast, self.days, self.plan, self.counts = seed, cast, days, plan, counts
        phases = plan.phases.order_by("starts_on")
        self.short_phases = [phase for phase in phases if (phase.ends_on - phase.starts_on).days <= 366]

    def act(self, day):
        self.open_periods(day)
        self.settle_hand_backs(day)
        self.decide_extensions(day)
        if day.weekday() == 0 and day.isocalendar().week % 2 == 0:
            self.urge(day)
        if day.month in QUARTER_MONTHS and self.days.is_first_workday_from(day, day.month):
            self.circulate(day)

    def open_periods(self, day):
        if self.days.is_first_workday_from(day, 1) and day.year <= self.plan.target_year:
            self.counts["items opened"] += len(services.open_cycle(self.cast.office, self.plan, year=day.year).created)
        for phase in self.short_phases:
            if day == self.days.first_workday_from(phase.starts_on):
                opened = services.open_cycle(self.cast.office, self.plan, phase=phase)
                self.counts["items opened"] += len(opened.created)

    def settle_hand_backs(self, day):
        pending = HandBack.objects.filter(resolution=HandBack.Resolution.PENDING, created_at__date__lt=day)
        for hand_back in pending.select_related("item__unit").order_by("item__deadline", "pk"):
            item = hand_back.item
            partners = [u for u in item.cooperating_units.order_by("name") if not u.is_collective]
            if partners and draw(self.seed, item.title, item.unit.name, "hand back to") < 0.5:
                services.resolve_hand_back(self.cast.office, item, new_unit=partners[0], note="改由配合单位牵头办理。")
            else:
                services.resolve_hand_back(self.cast.office, item, note="经研究，仍由你单位承办。")
            self.counts["hand-backs settled"] += 1

    def decide_extensions(self, day):
        pending = ExtensionRequest.objects.filter(status=ExtensionRequest.Status.PENDING, created_at__date__lt=day)
        for request in pending.select_related("item__unit").order_by("created_at", "pk"):
            asked = (request.requested_deadline - request.current_deadline).days
            approve = (
                asked <= 31
                and draw(self.seed, request.item.title, request.item.unit.name, request.current_deadline, "approve")
                < 0.8
            )
            services.decide_extension(
                self.cast.office, request, approve=approve, reason="" if approve else EXTENSION_REFUSED
            )
            self.counts["extensions approved" if approve else "extensions refused"] += 1

    def urge(self, day):
        overdue = DutyItem.objects.filter(stage__in=DutyItem.WORKING_STAGES, deadline__lt=day).values("unit")
        for unit in Unit.objects.filter(pk__in=overdue).order_by("name"):
            notices.urge_unit(self.cast.office, unit, message=URGING)
            self.counts["urgings"] += 1

    def circulate(self, day):
        year = day.year - 1 if day.month == 1 else day.year
        period = Period.objects.filter(plan=self.plan, kind=Period.Kind.YEAR, year=year).first()
        if period is None or Circular.objects.filter(period=period, created_at__date=day).exists():
            return
        criticised = notice_reads.circular_candidates(period)
        praised = [u for u in notice_reads.praisable_units() if u.pk in notice_reads.units_closed_on_time(period)]
        praised = [u for u in praised if u not in criticised]
        if not criticised and not praised:
            return
        quarter = (day.month - 1) // 3 or 4
        circular = notices.draft_circular(
            self.cast.office,
            title=f"关于{year}年第{quarter}季度教育优质均衡任务推进情况的通报",
            period=period,
            rectification_deadline=day + timedelta(days=30),
            criticised=criticised,
            praised_units=praised,
            summary="根据《实施方案》任务分工，现将各单位任务办理情况通报如下。",
        )
        notices.publish_circular(self.cast.office, circular)
        self.counts["circulars"] += 1


class PlanOffice:
    def __init__(self, seed, cast, days, plan, counts):
        self.seed, self.cast, self.days, self.plan, self.counts = seed, cast, days, plan, counts

    def act(self, day):
        if self.days.is_first_workday_from(day, 10, 15):
            enter_year(self.seed, self.cast.plan_office, day.year)
            self.counts["school years entered"] += 1
        if self.days.is_first_workday_from(day, 11, 1):
            try:
                raised = raise_rectifications(self.cast.plan_office, day.year, day + timedelta(days=30))
            except ValidationError:
                raised = []
            self.counts["rectification items"] += len(raised)
        if day.year == self.plan.target_year and self.days.is_first_workday_from(day, 11, 20):
            request_report(self.cast.plan_office, day.year)
            self.counts["self-evaluation reports"] += 1


class Assessor:
    def __init__(self, cast, days, counts, problems):
        self.cast, self.days, self.counts, self.problems = cast, days, counts, problems

    def act(self, day):
        if self.days.is_first_workday_from(day, 1, 15):
            year = day.year - 1
            runs = AssessmentRun.objects.filter(year=year)
            opened = Period.objects.filter(kind=Period.Kind.YEAR, year=year).exists()  # a year with duties to judge
            if opened and not runs.exclude(status=AssessmentRun.Status.DRAFT).exists():
                run = assessments.publish(self.cast.assessor, assessments.start_run(self.cast.assessor, year))
                self.problems.extend(assessment_recomputes(run))
                self.counts["assessments published"] += 1

    def draft(self, day):
        """At the end of a run: the year so far as a draft (what the department sees during a year)."""
        if not AssessmentRun.objects.filter(year=day.year).exists():
            assessments.start_run(self.cast.assessor, day.year, as_of=day)
