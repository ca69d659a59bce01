"""Who may answer, change and delete a comment."""

from __future__ import annotations

from flask import Flask

from participation.comments.models import MAX_DEPTH, PUBLISHED
from participation.comments.services import edit_window_open
from participation.core.permissions import can_contribute, is_user
from participation.core.templating import add_template_predicates
from participation.organisations.permissions import can_change_statement


def can_reply(user, comment) -> bool:
    return can_contribute(user) and comment.status == PUBLISHED and comment.depth < MAX_DEPTH


def author_may_edit_comment(user, comment) -> bool:
    """Authors fix their own comment within the first minutes, while it is published. The
    author's rule alone: views use it to say why can_edit_comment refuses."""
    return can_contribute(user) and comment.author_id == user.id and edit_window_open(comment)


def can_edit_comment(user, comment) -> bool:
    """The author's rule, and an organisation's statement only while they speak for it."""
    return author_may_edit_comment(user, comment) and can_change_statement(user, comment)


def author_may_delete_comment(user, comment) -> bool:
    """The author's rule alone: views use it to say why can_delete_comment refuses."""
    return is_user(user) and comment.author_id == user.id and comment.status == PUBLISHED


def can_delete_comment(user, comment) -> bool:
    return author_may_delete_comment(user, comment) and can_change_statement(user, comment)


def register_template_globals(app: Flask) -> None:
    """Templates call them as `permissions.<name>`."""
    add_template_predicates(app, can_reply, can_edit_comment, can_delete_comment)
