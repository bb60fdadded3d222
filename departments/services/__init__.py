"""Every write in departments: memberships (and the object permissions that follow) and cross-unit roles.

The bulk imports of units and people (``departments.imports``) write through these too.
"""

from .accounts import generate_password, must_change_password, password_changed, require_password_change, reset_password
from .memberships import add_member, grant_role, sync_unit_permissions

__all__ = [
    "add_member",
    "generate_password",
    "grant_role",
    "must_change_password",
    "password_changed",
    "require_password_change",
    "reset_password",
    "sync_unit_permissions",
]
