"""The personal bits of comment threads on pages that are rendered with slots."""

from __future__ import annotations

from flask import get_template_attribute
from flask_login import current_user
from sqlalchemy import select

from participation.comments.models import Comment
from participation.extensions import db


def own_comment_actions(comment_ids: list[int]) -> dict[int, str]:
    """Edit and delete under the reader's own comments among `comment_ids`."""
    macro = get_template_attribute("_macros/comments.html", "own_comment_actions")
    own = db.session.scalars(select(Comment).where(Comment.id.in_(comment_ids), Comment.author_id == current_user.id))
    return {comment.id: macro(comment, current_user) for comment in own}
