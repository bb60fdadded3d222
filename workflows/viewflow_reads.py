"""What viewflow's own pages (/workflow/) read, without the spots that do not scale (issue 15, at 200,000 items and
a million tasks): the same rows as viewflow's managers, read another way.

- A flow's tasks are those of its nodes (``flow_task IN (…)``, each task's node names its flow), not a join of
  every task to its process on ``flow_class``.
- The queue's permission test (``TaskQuerySet.user_queue``) compares plain columns, ``owner_permission`` and
  ``owner_permission_obj_pk``, with the person's permissions, instead of a concatenation of the two, which no
  index can serve; the person's object permissions are read once (guardian's generic tables, as viewflow does).
- The filters offer the flow's steps as choices (``flow_task_choices``), not a ``DISTINCT`` over every task, and the
  queue offers no choice of process (viewflow listed every process in the queue: megabytes of options).
- The process list counts each page's active tasks for that page's rows only (``active_task_counts``), not with a
  ``COUNT`` joined over every task of every process.
"""

from django.db.models import Count, Q
from django_filters import ChoiceFilter, DateRangeFilter, FilterSet
from viewflow.workflow import chart
from viewflow.workflow.fields import get_task_ref
from viewflow.workflow.flow.views import filters as viewflow_filters
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

HUMAN = "HUMAN"


def flow_nodes(flow_class, human_only=False):
    """The flow's nodes in the flow's order (as viewflow's dashboard lays out its columns)."""
    nodes, _edges = chart.topsort(flow_class)
    return [node for node in nodes if not human_only or node.task_type == HUMAN]


def tasks_of(flow_class, human_only=False):
    """The flow's tasks (of its human steps only, if asked), by their nodes."""
    return Task.objects.filter(flow_task__in=[get_task_ref(node) for node in flow_nodes(flow_class, human_only)])


def inbox_of(flow_class, user):
    """viewflow's inbox: the flow's tasks assigned to the person and not yet done."""
    return tasks_of(flow_class).filter(owner=user, status=STATUS.ASSIGNED)


def archive_of(flow_class, user):
    """viewflow's archive: the human tasks the person finished."""
    return tasks_of(flow_class, human_only=True).filter(owner=user, finished__isnull=False)


def _object_permissions(user):
    """{permission: {object pk, …}} the person holds on objects, directly or through a group: viewflow's
    ``per_object_perms``, read once per request."""
    from guardian.models import GroupObjectPermission, UserObjectPermission

    cached = getattr(user, "_taskboard_object_permissions", None)
    if cached is not None:
        return cached
    held = {}
    rows = [
        *UserObjectPermission.objects.filter(user=user).values_list(
            "content_type__app_label", "permission__codename", "object_pk"
        ),
        *GroupObjectPermission.objects.filter(group__in=user.groups.all()).values_list(
            "content_type__app_label", "permission__codename", "object_pk"
        ),
    ]
    for app_label, codename, object_pk in rows:
        held.setdefault(f"{app_label}.{codename}", set()).add(object_pk)
    user._taskboard_object_permissions = held
    return held


def queue_of(flow_class, user):
    """viewflow's queue (``TaskQuerySet.queue``): the flow's new human tasks the person may take — those without a
    permission, their own, those whose permission they hold globally or on the task's object."""
    tasks = tasks_of(flow_class, human_only=True).filter(status=STATUS.NEW)
    if user.is_superuser:
        return tasks
    allowed = Q(owner_permission__isnull=True) | Q(owner=user) | Q(owner_permission__in=user.get_all_permissions())
    for permission, object_pks in _object_permissions(user).items():
        allowed |= Q(owner_permission=permission, owner_permission_obj_pk__in=object_pks)
    return tasks.filter(allowed)


def active_task_counts(process_ids):
    """{process id: its tasks not yet finished} for the listed processes (a page of them), one query."""
    rows = (
        Task.objects.filter(process_id__in=list(process_ids), finished__isnull=True)
        .order_by()
        .values("process_id")
        .annotate(n=Count("pk"))
    )
    return {row["process_id"]: row["n"] for row in rows}


# --- the filters ------------------------------------------------------------------------------------------------


def flow_task_choices(flow_class, human_only=False):
    """(node reference, the step's title) for the flow's steps, in the flow's order."""
    return [(get_task_ref(node), str(node.task_title or node.name)) for node in flow_nodes(flow_class, human_only)]


class _StepChoices:
    """The flow's steps as the ``flow_task`` filter's choices (viewflow reads them with a DISTINCT over the list)."""

    flow_class = None
    human_only = True

    def __init__(self, *args, **kwargs):
        FilterSet.__init__(self, *args, **kwargs)  # not viewflow's __init__, which runs the DISTINCT
        self.filters["flow_task"].field.choices = flow_task_choices(self.flow_class, self.human_only)


class UserTaskFilter(_StepChoices, FilterSet):
    """Inbox and queue: by step and by creation date; no choice of process."""

    flow_task = ChoiceFilter()
    created = DateRangeFilter()

    class Meta:
        model = Task
        fields = ("flow_task", "created")


class ArchiveFilter(_StepChoices, viewflow_filters.FlowArchiveListFilter):
    pass


class TaskListFilter(_StepChoices, viewflow_filters.DashboardTaskListViewFilter):
    human_only = False


def filters_for(flow_class):
    """The three filter sets bound to ``flow_class``."""
    bases = (UserTaskFilter, ArchiveFilter, TaskListFilter)
    return tuple(type(base.__name__, (base,), {"flow_class": flow_class}) for base in bases)
