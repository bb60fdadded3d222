"""``{% countdown item %}``: the deadline's countdown as a labelled badge (workflows.countdown).

The working-day calendar is loaded at most once per request, and only if an item counted in working days is shown.
"""

from django import template
from django.utils.html import format_html

from workdays.calendar import WorkCalendar

from ..countdown import countdown as item_countdown

register = template.Library()


def _calendar(context):
    holder = context.get("request") or context
    calendar = getattr(holder, "_work_calendar", None)
    if calendar is None:
        calendar = WorkCalendar.load()
        try:
            holder._work_calendar = calendar
        except AttributeError:  # a plain context: load per render
            pass
    return calendar


@register.simple_tag(takes_context=True)
def countdown(context, item):
    """A badge, or nothing for an item with no countdown (awaiting inspection, closed, withdrawn)."""
    calendar = _calendar(context) if item.working_days else None
    value = item_countdown(item, calendar=calendar)
    if value is None:
        return ""
    return format_html('<span class="countdown countdown--{}">{}</span>', value.state, value.label)
