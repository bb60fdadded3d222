"""Views viewflow's nodes point at: the work itself happens on the item's page in Taskboard."""

from django.shortcuts import get_object_or_404, redirect
from django.views import View

from ..models import DutyItem


class TaskRedirectView(View):
    """A viewflow task URL (inbox, queue, process detail) leads to the item's page, if the user may see it."""

    def dispatch(self, request, *args, **kwargs):
        item = get_object_or_404(DutyItem.objects.for_user(request.user), pk=kwargs["process_pk"])
        return redirect(item.get_absolute_url())
