"""Pre-moderation: whether a new contribution waits for a moderator's approval, under the site
settings. Proposals and comments ask it when they are written; the moderation decides later."""

from __future__ import annotations

from sqlalchemy import func, select

from participation.core.permissions import can_moderate, can_plan
from participation.core.settings import get_setting
from participation.extensions import db

# the models whose published rows are someone's contributions (proposals, comments); each area
# registers its own where the model is defined
CONTRIBUTIONS: list = []


def register_contribution(model) -> None:
    """`model` has author_id and published_at; its published rows count towards "first"."""
    if model not in CONTRIBUTIONS:
        CONTRIBUTIONS.append(model)


def published_contributions(author) -> int:
    return sum(
        db.session.scalar(
            select(func.count(model.id)).where(model.author_id == author.id, model.published_at.is_not(None))
        )
        for model in CONTRIBUTIONS
    )


def premoderation_reasons(author) -> list[str]:
    """Why a new contribution of `author` waits for approval under the current setting."""
    if can_moderate(author) or can_plan(author):
        return []
    mode = get_setting("premoderation")
    if mode == "all":
        return ["all"]
    if mode == "first" and published_contributions(author) < get_setting("premoderation_first"):
        return ["first"]
    return []
