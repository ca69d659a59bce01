"""Who may prepare whose data: every logged-in person their own (the right of access has no
conditions: blocked and unconfirmed accounts too), admins anybody's on a written request."""

from __future__ import annotations

from participation.core.permissions import can_administer


def can_prepare_data_of_others(user) -> bool:
    """Admins, to answer a written request; each time with a reason, in the audit log."""
    return can_administer(user)
