"""How people are named on screen and in messages."""


def display_name(user, empty="—"):
    """A user's full name, else their username; ``empty`` when there is no user (e.g. the system)."""
    if user is None:
        return empty
    return user.get_full_name() or user.get_username()
