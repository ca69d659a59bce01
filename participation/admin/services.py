"""Administration operations; each is logged in the audit log (blocks: accounts.blocking)."""

from __future__ import annotations

from participation.accounts.models import User, UserRole
from participation.core.audit import record_decision


def set_roles(actor: User, user: User, roles: set[str]) -> bool:
    """Give `user` exactly `roles` (participant always stays); return whether anything changed."""
    roles = set(roles) | {"participant"}
    before = sorted(user.roles)
    if set(before) == roles:
        return False
    user.role_rows = [row for row in user.role_rows if row.role in roles] + [
        UserRole(role=role, granted_by_id=actor.id) for role in sorted(roles - set(before))
    ]
    record_decision(actor, "set_roles", user, before={"roles": before}, after={"roles": sorted(roles)})
    return True
