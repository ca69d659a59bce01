"""Draft operations: finding versions, voting, copying and editing versions. Services change
the session and flush; the request commits once."""

from __future__ import annotations

import re

from sqlalchemy import func, or_, select, update

from participation.accounts.models import STAKEHOLDER_GROUPS
from participation.core import composition, disclosure
from participation.core.audit import record_decision
from participation.core.models import insert_ignoring_conflict, utcnow
from participation.drafts import revisions
from participation.drafts.models import (
    AGREE,
    CLOSED,
    CONSULTATION,
    DISAGREE,
    NEUTRAL,
    PREPARING,
    Chapter,
    DraftVote,
    MasterplanVersion,
    Paragraph,
)
from participation.extensions import db
from participation.phases.models import Phase, is_action_open

COUNTER = {AGREE: Paragraph.agree_count, NEUTRAL: Paragraph.neutral_count, DISAGREE: Paragraph.disagree_count}


class NotOpen(Exception):
    """The action is not open now; the message says why."""


def public_versions() -> list[MasterplanVersion]:
    return list(
        db.session.scalars(
            select(MasterplanVersion).where(MasterplanVersion.status != PREPARING).order_by(MasterplanVersion.number)
        )
    )


def current_version() -> MasterplanVersion | None:
    """What the public reads by default: the version open for comments, else the newest public one."""
    versions = public_versions()
    open_versions = [v for v in versions if v.status == CONSULTATION]
    return (open_versions or versions or [None])[-1]


def chapters_of(version: MasterplanVersion | None) -> list[Chapter]:
    """The version's chapters in order, in one query (none without a version)."""
    if version is None:
        return []
    return list(db.session.scalars(select(Chapter).where(Chapter.version_id == version.id).order_by(Chapter.position)))


def current_chapters() -> list[Chapter]:
    """The chapters of the version the public reads (what proposals may refer to)."""
    return chapters_of(current_version())


def latest_version() -> MasterplanVersion | None:
    return db.session.scalar(select(MasterplanVersion).order_by(MasterplanVersion.number.desc()).limit(1))


def action_open(action: str, version: MasterplanVersion) -> bool:
    """Votes and comments: the version is open for comments and a running phase opens the action
    on this version."""
    return version.status == CONSULTATION and is_action_open(action, version.id)


# --- votes ---------------------------------------------------------------------------------


def _change_counter(paragraph_id: int, value: int, delta: int) -> None:
    column = COUNTER[value]
    db.session.execute(update(Paragraph).where(Paragraph.id == paragraph_id).values({column: column + delta}))


def cast_vote(user, paragraph: Paragraph, value: int | None) -> None:
    """Set the user's vote on a paragraph (None withdraws it). One row per user and paragraph,
    even under parallel requests: the insert yields to the unique constraint, and a change
    locks the row it changes, so the counters always match the rows."""
    revisions.touch(db.session, paragraph.chapter_id)  # the chapter first: see participation.core.cache.revisions
    now = utcnow()
    if value is not None and insert_ignoring_conflict(
        DraftVote,
        ("user_id", "paragraph_id"),
        {
            "user_id": user.id,
            "paragraph_id": paragraph.id,
            "value": value,
            "stakeholder_group": user.stakeholder_group,
            "created_at": now,
            "updated_at": now,
        },
    ):
        _change_counter(paragraph.id, value, +1)
        return
    existing = db.session.scalar(
        select(DraftVote).where(DraftVote.user_id == user.id, DraftVote.paragraph_id == paragraph.id).with_for_update()
    )
    if existing is None:
        return  # withdrawing a vote that is not there
    if value is None:
        _change_counter(paragraph.id, existing.value, -1)
        db.session.delete(existing)
    elif existing.value != value:
        _change_counter(paragraph.id, existing.value, -1)
        _change_counter(paragraph.id, value, +1)
        existing.value = value


