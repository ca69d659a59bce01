"""Planners' public answers to proposals and to comments on the draft, and who is told.
Services flush; the request commits once."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from participation.accounts.models import User
from participation.comments.models import Comment
from participation.core.audit import record_decision, register_actions
from participation.core.i18n import N_
from participation.core.models import utcnow
from participation.extensions import db
from participation.mail.notifications import notify
from participation.proposals import services as proposals
from participation.proposals.models import ANSWERED_STATUSES, Follow, Proposal

register_actions({"answer_comment": _l("Comment answered")})


def followers(proposal: Proposal) -> list[User]:
    return list(
        db.session.scalars(
            select(User).join(Follow, Follow.user_id == User.id).where(Follow.proposal_id == proposal.id)
        )
    )


def answer_proposal(actor, proposal: Proposal, status: str, text: str) -> None:
    """The answer goes public; the author and everyone following the proposal hear of it."""
    proposals.answer(actor, proposal, status, text)
    notify(
        [proposal.author, *followers(proposal)],
        "answers",
        N_("The city has answered a proposal"),
        "proposal_answered",
        proposal=proposal,
    )


def answer_comment(actor, comment: Comment, status: str, text: str) -> None:
    """A planner answers a comment on the draft in public; its author hears of it."""
    before = {"answer_status": comment.answer_status, "answer": comment.answer}
    comment.answer_status, comment.answer = status, text
    comment.answered_at = utcnow() if status in ANSWERED_STATUSES else None
    record_decision(actor, "answer_comment", comment, before=before, after={"answer_status": status, "answer": text})
    notify([comment.author], "answers", N_("The city has answered your comment"), "comment_answered", comment=comment)
