"""What measures lend to the pages of lower layers (participation.core.composition): the measures
that grew out of a contribution, for its page and for "what happened to it". A measure grew out
of it when it names the contribution as its source, or implements a paragraph (by lineage) that
the contribution was taken into. Only published measures."""

from __future__ import annotations

from sqlalchemy import or_, select

from participation.comments.models import Comment
from participation.drafts.models import MasterplanVersion, Paragraph
from participation.extensions import db
from participation.incorporation.models import Incorporation, into_versions
from participation.measures.models import Measure, MeasureParagraph, MeasureSource
from participation.proposals.models import Proposal

SHOWN = 50  # a contribution behind more measures than this is very rare; the first ones are shown


def grown_from(contribution) -> list[Measure]:
    """The published measures that grew out of a proposal or a comment, by title (two queries at most)."""
    if isinstance(contribution, Proposal):
        source = MeasureSource.proposal_id == contribution.id
        taken = Incorporation.proposal_id == contribution.id
    elif isinstance(contribution, Comment):
        source = MeasureSource.comment_id == contribution.id
        taken = Incorporation.comment_id == contribution.id
    else:
        return []
    # the lineages of the paragraphs it was taken into (in versions made public), and the
    # measures that implement them
    lineages = into_versions(select(Paragraph.lineage_key).select_from(Incorporation)).where(
        taken, MasterplanVersion.published_at.is_not(None)
    )
    by_source = select(MeasureSource.measure_id).where(source)
    by_paragraph = select(MeasureParagraph.measure_id).where(MeasureParagraph.lineage_key.in_(lineages))
    return list(
        db.session.scalars(
            select(Measure)
            .where(
                Measure.published_at.is_not(None),
                or_(Measure.id.in_(by_source), Measure.id.in_(by_paragraph)),
            )
            .order_by(Measure.title_de, Measure.id)
            .limit(SHOWN)
        )
    )


def on_contribution(contribution) -> dict:
    """Lent under "proposals.show" and "contribution_paths.path"."""
    return {"grown_measures": grown_from(contribution)}
