"""viewflow's own pages (inbox, queue, archive, process and task lists, dashboard, detail, chart) at /workflow/.

They are for the cross-unit roles: viewflow lets in only holders of ``workflows.view_dutyitem``
(``Flow.has_view_permission``), which liaisons never hold; liaisons work on Taskboard's board.
Task URLs of the human steps redirect to the item's page, where the services do the work.
"""

from viewflow.urls import Site
from viewflow.workflow.flow import views
from viewflow.workflow.flow.viewset import FlowAppViewset

from workflows.flows import DutyFlow


class OrderedProcessListView(views.DashboardProcessListView):
    """viewflow's process list paginates unordered (its Count annotation drops Meta.ordering): newest first."""

    def get_queryset(self):
        return super().get_queryset().order_by("-created", "-pk")


class DutyFlowViewset(FlowAppViewset):
    process_list_view_class = OrderedProcessListView


site = Site(
    title="任务督办平台 · 流程",
    primary_color="#b42318",
    viewsets=[DutyFlowViewset(DutyFlow, icon="assignment")],
)