def votes_in_chapter(user, chapter_id: int) -> dict[int, int]:
    """{paragraph id: value} of the user's votes in one chapter."""
    if not getattr(user, "is_authenticated", False):
        return {}
    rows = db.session.execute(
        select(DraftVote.paragraph_id, DraftVote.value)
        .join(Paragraph, Paragraph.id == DraftVote.paragraph_id)
        .where(DraftVote.user_id == user.id, Paragraph.chapter_id == chapter_id)
    )
    return dict(rows.all())


def votes_of(user, paragraph_ids) -> dict[int, int]:
    if not getattr(user, "is_authenticated", False) or not paragraph_ids:
        return {}
    rows = db.session.execute(
        select(DraftVote.paragraph_id, DraftVote.value).where(
            DraftVote.user_id == user.id, DraftVote.paragraph_id.in_(paragraph_ids)
        )
    )
    return dict(rows.all())


def vote_splits(paragraph_ids) -> dict[int, dict[str, dict[int, int]]]:
    """{paragraph id: {stakeholder group: {value: count}}} in one grouped query."""
    splits: dict[int, dict[str, dict[int, int]]] = {}
    if not paragraph_ids:
        return splits
    rows = db.session.execute(
        select(DraftVote.paragraph_id, DraftVote.stakeholder_group, DraftVote.value, func.count())
        .where(DraftVote.paragraph_id.in_(paragraph_ids))
        .group_by(DraftVote.paragraph_id, DraftVote.stakeholder_group, DraftVote.value)
    )
    for paragraph_id, group, value, count in rows:
        splits.setdefault(paragraph_id, {}).setdefault(group, {})[value] = count
    return splits


def public_splits(split: dict[str, dict[int, int]]) -> dict[str, dict[int, int | None]]:
    """One paragraph's votes by group as the public may see them: groups of fewer than
    MIN_PUBLIC_GROUP_SIZE voters merged into "other groups" (disclosure.OTHER) or left out (None).
    Where nothing is merged, the groups someone voted in; else every group and "other groups",
    so that which groups are listed tells nothing (a group listed only because it has votes,
    beside the paragraph's totals, would name the merged voters' group)."""
    table = disclosure.split_table(split, list(STAKEHOLDER_GROUPS), [1, 0, -1])
    if disclosure.anything_merged(table[disclosure.OTHER]):
        return table
    del table[disclosure.OTHER]
    return {group: values for group, values in table.items() if group in split}


def agreement(agree: int, neutral: int, disagree: int) -> float | None:
    """Share of agreement among all votes, or None without votes."""
    total = agree + neutral + disagree
    return agree / total if total else None


def controversy(agree: int, neutral: int, disagree: int) -> float:
    """1.0 when agree and disagree are equally strong, 0 when one side is absent; weighted by how
    many took a side, so that three votes are not as controversial as three thousand."""
    total = agree + neutral + disagree
    if not total or not agree or not disagree:
        return 0.0
    balance = min(agree, disagree) / max(agree, disagree)
    return balance * (agree + disagree) / total


# --- versions --------------------------------------------------------------------------------


def next_number() -> int:
    return (db.session.scalar(select(func.max(MasterplanVersion.number))) or 0) + 1


def create_version(actor, title: str) -> MasterplanVersion:
    version = MasterplanVersion(number=next_number(), title=title, created_by_id=getattr(actor, "id", None))
    db.session.add(version)
    db.session.flush()
    return version


