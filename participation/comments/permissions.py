"""Who may answer, change and delete a comment."""

from __future__ import annotations

from flask import Flask

from participation.comments.models import MAX_DEPTH, PUBLISHED
from participation.comments.services import edit_window_open
from participation.core.permissions import can_contribute, is_user
from participation.core.templating import add_template_predicates


def can_reply(user, comment) -> bool:
    return can_contribute(user) and comment.status == PUBLISHED and comment.depth < MAX_DEPTH


def can_edit_comment(user, comment) -> bool:
    """Authors fix their own comment within the first minutes, while it is published."""
    return can_contribute(user) and comment.author_id == user.id and edit_window_open(comment)


def can_delete_comment(user, comment) -> bool:
    return is_user(user) and comment.author_id == user.id and comment.status == PUBLISHED


def register_template_globals(app: Flask) -> None:
    """Templates call them as `permissions.<name>`."""
    add_template_predicates(app, can_reply, can_edit_comment, can_delete_comment)
