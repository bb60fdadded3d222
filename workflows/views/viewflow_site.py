"""viewflow's own pages (inbox, queue, archive, process and task lists, dashboard, detail, chart) at /workflow/.

They are for the cross-unit roles: viewflow lets in only holders of ``workflows.view_dutyitem``
(``Flow.has_view_permission``), which liaisons never hold; liaisons work on Taskboard's board.
Task URLs of the human steps redirect to the item's page, where the services do the work.

What the pages show of an item is the flow's summary (``DutyFlow.process_summary_template`` and each human
node's ``summary_template``: title, unit, period, deadline, ``templates/workflows/duty/_summary.html``); the
lists load each row's item, unit and period with the row, not one query each. The process page offers 取消 only
to whoever viewflow's cancel view lets in (``has_manage_permission``: nobody but superusers; the office withdraws
items on Taskboard's item page, with a reason), and its panel shows one status, the item's own
(``templates/workflows/duty/``).
"""

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Site
from viewflow.workflow.flow import views
from viewflow.workflow.flow.viewset import FlowAppViewset

from workflows.flows import DutyFlow

# A task's item (the MTI subclass viewflow "coerces" to), with what its summary names, and the task's owner.
TASK_ITEM = ("process__dutyitem__unit", "process__dutyitem__period", "owner")


class LabelledBrief:
    """viewflow heads a column with the attribute's name ("Brief") unless a view method carries a label."""

    def brief(self, obj):
        return obj.brief

    brief.short_description = _("Brief")


class ItemsWithTasks(LabelledBrief):
    """A task list whose rows come with their items, units, periods and owners (one query, not four per row)."""

    def get_queryset(self):
        return super().get_queryset().select_related(*TASK_ITEM)


class InboxView(ItemsWithTasks, views.FlowInboxListView):
    pass


class QueueView(ItemsWithTasks, views.FlowQueueListView):
    pass


class ArchiveView(ItemsWithTasks, views.FlowArchiveListView):
    def process_summary(self, task):
        return super().process_summary(task)

    process_summary.short_description = _("Process brief")


class TaskListView(ItemsWithTasks, views.DashboardTaskListView):
    """Every task of the flow: the step by its title (not viewflow's node name, "Sign"), then the item."""

    columns = ("task_id", "task_title", "process_summary", "created", "owner")

    def task_title(self, task):
        return task.title

    task_title.short_description = _("Task")

    def process_summary(self, task):
        return task.process.coerced.brief

    process_summary.short_description = _("Process brief")


class OrderedProcessListView(LabelledBrief, views.DashboardProcessListView):
    """viewflow's process list paginates unordered (its Count annotation drops Meta.ordering): newest first."""

    def get_queryset(self):
        return super().get_queryset().order_by("-created", "-pk").select_related("unit", "period")

    def process_id(self, process):
        return super().process_id(process)

    process_id.short_description = _("#")

    def active_tasks(self, process):
        return super().active_tasks(process)

    active_tasks.short_description = _("Active tasks")


class DashboardView(views.DashboardView):
    """The kanban: each column's cards with their items, units, periods and owners loaded together (viewflow's own
    two guardian checks per card, for its 执行/认领 buttons, remain: LIBRARY-NOTES §3)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for column in context["columns"]:
            column["tasks"] = list(column["tasks"])
            prefetch_related_objects(column["tasks"], "process", *TASK_ITEM)
        context["finished"] = list(context["finished"])
        prefetch_related_objects(context["finished"], "process", *TASK_ITEM)
        return context


class ProcessDetailView(views.DetailProcessView):
    """The process page; ``can_cancel`` asks what viewflow's cancel view checks, so 取消 shows only where it works."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_cancel"] = self.flow_class.instance.has_manage_permission(self.request.user, obj=self.object)
        return context


class DutyFlowViewset(FlowAppViewset):
    inbox_view_class = InboxView
    queue_view_class = QueueView
    archive_view_class = ArchiveView
    task_list_view_class = TaskListView
    process_list_view_class = OrderedProcessListView
    dashboard_view_class = DashboardView
    process_detail_view_class = ProcessDetailView


site = Site(
    title="任务督办平台 · 流程",
    primary_color="#b42318",
    viewsets=[DutyFlowViewset(DutyFlow, icon="assignment")],
)
