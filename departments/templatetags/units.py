from django import template
from django.utils.html import format_html

from .. import access

register = template.Library()


@register.simple_tag(takes_context=True)
def unit_link(context, unit):
    """The unit's name, linked to its page where the person may open it (``access.sees_unit``)."""
    request = context.get("request")
    if request is not None and access.sees_unit(request.user, unit):
        return format_html('<a href="{}">{}</a>', unit.get_absolute_url(), unit)
    return format_html("{}", unit)
