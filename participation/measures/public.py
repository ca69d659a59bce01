"""What of the action concept the public may read outside its pages (open data, API, feed):
published measures only, and of the contributions behind a measure only those still public; a
proposal or comment hidden, withdrawn or deleted since it was linked drops out, though the link
stays for when moderation restores it."""

from __future__ import annotations

from sqlalchemy import Select, and_, or_, select

from participation.comments.models import PUBLISHED as PUBLISHED_COMMENT
from participation.comments.models import Comment
from participation.core.cache import revisions
from participation.core.links import public_url
from participation.extensions import db
from participation.measures.models import Measure, MeasureSource
from participation.proposals.models import PUBLIC_STATUSES, Proposal

PROPOSAL, COMMENT = "proposal", "comment"
PUBLIC_REVISION = "open data"  # declared by participation.exports.freshness (OPEN_DATA)


def public_revision() -> int:
    """Raised by any change to a public measure or its parts, a report published and anything
    public taken back: what the shared parts of the public pages are kept under."""
    return revisions.current(db.session, PUBLIC_REVISION)


def public_sources() -> Select:
    """(source id, measure id, kind, contribution id, comment's proposal, paragraph, chapter,
    measure) of every public contribution behind a published measure; order it by MeasureSource.id."""
    public_proposals = select(Proposal.id).where(Proposal.status.in_(PUBLIC_STATUSES))
    public_measures = select(Measure.id).where(Measure.published_at.is_not(None))
    return (
        select(
            MeasureSource.id,
            MeasureSource.measure_id,
            MeasureSource.proposal_id,
            MeasureSource.comment_id,
            Comment.proposal_id,
            Comment.paragraph_id,
            Comment.chapter_id,
            Comment.measure_id,
        )
        .join(Measure, Measure.id == MeasureSource.measure_id)
        .outerjoin(Proposal, Proposal.id == MeasureSource.proposal_id)
        .outerjoin(Comment, Comment.id == MeasureSource.comment_id)
        .where(
            Measure.published_at.is_not(None),
            or_(
                Proposal.status.in_(PUBLIC_STATUSES),
                and_(
                    Comment.status == PUBLISHED_COMMENT,
                    or_(Comment.proposal_id.is_(None), Comment.proposal_id.in_(public_proposals)),
                    or_(Comment.measure_id.is_(None), Comment.measure_id.in_(public_measures)),
                ),
            ),
        )
    )


def source_entry(row) -> dict:
    """A row of public_sources() as the open data and the API give it."""
    ident, measure_id, proposal_id, comment_id, on_proposal, on_paragraph, on_chapter, on_measure = row
    if proposal_id is not None:
        return {
            "id": ident,
            "measure_id": measure_id,
            "kind": PROPOSAL,
            "contribution_id": proposal_id,
            "url": public_url("proposals.show", proposal_id=proposal_id),
        }
    if on_proposal is not None:
        page = public_url("proposals.show", proposal_id=on_proposal)
    elif on_paragraph is not None:
        page = public_url("drafts.paragraph", paragraph_id=on_paragraph)
    elif on_measure is not None:
        page = public_url("measures.show", measure_id=on_measure)
    else:
        page = public_url("drafts.chapter", chapter_id=on_chapter)
    return {
        "id": ident,
        "measure_id": measure_id,
        "kind": COMMENT,
        "contribution_id": comment_id,
        "url": f"{page}#comment-{comment_id}",
    }
