"""What an organisation's public page lists: its official statements (comments published in its
name, where the public may read them) and the measures it is responsible for (published ones)."""

from __future__ import annotations

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import joinedload

from participation.comments.models import PUBLISHED, Comment
from participation.drafts.models import PREPARING, Chapter, MasterplanVersion
from participation.extensions import db
from participation.measures.models import Measure
from participation.organisations.models import KINDS, Organisation
from participation.proposals.models import PUBLIC_STATUSES, Proposal

STATEMENTS_PER_PAGE = 10


def by_kind() -> list[tuple[str, list[Organisation]]]:
    """Every organisation, grouped by kind in the kinds' order, by name within each."""
    groups: dict[str, list[Organisation]] = {kind: [] for kind in KINDS}
    for organisation in db.session.scalars(select(Organisation).order_by(Organisation.name)):
        groups[organisation.kind].append(organisation)
    return [(kind, members) for kind, members in groups.items() if members]


def statements(organisation_id: int):
    """Its published comments whose place the public may see (a public proposal, a published
    measure, a version out of preparation), newest first, with what they are on."""
    return (
        select(Comment)
        .outerjoin(Proposal, Comment.proposal_id == Proposal.id)
        .outerjoin(Measure, Comment.measure_id == Measure.id)
        .outerjoin(Chapter, Comment.chapter_id == Chapter.id)
        .outerjoin(MasterplanVersion, Chapter.version_id == MasterplanVersion.id)
        .where(
            Comment.organisation_id == organisation_id,
            Comment.status == PUBLISHED,
            or_(
                and_(Comment.proposal_id.is_not(None), Proposal.status.in_(PUBLIC_STATUSES)),
                and_(Comment.measure_id.is_not(None), Measure.published_at.is_not(None)),
                and_(
                    Comment.proposal_id.is_(None),
                    Comment.measure_id.is_(None),
                    MasterplanVersion.status != PREPARING,
                ),
            ),
        )
        .options(joinedload(Comment.proposal), joinedload(Comment.measure), joinedload(Comment.chapter))
        .order_by(Comment.published_at.desc(), Comment.id.desc())
    )


def measures(organisation_id: int) -> list[Measure]:
    """The published measures it is responsible for, by title."""
    return list(
        db.session.scalars(
            select(Measure)
            .where(Measure.organisation_id == organisation_id, Measure.published_at.is_not(None))
            .order_by(Measure.title_de, Measure.id)
        )
    )
