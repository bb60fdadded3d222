from django import template

register = template.Library()


@register.filter
def person(user, empty="—"):
    """A user's full name, else username; ``empty`` for no user (e.g. the system)."""
    if user is None:
        return empty
    return user.get_full_name() or user.get_username()
