"""Who records offline input: staff (moderators, planners, admins)."""

from __future__ import annotations

from participation.core.permissions import can_moderate, can_plan


def can_record_offline(user) -> bool:
    return can_moderate(user) or can_plan(user)
