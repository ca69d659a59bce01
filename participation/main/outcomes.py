"""What the home page tells everyone: the key figures (totals only, shared for a short while) and
what came of the input: the latest answers to proposals and the latest incorporations into a
published version. Only public things: nothing hidden, withdrawn, deleted, pending, nor anything
from a version being prepared."""

from __future__ import annotations

from flask_babel import format_number, get_locale
from sqlalchemy import and_, func, or_, select, union
from sqlalchemy.orm import joinedload

from participation.comments.models import PUBLISHED as PUBLISHED_COMMENT
from participation.comments.models import Comment
from participation.core import cache, composition
from participation.drafts.models import PREPARING, Chapter, DraftVote, MasterplanVersion, Paragraph
from participation.extensions import db
from participation.incorporation.models import Incorporation, into_versions
from participation.proposals.models import ACCEPTED, NOT_ACCEPTED, PARTLY_ACCEPTED, PUBLIC_STATUSES, Proposal, Support

LATEST = 5
FINAL_ANSWERS = (ACCEPTED, PARTLY_ACCEPTED, NOT_ACCEPTED)


def _public_proposal_ids():
    return select(Proposal.id).where(Proposal.status.in_(PUBLIC_STATUSES))


def _public_comment():
    """Published comments, on the draft or on a public proposal."""
    return (Comment.status == PUBLISHED_COMMENT) & (
        Comment.proposal_id.is_(None) | Comment.proposal_id.in_(_public_proposal_ids())
    )


def _count(statement):
    return select(func.count()).select_from(statement.subquery()).scalar_subquery()


def count_figures() -> dict[str, int]:
    """Totals, in one round trip: people who took part in public (as the participation report
    counts them), public proposals, public comments, votes on the draft, final answers given."""
    people = union(
        select(Proposal.author_id.label("user_id")).where(Proposal.status.in_(PUBLIC_STATUSES)),
        select(Comment.author_id).where(_public_comment()),
        select(DraftVote.user_id),
        select(Support.user_id).where(Support.proposal_id.in_(_public_proposal_ids())),
    ).subquery()
    answers = (
        select(Proposal.id).where(Proposal.status.in_(FINAL_ANSWERS)),
        select(Comment.id).where(_public_comment(), Comment.answer_status.in_(FINAL_ANSWERS)),
    )
    row = db.session.execute(
        select(
            _count(select(people.c.user_id).where(people.c.user_id.is_not(None))),
            _count(_public_proposal_ids()),
            _count(select(Comment.id).where(_public_comment())),
            _count(select(DraftVote.id)),
            _count(answers[0]),
            _count(answers[1]),
        )
    ).one()
    participants, proposals, comments, votes, proposal_answers, comment_answers = row
    return {
        "participants": participants,
        "proposals": proposals,
        "comments": comments,
        "votes": votes,
        "answers": proposal_answers + comment_answers,
    }


def key_figures() -> dict[str, str]:
    """The figures as the page shows them, shared by everyone reading this language."""
    locale = str(get_locale())

    def render() -> dict[str, str]:
        return {name: format_number(value) for name, value in count_figures().items()}

    # counting everyone who took part takes half a second on Cologne's data: like the report's
    # figures, these may be REPORT_CACHE_SECONDS old
    return cache.value("home key figures", (locale,), render)


def latest_answers(limit: int = LATEST) -> list[Proposal]:
    """Proposals most recently given a final answer (hidden and withdrawn ones have other statuses)."""
    return list(
        db.session.scalars(
            select(Proposal)
            .where(Proposal.status.in_(FINAL_ANSWERS), Proposal.answered_at.is_not(None))
            .order_by(Proposal.answered_at.desc(), Proposal.id.desc())
            .limit(limit)
        )
    )


def latest_incorporations(limit: int = LATEST) -> list[Incorporation]:
    """Input most recently taken into a published version, when the input itself is public."""
    public_input = or_(
        and_(Incorporation.proposal_id.is_not(None), Proposal.status.in_(PUBLIC_STATUSES)),
        and_(Incorporation.comment_id.is_not(None), _public_comment()),
    )
    return list(
        db.session.scalars(
            into_versions(select(Incorporation))
            .outerjoin(Proposal, Proposal.id == Incorporation.proposal_id)
            .outerjoin(Comment, Comment.id == Incorporation.comment_id)
            .options(
                joinedload(Incorporation.paragraph).joinedload(Paragraph.chapter).joinedload(Chapter.version),
                joinedload(Incorporation.proposal),
                joinedload(Incorporation.comment),
            )
            .where(
                MasterplanVersion.published_at.is_not(None),
                MasterplanVersion.status != PREPARING,
                public_input,
            )
            .order_by(MasterplanVersion.published_at.desc(), Incorporation.created_at.desc(), Incorporation.id.desc())
            .limit(limit)
        )
    )


def stamp() -> tuple:
    """What makes the lists above out of date: a new answer, a new incorporation, and anything
    public taken back (the open data's revision, raised in the same transaction: lent by the
    exports, a sibling of this area). One query of three index lookups."""
    answered = select(func.max(Proposal.answered_at)).scalar_subquery()
    incorporated = select(func.max(Incorporation.id)).scalar_subquery()
    taken_back = composition.the("public.taken_back_revision")()
    return tuple(db.session.execute(select(answered, incorporated, taken_back)).one())
