"""Administration operations; each is logged in the audit log."""

from __future__ import annotations

from participation.accounts.models import User, UserRole
from participation.core.audit import record_decision
from participation.core.i18n import N_
from participation.core.models import utcnow
from participation.mail.services import queue_mail


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


def _block_state(user: User) -> dict:
    return {"blocked_at": user.blocked_at, "blocked_until": user.blocked_until, "reason": user.blocked_reason}


def block_user(actor: User, user: User, reason: str, until) -> None:
    before = _block_state(user)
    user.blocked_at = utcnow()
    user.blocked_until = until
    user.blocked_reason = reason
    user.blocked_by_id = actor.id
    record_decision(actor, "block_user", user, reason=reason, before=before, after=_block_state(user))
    queue_mail(user, "account_blocked", N_("Your account has been blocked"), reason=reason, until=until)


def unblock_user(actor: User, user: User) -> None:
    before = _block_state(user)
    user.blocked_at = None
    user.blocked_until = None
    user.blocked_reason = None
    user.blocked_by_id = None
    record_decision(actor, "unblock_user", user, before=before, after=_block_state(user))
