from departments.roles import roles_of


def roles(request):
    """The current user's cross-unit roles, for menus that show each role what it can do."""
    user = getattr(request, "user", None)
    return {"user_roles": roles_of(user) if user is not None else set()}
