"""Who may report a proposal or a comment to the moderation."""

from __future__ import annotations

from flask import Flask

from participation.comments.models import PUBLISHED, Comment
from participation.core.permissions import can_contribute
from participation.core.templating import add_template_predicates
from participation.proposals.models import PUBLIC_STATUSES


def can_report(user, target) -> bool:
    """A proposal or a comment others can read, by a confirmed account, not one's own: nothing
    waiting, hidden, withdrawn or deleted (a report would put it back in front of a moderator)."""
    shown = target.status == PUBLISHED if isinstance(target, Comment) else target.status in PUBLIC_STATUSES
    return can_contribute(user) and target.author_id != user.id and shown


def register_template_globals(app: Flask) -> None:
    """Templates call them as `permissions.<name>`."""
    add_template_predicates(app, can_report)
