from django.core.exceptions import PermissionDenied


def is_office(user):
    """The office (县政府办公室, 领导小组办公室) urges, issues circulars and retries deliveries."""
    return user.has_perm("workflows.assign_item")


def require_office(user, message="只有县政府办公室可以催办或通报。"):
    if not is_office(user):
        raise PermissionDenied(message)
