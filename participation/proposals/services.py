"""Proposal operations: submitting (with spam signals), finding similar ones, supporting.
Services change the session and flush; the request commits once."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import delete, func, select, update

from participation.core.audit import record_decision
from participation.core.hiding import taken_back
from participation.core.models import insert_ignoring_conflict, utcnow
from participation.extensions import db
from participation.phases.models import is_action_open
from participation.proposals import search
from participation.proposals.models import (
    ANSWERED_STATUSES,
    MERGED,
    PENDING,
    PUBLIC_STATUSES,
    PUBLISHED,
    WITHDRAWN,
    Follow,
    Proposal,
    ProposalRevision,
    Support,
)

SIMILAR_LIMIT = 5
MAX_LINKS = 3  # more links than this in one proposal: held for review
REPEAT_DAYS = 30  # the same text again within this time: held for review
_LINK = re.compile(r"https?://|www\.", re.IGNORECASE)
_SPACE = re.compile(r"\s+")

# why a proposal was held for review (shown to moderators)
HONEYPOT, LINKS, REPEATED = "honeypot", "links", "repeated"


def _normalised(text: str) -> str:
    return _SPACE.sub(" ", text).strip().lower()


def submissions_open() -> bool:
    return is_action_open("proposals")


def supports_open() -> bool:
    return is_action_open("supports")


PER_DAY = 5  # proposals one person may submit in 24 hours


def daily_limit_reached(user) -> bool:
    """Whether `user` has submitted PER_DAY proposals in the last 24 hours (a rule of the
    platform, not a rate limit: it counts what was written, however fast)."""
    since = utcnow().replace(microsecond=0) - timedelta(days=1)
    submitted = db.session.scalar(
        select(func.count(Proposal.id)).where(Proposal.author_id == user.id, Proposal.created_at >= since)
    )
    return submitted >= PER_DAY


def comments_open(proposal: Proposal) -> bool:
    """Proposals are discussed while ideas are collected or supported, as long as they are
    public and not merged into another."""
    return (
        proposal.is_public and proposal.status != MERGED and (is_action_open("proposals") or is_action_open("supports"))
    )


def _links(text: str) -> int:
    return len(_LINK.findall(text))


def spam_signals(author, title: str, body: str, honeypot: str = "", excluding: int | None = None) -> list[str]:
    """Simple signs of spam; any of them sends a proposal to review instead of publishing it.
    `excluding`: the proposal being changed, which does not count as a repetition of itself."""
    reasons = []
    if honeypot:
        reasons.append(HONEYPOT)
    if _links(f"{title} {body}") > MAX_LINKS:
        reasons.append(LINKS)
    since = utcnow() - timedelta(days=REPEAT_DAYS)
    recent_bodies = db.session.scalars(
        select(Proposal.body).where(
            Proposal.created_at >= since,
            (Proposal.author_id == author.id) | (func.length(Proposal.body) == len(body)),
            Proposal.id != (excluding or 0),
        )
    )
    if any(_normalised(other) == _normalised(body) for other in recent_bodies):
        reasons.append(REPEATED)
    return reasons


def submit(
    author,
    title: str,
    body: str,
    topic: str | None = None,
    chapter_id: int | None = None,
    district: str | None = None,
    honeypot: str = "",
    organisation_id: int | None = None,
    held_because: list[str] | tuple[str, ...] = (),
    source=None,
) -> Proposal:
    """A new proposal: published at once, or held for review by the spam signals or by
    pre-moderation (`held_because`). With `source` (an offline source) staff record it on the
    source's behalf: it has no author, speaks for the source's group, and nobody follows it."""
    reasons = spam_signals(author, title, body, honeypot) + list(held_because)
    now = utcnow()
    proposal = Proposal(
        author_id=None if source else author.id,
        author_group=source.stakeholder_group if source else author.stakeholder_group,
        offline_source_id=source.id if source else None,
        organisation_id=organisation_id,
        title=title,
        body=body,
        topic=topic or None,
        chapter_id=chapter_id or None,
        district=district or None,
        status=PENDING if reasons else PUBLISHED,
        held_because=",".join(reasons),
        created_at=now,
        published_at=None if reasons else now,
    )
    db.session.add(proposal)
    db.session.flush()
    if source is None:
        follow(author, proposal)  # authors hear what becomes of their proposal
    return proposal


def edit(
    proposal: Proposal,
    title: str,
    body: str,
    topic: str | None,
    chapter_id: int | None,
    district: str | None,
    held_because: list[str] | tuple[str, ...] = (),
) -> None:
    """The author changes the proposal; the wording it had is kept as a revision. A new wording
    that trips the spam signals, or any new wording while pre-moderation applies to the author
    (`held_because`), sends a published proposal back to review."""
    changed = (title, body) != (proposal.title, proposal.body)
    if changed:
        proposal.revisions.append(ProposalRevision(title=proposal.title, body=proposal.body, created_at=utcnow()))
        proposal.edited_at = utcnow()
        reasons = spam_signals(proposal.author, title, body, excluding=proposal.id) if proposal.author else []
        reasons += list(held_because)
        if proposal.status == PUBLISHED and reasons:
            proposal.status, proposal.held_because = PENDING, ",".join(reasons)
    proposal.title, proposal.body = title, body
    proposal.topic, proposal.chapter_id, proposal.district = topic or None, chapter_id or None, district or None


def answer(actor, proposal: Proposal, status: str, text: str) -> None:
    """A planner's public answer: under review, or a decision (with reasons where it is not a
    plain yes). Logged with the state before and after."""
    before = {"status": proposal.status, "answer": proposal.answer}
    proposal.status, proposal.answer = status, text
    proposal.answered_at = utcnow() if status in ANSWERED_STATUSES else None
    record_decision(actor, "answer_proposal", proposal, before=before, after={"status": status, "answer": text})


def withdraw(proposal: Proposal) -> None:
    """The author takes the proposal back: it leaves the list, its supports stay on record, and
    reports on it no longer wait for the moderation."""
    proposal.status = WITHDRAWN
    taken_back.send(proposal)


def similar_to(title: str, body: str, limit: int = SIMILAR_LIMIT, excluding: int | None = None) -> list[Proposal]:
    """Public proposals whose title and text are most like the given ones, best first."""
    statement = select(Proposal).where(Proposal.status.in_(PUBLIC_STATUSES))
    if excluding is not None:
        statement = statement.where(Proposal.id != excluding)
    found: list[Proposal] = []
    # first those sharing two distinctive words (few to rank), then, if that is not enough, any
    for close in (True, False):
        narrowed, order = search.similar(statement, db.engine.dialect.name, title, body, close=close)
        if order is None:
            continue
        if found:
            narrowed = narrowed.where(Proposal.id.not_in([proposal.id for proposal in found]))
        found += db.session.scalars(narrowed.order_by(order, Proposal.id.desc()).limit(limit - len(found)))
        if len(found) >= limit:
            break
    return found


# --- supports ------------------------------------------------------------------------------


def _count_supports(proposal_id: int, delta: int) -> None:
    db.session.execute(
        update(Proposal).where(Proposal.id == proposal_id).values(support_count=Proposal.support_count + delta)
    )


def support(user, proposal: Proposal) -> bool:
    """One support per person and proposal, even under parallel requests; True if it is new."""
    values = {"user_id": user.id, "proposal_id": proposal.id, "stakeholder_group": user.stakeholder_group}
    if insert_ignoring_conflict(Support, ("user_id", "proposal_id"), dict(values, created_at=utcnow())):
        _count_supports(proposal.id, +1)
        return True
    return False


def withdraw_support(user, proposal: Proposal) -> bool:
    removed = db.session.execute(
        delete(Support)
        .where(Support.user_id == user.id, Support.proposal_id == proposal.id)
        .returning(Support.id)
        .execution_options(synchronize_session=False)
    ).scalar()
    if removed is not None:
        _count_supports(proposal.id, -1)
    return removed is not None


def supported_by(user, proposal_ids) -> set[int]:
    if not getattr(user, "is_authenticated", False) or not proposal_ids:
        return set()
    return set(
        db.session.scalars(
            select(Support.proposal_id).where(Support.user_id == user.id, Support.proposal_id.in_(proposal_ids))
        )
    )


# --- following -------------------------------------------------------------------------------


def follow(user, proposal: Proposal) -> bool:
    return insert_ignoring_conflict(
        Follow, ("user_id", "proposal_id"), {"user_id": user.id, "proposal_id": proposal.id, "created_at": utcnow()}
    )


def unfollow(user, proposal: Proposal) -> None:
    db.session.execute(
        delete(Follow)
        .where(Follow.user_id == user.id, Follow.proposal_id == proposal.id)
        .execution_options(synchronize_session=False)
    )


def follower_ids_of_comment(comment) -> set[int]:
    """Lent to the comments ("comments.followers"): who follows the proposal a comment is on."""
    if comment.proposal_id is None:
        return set()
    return set(db.session.scalars(select(Follow.user_id).where(Follow.proposal_id == comment.proposal_id)))


def follows(user, proposal: Proposal) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        db.session.scalar(select(Follow.id).where(Follow.user_id == user.id, Follow.proposal_id == proposal.id))
        is not None
    )
