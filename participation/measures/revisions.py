"""What of the measures raises revisions (participation.core.cache.revisions): a proposal's page
shows the published measures that grew out of it (participation.measures.parts), so linking one,
publishing it or changing what the page shows of it raises that proposal's revision."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from participation.core.cache import revisions
from participation.drafts.models import MasterplanVersion, Paragraph
from participation.incorporation.models import Incorporation, into_versions
from participation.measures.models import Measure, MeasureParagraph, MeasureSource
from participation.proposals.revisions import PROPOSAL

# what the proposal page shows of a measure
SHOWN = ("title_de", "title_en", "status", "progress", "published_at", "organisation_id")


def _taken_into(session: Session, lineage_keys) -> list[int]:
    """The proposals taken into these paragraph lineages in versions made public."""
    if not lineage_keys:
        return []
    statement = into_versions(select(Incorporation.proposal_id)).where(
        Paragraph.lineage_key.in_(list(lineage_keys)),
        Incorporation.proposal_id.is_not(None),
        MasterplanVersion.published_at.is_not(None),
    )
    return list(session.scalars(statement))


def _behind(session: Session, measure_ids) -> list[int]:
    """The proposals behind these measures: named as sources, or taken into their paragraphs."""
    ids = list(measure_ids)
    direct = session.scalars(
        select(MeasureSource.proposal_id).where(
            MeasureSource.measure_id.in_(ids), MeasureSource.proposal_id.is_not(None)
        )
    )
    lineages = session.scalars(select(MeasureParagraph.lineage_key).where(MeasureParagraph.measure_id.in_(ids)))
    return [*direct, *_taken_into(session, set(lineages))]


def changes(session: Session) -> Iterator[revisions.Change]:
    shown = set()
    for obj in (*session.new, *session.deleted):
        if isinstance(obj, MeasureSource) and obj.proposal_id is not None:
            yield PROPOSAL.name, obj.proposal_id
        elif isinstance(obj, MeasureParagraph):
            for proposal_id in _taken_into(session, [obj.lineage_key]):
                yield PROPOSAL.name, proposal_id
    for obj in session.dirty:
        if isinstance(obj, Measure) and obj.id is not None and obj.published_at is not None:
            state = inspect(obj)
            if any(state.attrs[name].history.has_changes() for name in SHOWN):
                shown.add(obj.id)
    if shown:
        for proposal_id in _behind(session, shown):
            yield PROPOSAL.name, proposal_id
