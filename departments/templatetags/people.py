from django import template

from departments.names import display_name

register = template.Library()


@register.filter
def person(user, empty="—"):
    """A user's full name, else username; ``empty`` for no user (e.g. the system)."""
    return display_name(user, empty)
