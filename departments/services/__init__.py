"""Every write in departments: memberships (and the object permissions that follow) and cross-unit roles.

The bulk imports of units and people (``departments.imports``) write through these too.
"""

from .memberships import add_member, grant_role, sync_unit_permissions

__all__ = ["add_member", "grant_role", "sync_unit_permissions"]
