"""The home page's part for the person logged in: their public input still waiting for an answer,
and news on the proposals they follow. Read per request for that person alone; never shared."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, lazyload

from participation.comments.models import PUBLISHED as PUBLISHED_COMMENT
from participation.comments.models import Comment
from participation.core.models import utcnow
from participation.drafts.models import Chapter, Paragraph
from participation.extensions import db
from participation.proposals.models import PUBLIC_STATUSES, PUBLISHED, UNDER_REVIEW, Follow, Proposal

SHOWN = 5  # items of each kind; the full list is on "My contributions"
NEWS_DAYS = 30  # what happened on followed proposals in this many days (and since following)
WAITING = (PUBLISHED, UNDER_REVIEW)  # public and without a final answer


@dataclass
class Waiting:
    proposals: list[Proposal]
    proposal_total: int
    comments: list[Comment]
    comment_total: int

    @property
    def total(self) -> int:
        return self.proposal_total + self.comment_total


@dataclass
class News:
    proposal: Proposal
    answered: bool  # answered (or its status changed by an answer) since following
    new_comments: int  # by others, since following
    latest: datetime


def _without_author(model) -> tuple:
    """Options for lists that show no author: the author and organisation are joined by default,
    and an author's roles are read with them."""
    return (lazyload(model.author), lazyload(model.organisation))


def waiting(user) -> Waiting:
    """The person's first SHOWN waiting proposals and draft comments, newest first, each list
    with its total (counted in the same query, by a window)."""
    total = func.count().over()
    proposals = db.session.execute(
        select(Proposal, total)
        .where(Proposal.author_id == user.id, Proposal.status.in_(WAITING))
        .options(*_without_author(Proposal))
        .order_by(Proposal.created_at.desc(), Proposal.id.desc())
        .limit(SHOWN)
    ).all()
    comments = db.session.execute(
        select(Comment, total)
        .where(
            Comment.author_id == user.id,
            Comment.status == PUBLISHED_COMMENT,
            Comment.chapter_id.is_not(None),  # on the draft: comments on proposals and measures get no answer
            or_(Comment.answer_status.is_(None), Comment.answer_status == UNDER_REVIEW),
        )
        .options(
            joinedload(Comment.paragraph).joinedload(Paragraph.chapter),
            joinedload(Comment.chapter).joinedload(Chapter.version),
            *_without_author(Comment),
        )
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(SHOWN)
    ).all()
    return Waiting(
        [row[0] for row in proposals],
        proposals[0][1] if proposals else 0,
        [row[0] for row in comments],
        comments[0][1] if comments else 0,
    )


def news(user, now: datetime | None = None) -> list[News]:
    """Followed public proposals answered, or commented on by others, since the person began
    following them and within NEWS_DAYS; the most recent first."""
    cutoff = (now or utcnow()) - timedelta(days=NEWS_DAYS)
    followed = Follow.user_id == user.id
    comment_counts = {
        proposal_id: (count, latest)
        for proposal_id, count, latest in db.session.execute(
            select(Comment.proposal_id, func.count(), func.max(Comment.created_at))
            .join(Follow, Follow.proposal_id == Comment.proposal_id)
            .where(
                followed,
                Comment.status == PUBLISHED_COMMENT,
                or_(Comment.author_id.is_(None), Comment.author_id != user.id),
                Comment.created_at > Follow.created_at,
                Comment.created_at > cutoff,
            )
            .group_by(Comment.proposal_id)
        )
    }
    answered = set(
        db.session.scalars(
            select(Proposal.id)
            .join(Follow, Follow.proposal_id == Proposal.id)
            .where(followed, Proposal.answered_at > Follow.created_at, Proposal.answered_at > cutoff)
        )
    )
    ids = answered | set(comment_counts)
    if not ids:
        return []
    items = []
    for proposal in db.session.scalars(
        select(Proposal)
        .where(Proposal.id.in_(sorted(ids)), Proposal.status.in_(PUBLIC_STATUSES))
        .options(*_without_author(Proposal))
    ):
        count, latest_comment = comment_counts.get(proposal.id, (0, None))
        is_answered = proposal.id in answered
        moments = [moment for moment in (latest_comment, proposal.answered_at if is_answered else None) if moment]
        items.append(News(proposal, is_answered, count, max(moments)))
    items.sort(key=lambda item: (item.latest, item.proposal.id), reverse=True)
    return items[:SHOWN]
