"""A small draft for tests, checks on it, and a contribution hidden the way moderators hide one."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from participation.core.models import utcnow
from participation.drafts.models import CONSULTATION, DraftVote, MasterplanVersion, Paragraph
from participation.phases.models import Phase

DRAFT = """# Digitale Bildung

## Schulen

Alle Schulen bekommen schnelles Internet.

Lehrkräfte werden fortgebildet.

# Offene Daten

Die Stadt veröffentlicht ihre Daten offen.
"""


def open_phase(db, votes=True, comments=True, proposals=False, supports=False, version=None):
    """A phase running from yesterday to tomorrow. Comments and votes are opened on `version`,
    or, without one, on the newest version open for comments when there is one."""
    if version is None and (votes or comments):
        version = db.session.scalar(
            select(MasterplanVersion)
            .where(MasterplanVersion.status == CONSULTATION)
            .order_by(MasterplanVersion.number.desc())
            .limit(1)
        )
    db.session.add(
        Phase(
            slug=f"running-{int(votes)}{int(comments)}{int(proposals)}{int(supports)}-{getattr(version, 'number', 0)}",
            title_de="Entwurf",
            title_en="Draft",
            starts_at=utcnow() - timedelta(days=1),
            ends_at=utcnow() + timedelta(days=1),
            opens_draft_votes=votes,
            opens_draft_comments=comments,
            opens_proposals=proposals,
            opens_supports=supports,
            version_id=getattr(version, "id", None),
        )
    )


def first_paragraph(version):
    return version.chapters[0].paragraphs[0]


def counters_match_rows(db, paragraph_id):
    paragraph = db.session.get(Paragraph, paragraph_id)
    rows = dict(
        db.session.execute(
            select(DraftVote.value, func.count())
            .where(DraftVote.paragraph_id == paragraph_id)
            .group_by(DraftVote.value)
        ).all()
    )
    return (paragraph.agree_count, paragraph.neutral_count, paragraph.disagree_count) == (
        rows.get(1, 0),
        rows.get(0, 0),
        rows.get(-1, 0),
    )


def hide_as_spam(moderator, reporter, target, note: str = "") -> None:
    """`reporter` reports `target` as spam and `moderator` hides it from the reported queue."""
    from participation.moderation import services as moderation

    moderation.flag(reporter, target, "spam")
    assert moderation.decide(moderator, target, moderation.Decision("reported", "hide", "spam", note=note)) is None
