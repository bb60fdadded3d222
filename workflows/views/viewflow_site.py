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

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Site
from viewflow.utils import viewprop
from viewflow.workflow.flow import views
from viewflow.workflow.flow.viewset import FlowAppViewset
from viewflow.workflow.status import STATUS

from workflows import viewflow_reads as reads
from workflows.flows import DutyFlow

# A task's item (the MTI subclass viewflow "coerces" to), with what its summary names, and the task's owner.
TASK_ITEM = ("process__dutyitem__unit", "process__dutyitem__period", "owner")
StepFilter, ArchiveFilter, TaskListFilter = reads.filters_for(DutyFlow)


class IdsFirst:
    """Pages read ids first: the list's order and OFFSET over the rows' ids alone, then the page's rows with their
    items, units, periods and owners (``in_bulk``). Sorting every full joined row cost a second at the last page of
    200,000 tasks; the query count is the same."""

    def paginate_queryset(self, queryset, page_size):
        paginator, page, ids, is_paginated = super().paginate_queryset(queryset.values_list("pk", flat=True), page_size)
        ids = list(ids)
        rows = queryset.order_by().in_bulk(ids)
        page.object_list = [rows[pk] for pk in ids if pk in rows]
        return paginator, page, page.object_list, is_paginated


class LabelledBrief:
    """viewflow heads a column with the attribute's name ("Brief") unless a view method carries a label."""

    def brief(self, obj):
        return obj.brief

    brief.short_description = _("Brief")


class ItemsWithTasks(IdsFirst, LabelledBrief):
    """A task list whose rows come with their items, units, periods and owners (one query, not four per row)."""

    def get_queryset(self):
        return super().get_queryset().select_related(*TASK_ITEM)


class InboxView(ItemsWithTasks, views.FlowInboxListView):
    filterset_class = StepFilter

    @viewprop
    def queryset(self):
        return reads.inbox_of(self.flow_class, self.request.user).order_by("-created")


class QueueView(ItemsWithTasks, views.FlowQueueListView):
    """The tasks the person may take; filtered by step and date, not by process (viewflow offered every process
    of the queue as a choice)."""

    filterset_class = StepFilter

    @viewprop
    def queryset(self):
        return reads.queue_of(self.flow_class, self.request.user).order_by("-created")


class ArchiveView(ItemsWithTasks, views.FlowArchiveListView):
    filterset_class = ArchiveFilter

    @viewprop
    def queryset(self):
        return reads.archive_of(self.flow_class, self.request.user).order_by("-created")

    def process_summary(self, task):
        return super().process_summary(task)

    process_summary.short_description = _("Process brief")


class TaskListView(ItemsWithTasks, views.DashboardTaskListView):
    """Every task of the flow: the step by its title (not viewflow's node name, "Sign"), then the item."""

    columns = ("task_id", "task_title", "process_summary", "created", "owner")
    filterset_class = TaskListFilter

    @viewprop
    def queryset(self):
        return reads.tasks_of(self.flow_class).order_by("-created")

    def task_title(self, task):
        return task.title

    task_title.short_description = _("Task")

    def process_summary(self, task):
        return task.process.coerced.brief

    process_summary.short_description = _("Process brief")


class OrderedProcessListView(IdsFirst, LabelledBrief, views.DashboardProcessListView):
    """The flow's items, newest first (viewflow paginates them unordered: its Count annotation drops Meta.ordering).
    Each row's active tasks are counted for the page's rows only (``reads.active_task_counts``), not by viewflow's
    COUNT joined over every task of every item."""

    ordering = ("-pk",)  # the order of creation, read backwards along the primary key

    def get_queryset(self):
        # viewflow's own get_queryset adds the COUNT over every task: skip it, keep the filters and the ordering.
        # Every DutyItem is a DutyFlow process (its process class), so no filter on flow_class is needed.
        return super(views.DashboardProcessListView, self).get_queryset().select_related("unit", "period")

    def get_page_data(self, page):
        processes = list(page)
        counts = reads.active_task_counts(process.pk for process in processes)
        for process in processes:
            process.active_tasks_count = counts.get(process.pk, 0)
        return super().get_page_data(processes)

    def process_id(self, process):
        return super().process_id(process)

    process_id.short_description = _("#")

    def active_tasks(self, process):
        return super().active_tasks(process)

    active_tasks.short_description = _("Active tasks")


class DashboardView(views.DashboardView):
    """The kanban: each column the newest tasks of one step (read along an index of the step's tasks by date,
    ``workflows`` migration 0008), with their items, units, periods and owners loaded together; whether the person
    may take a unit's task is asked of the access module (``flows.UnitStep``), not of guardian per card."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)  # viewflow's column querysets are replaced before they run
        unfinished = Q(finished__isnull=True) | Q(status=STATUS.ERROR)
        for column in context["columns"]:
            column["tasks"] = self._newest(reads.tasks_of(self.flow_class).filter(unfinished, flow_task=column["node"]))
        ends = reads.tasks_of(self.flow_class).filter(finished__isnull=False, flow_task__in=context["end_nodes"])
        context["finished"] = self._newest(ends)
        return context

    def _newest(self, tasks):
        return list(tasks.select_related("process", *TASK_ITEM).order_by("-created")[: self.MAX_ROWS])


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

    def get_context_data(self, request):
        """The menu's inbox and queue counts, on every page: viewflow's, read without its joins (``viewflow_reads``)."""
        flow, user = self._flow_class, request.user
        return {"user_inbox": reads.inbox_of(flow, user), "user_queue": reads.queue_of(flow, user)}


site = Site(
    title="任务督办平台 · 流程",
    primary_color="#b42318",
    viewsets=[DutyFlowViewset(DutyFlow, icon="assignment")],
)
