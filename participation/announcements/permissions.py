"""Who may write and send announcements: planners and admins."""

from __future__ import annotations

from participation.core.permissions import can_plan


def can_announce(user) -> bool:
    return can_plan(user)
