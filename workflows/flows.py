"""The duty flow: assign → sign → report → inspect → (accepted) end, or back to report for rework.

At 签收 (sign) the owner unit either signs for the item (on to report) or hands it back to the office
(退回交办), whose review sends it back to sign, for the same unit or another one.

Every human step is a viewflow View task, so viewflow's task history is the
truth of who did each step. The steps are *performed* by services
(``workflows.services``), which authorise the user themselves and write the
item's timeline; viewflow's task pages for these nodes only redirect to the
item's page in Taskboard. Node and class names are persisted by viewflow as
strings: never rename them.
"""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from departments import access

from .locks import row_lock
from .models import DutyItem
from .views.task_redirect import TaskRedirectView

# What viewflow's pages show of an item (cards, lists, the process page): its title, unit, period and deadline.
SUMMARY = '{% include "workflows/duty/_summary.html" %}'


def owner_unit(process):
    # viewflow may pass the base Process (LIBRARY-NOTES §8.1): coerce first.
    return process.coerced.unit


class UnitStep(flow.View):
    """A human step of the item's owner unit (签收, 填报). Whether a person may take it — viewflow's ``can_assign``,
    asked for every card of its dashboard — is answered from the access module's units, read once per request,
    not from a guardian query per task. The answer is viewflow's: nobody once the task has an owner; otherwise the
    unit's liaisons (the object permission), holders of the permission globally, superusers."""

    def can_assign(self, user, task):
        if task.owner_permission != access.ACT_FOR_UNIT_PERMISSION:
            return super().can_assign(user, task)
        if task.owner_id or user is None or not user.is_authenticated:
            return False
        return access.may_take_unit_task(user, task.process.coerced.unit_id)


class DutyFlow(flow.Flow):
    process_class = DutyItem
    lock_impl = row_lock
    process_title = _("Duty item")
    process_description = _("A unit's duty for a period: assigned, reported with evidence, inspected, closed.")
    process_summary_template = SUMMARY

    start = flow.StartHandle(this.start_item).Annotation(title=_("Open")).Next(this.assign)
    assign = (
        flow.View(TaskRedirectView.as_view())
        .Annotation(title=_("Hand over"), summary_template=SUMMARY)
        .Permission(access.OFFICE_PERMISSION)
        .Next(this.sign)
    )
    sign = (
        UnitStep(TaskRedirectView.as_view())
        .Annotation(title=_("Sign for"), summary_template=SUMMARY)
        .Permission(access.ACT_FOR_UNIT_PERMISSION, obj=owner_unit)
        .Next(this.signed)
    )
    signed = flow.If(this.is_signed).Annotation(title=_("Signed?")).Then(this.report).Else(this.review_hand_back)
    review_hand_back = (
        flow.View(TaskRedirectView.as_view())
        .Annotation(title=_("Review hand-back"), summary_template=SUMMARY)
        .Permission(access.OFFICE_PERMISSION)
        .Next(this.sign)
    )
    report = (
        UnitStep(TaskRedirectView.as_view())
        .Annotation(title=_("Report"), summary_template=SUMMARY)
        .Permission(access.ACT_FOR_UNIT_PERMISSION, obj=owner_unit)
        .Next(this.inspect)
    )
    inspect = (
        flow.View(TaskRedirectView.as_view())
        .Annotation(title=_("Inspect"), summary_template=SUMMARY)
        .Permission(access.INSPECT_PERMISSION)
        .Next(this.check)
    )
    check = flow.If(this.is_accepted).Annotation(title=_("Accepted?")).Then(this.end).Else(this.report)
    end = flow.End().Annotation(title=_("Closed"), summary_template=SUMMARY)

    def start_item(self, activation, **fields):
        for name, value in fields.items():
            setattr(activation.process, name, value)
        return activation.process

    def is_signed(self, activation):
        return not DutyItem.objects.filter(pk=activation.process.pk, stage=DutyItem.Stage.HANDED_BACK).exists()

    def is_accepted(self, activation):
        return DutyItem.objects.filter(pk=activation.process.pk, stage=DutyItem.Stage.CLOSED).exists()
