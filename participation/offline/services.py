"""Recording offline input. A contribution recorded on behalf of a source has no author (the staff
member's name never shows; the audit log keeps who recorded it), and it waits in the moderation's
queue of new contributions like any held-back input, so a second person checks the transcript
(e.g. for personal data) before it is published. From there on answers, incorporation and the
report treat it like online input.

When: staff may record input for an action (proposals, comments) once a phase that opens it has
started, during the phase and after it (the evaluation), until the version the phase belongs to
is closed; a phase without a version (proposals) stays recordable after it ended."""

from __future__ import annotations

from sqlalchemy import select

from participation.comments.services import add_comment
from participation.core.audit import record_decision
from participation.core.models import utcnow
from participation.drafts.models import MasterplanVersion
from participation.events.models import OfflineSource
from participation.extensions import db
from participation.phases.models import all_phases
from participation.proposals import services as proposals

HELD = "offline"  # the reason the moderation's queue shows


def recording_open(action: str) -> bool:
    now = utcnow()
    for phase in all_phases():
        if not getattr(phase, f"opens_{action}") or phase.starts_at > now:
            continue
        if phase.version_id is None:
            return True
        version = db.session.get(MasterplanVersion, phase.version_id)
        if version is not None and version.status != "closed":
            return True
    return False


def sources() -> list[OfflineSource]:
    return list(
        db.session.scalars(select(OfflineSource).order_by(OfflineSource.held_on.desc(), OfflineSource.id.desc()))
    )


def create_source(actor, values: dict) -> OfflineSource:
    source = OfflineSource(**values)
    db.session.add(source)
    db.session.flush()
    record_decision(actor, "create_offline_source", source, after={"name": source.name, "kind": source.kind})
    return source


def record_proposal(actor, source: OfflineSource, title: str, body: str, topic, district):
    proposal = proposals.submit(actor, title, body, topic, None, district, held_because=[HELD], source=source)
    record_decision(actor, "record_offline", proposal, after={"source": source.id, "title": title})
    return proposal


def record_comment(actor, source: OfflineSource, proposal, body: str):
    comment = add_comment(actor, body, None, proposal=proposal, held_because=[HELD], source=source)
    record_decision(actor, "record_offline", comment, after={"source": source.id, "proposal": proposal.id})
    return comment