def copy_version(actor, source: MasterplanVersion, title: str | None = None) -> MasterplanVersion:
    """The next version as a copy of `source`: same chapters and paragraphs, same lineage keys;
    votes and comments stay with the version they were made on."""
    version = MasterplanVersion(
        number=next_number(),
        title=title or source.title,
        based_on_id=source.id,
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(version)
    for chapter in source.chapters:
        version.chapters.append(
            Chapter(
                position=chapter.position,
                title=chapter.title,
                introduction=chapter.introduction,
                topic=chapter.topic,
                easy_summary_de=chapter.easy_summary_de,
                easy_summary_en=chapter.easy_summary_en,
                lineage_key=chapter.lineage_key,
                paragraphs=[
                    Paragraph(position=p.position, subheading=p.subheading, text=p.text, lineage_key=p.lineage_key)
                    for p in chapter.paragraphs
                ],
            )
        )
    db.session.flush()
    record_decision(actor, "version_created", version, note=f"copy of version {source.number}")
    return version


# a round's number at the end of a title ("Entwurf 1"); four digits are a year ("Digitales Köln 2025")
TRAILING_NUMBER = re.compile(r"^(?P<stem>.*?)(?<!\d)(?P<number>\d{1,3})\s*$", re.DOTALL)


def suggested_title(source: MasterplanVersion, number: int) -> str:
    """A title for version `number`, a copy of `source`: the source's trailing number counted
    up ("… Entwurf 1" → "… Entwurf 2"), else the source's title with the version's number."""
    match = TRAILING_NUMBER.match(source.title)
    if match:
        return f"{match['stem']}{int(match['number']) + 1}"
    suffix = f" (Version {number})"
    return source.title[: MasterplanVersion.title.type.length - len(suffix)].rstrip() + suffix


def version_titled(title: str) -> MasterplanVersion | None:
    """The version that already has `title` (compared without regard to case and outer spaces)."""
    wanted = title.strip().casefold()
    versions = db.session.scalars(select(MasterplanVersion).order_by(MasterplanVersion.number))
    return next((version for version in versions if version.title.strip().casefold() == wanted), None)


def versions_in_consultation(but: MasterplanVersion | None = None) -> list[MasterplanVersion]:
    """The versions open for comments now, `but` left out."""
    statement = select(MasterplanVersion).where(MasterplanVersion.status == CONSULTATION)
    if but is not None:
        statement = statement.where(MasterplanVersion.id != but.id)
    return list(db.session.scalars(statement.order_by(MasterplanVersion.number)))


def phases_opening(version: MasterplanVersion) -> list[Phase]:
    """The phases (past, running, planned) that open comments or votes on `version`."""
    return list(
        db.session.scalars(
            select(Phase)
            .where(Phase.version_id == version.id, or_(Phase.opens_draft_comments, Phase.opens_draft_votes))
            .order_by(Phase.starts_at, Phase.position)
        )
    )


def open_consultation(actor, version: MasterplanVersion) -> None:
    before = version.status
    version.status = CONSULTATION
    _publish(version)
    record_decision(actor, "version_opened", version, before={"status": before}, after={"status": CONSULTATION})


def _publish(version: MasterplanVersion) -> None:
    """The first time a version goes public, the input taken into it shows where it went (the
    incorporation area, a layer above, lends what to do: participation.lend_parts)."""
    if version.published_at is None:
        version.published_at = utcnow()
        for part in composition.parts("drafts.first_publish"):
            part(version)


def close_consultation(actor, version: MasterplanVersion) -> None:
    before = version.status
    version.status = CLOSED
    version.closed_at = utcnow()
    record_decision(actor, "version_closed", version, before={"status": before}, after={"status": CLOSED})


def mark_final(actor, version: MasterplanVersion) -> None:
    """One version may be final: marking one takes the mark from any other."""
    for other in db.session.scalars(select(MasterplanVersion).where(MasterplanVersion.is_final.is_(True))):
        other.is_final = False
    version.is_final = True
    if version.status == PREPARING:
        version.status = CLOSED
        _publish(version)
    record_decision(actor, "version_final", version, after={"final": True})


def renumber(items) -> None:
    for position, item in enumerate(items, start=1):
        item.position = position


def move(items: list, item, offset: int) -> None:
    """Move an item up (-1) or down (+1) among its siblings. Only positions change: swapping
    members of the relationship's list in place would orphan, and so delete, one of them."""
    order = list(items)
    index = order.index(item)
    target = index + offset
    if 0 <= target < len(order):
        order[index], order[target] = order[target], order[index]
    renumber(order)
