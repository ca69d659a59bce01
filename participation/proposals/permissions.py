"""Who may read, support and change a proposal, and read its earlier wordings."""

from __future__ import annotations

from flask import Flask

from participation.core.permissions import can_contribute, can_moderate, can_plan, can_view_contribution, is_user
from participation.core.templating import add_template_predicates
from participation.organisations.permissions import can_change_statement
from participation.proposals.models import PENDING, PUBLISHED, UNDER_REVIEW


def can_view_proposal(user, proposal) -> bool:
    """Public proposals for everyone; pending, hidden and withdrawn ones for their author and
    for moderators and planners."""
    return can_view_contribution(user, proposal)


def can_support(user, proposal) -> bool:
    """Not one's own, and only a proposal that is still open (not answered, merged or hidden)."""
    return can_contribute(user) and proposal.author_id != user.id and proposal.status in (PUBLISHED, UNDER_REVIEW)


def author_may_edit_proposal(user, proposal) -> bool:
    """The author may change or withdraw a proposal until it has an answer. The author's rule
    alone: views use it to say why can_edit_proposal refuses."""
    return (
        can_contribute(user) and proposal.author_id == user.id and proposal.status in (PENDING, PUBLISHED, UNDER_REVIEW)
    )


def can_edit_proposal(user, proposal) -> bool:
    """The author's rule, and an organisation's statement only while they speak for it."""
    return author_may_edit_proposal(user, proposal) and can_change_statement(user, proposal)


def can_view_proposal_revisions(user, proposal) -> bool:
    """Earlier wordings: for the author, and for moderators and planners who weigh the proposal."""
    return (is_user(user) and proposal.author_id == user.id) or can_moderate(user) or can_plan(user)


def register_template_globals(app: Flask) -> None:
    """Templates call them as `permissions.<name>`."""
    add_template_predicates(app, can_view_proposal, can_support, can_edit_proposal, can_view_proposal_revisions)
