"""What counts in a round of the report (participation.drafts.rounds): the conditions each figure
adds to its grouped query, so that a round's figures stay what they were when the next one opens."""

from __future__ import annotations

from sqlalchemy import select

from participation.comments.models import PUBLISHED as PUBLISHED_COMMENT
from participation.comments.models import Comment
from participation.drafts.models import Chapter, Paragraph
from participation.drafts.rounds import Round
from participation.proposals.models import PUBLIC_STATUSES, Proposal, Support


def public_proposal_ids():
    return select(Proposal.id).where(Proposal.status.in_(PUBLIC_STATUSES))


def proposals(round_: Round):
    """Public proposals made in the round's time."""
    return Proposal.status.in_(PUBLIC_STATUSES) & round_.window(Proposal.created_at)


def comments(round_: Round):
    """Published comments of the round: on the draft, those on the round's version; on a public
    proposal, those made in the round's time."""
    on_draft = Comment.chapter_id.is_not(None)  # comments on measures are no part of the draft's rounds
    if not round_.is_all:
        on_draft = on_draft & Comment.chapter_id.in_(select(Chapter.id).where(round_.on_version(Chapter.version_id)))
    on_proposals = Comment.proposal_id.in_(public_proposal_ids()) & round_.window(Comment.created_at)
    return (Comment.status == PUBLISHED_COMMENT) & (on_draft | on_proposals)


def paragraphs(round_: Round):
    """The ids of the paragraphs whose votes count: those of the round's version."""
    return select(Paragraph.id).join(Chapter).where(round_.on_version(Chapter.version_id))


def supports(round_: Round):
    """Supports of public proposals given in the round's time."""
    return Support.proposal_id.in_(public_proposal_ids()) & round_.window(Support.created_at)
