"""Helpers for the board's tests: a URLconf, and items made quickly in any state.

``urlpatterns`` is the project's own URLconf, plus what the board's tests need
while the project does not serve it yet: the board at ``board/`` and a stand-in
for the item page (``workflows:item_detail``), each added only if missing.
"""

from datetime import timedelta

from django.http import HttpResponse
from django.urls import NoReverseMatch, URLResolver, include, path, reverse
from django.utils import timezone

from taskboard import urls as project_urls
from workflows.models import DutyItem


def _item_page_stand_in(request, pk):
    return HttpResponse(f"item {pk}")


def _serves(name):
    try:
        reverse(name, args=[1], urlconf=project_urls)
    except NoReverseMatch:
        return False
    return True


def _with_item_page(patterns):
    if _serves("workflows:item_detail"):
        return patterns
    stand_in = path("items/<int:pk>/", _item_page_stand_in, name="item_detail")
    result = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace == "workflows":
            pattern = path(str(pattern.pattern), include(([*pattern.url_patterns, stand_in], "workflows")))
        result.append(pattern)
    return result


urlpatterns = _with_item_page(list(project_urls.urlpatterns))
if not any(isinstance(p, URLResolver) and p.namespace == "board" for p in urlpatterns):
    urlpatterns.append(path("board/", include("taskboard.board_urls")))


def make_item(unit, *, days=10, stage=DutyItem.Stage.REPORTING, cooperating=(), **fields):
    """An item due ``days`` after today (Asia/Shanghai), written directly: the board only reads items.

    For lists only; the flows' own behaviour is tested through the services.
    """
    from workflows.flows import DutyFlow

    fields.setdefault("title", f"{unit} 的任务")
    fields.setdefault("kind", DutyItem.Kind.AD_HOC)
    item = DutyItem.objects.create(
        flow_class=DutyFlow,
        unit=unit,
        stage=stage,
        deadline=timezone.localdate() + timedelta(days=days),
        **fields,
    )
    if cooperating:
        item.cooperating_units.set(cooperating)
    return item


def make_items(count, units, *, period=None, assignee=None, cooperating=()):
    """``count`` items spread over the units, every stage and every light, submitted in turn."""
    stages = [DutyItem.Stage.REPORTING, DutyItem.Stage.INSPECTING, DutyItem.Stage.CLOSED, DutyItem.Stage.ASSIGNING]
    now = timezone.now()
    for n in range(count):
        stage = stages[n % len(stages)]
        make_item(
            units[n % len(units)],
            days=(n % 20) - 5,
            stage=stage,
            title=f"批量任务 {n}",
            period=period,
            assignee=assignee,
            cooperating=cooperating,
            submitted_at=now - timedelta(hours=n) if stage == DutyItem.Stage.INSPECTING else None,
        )
