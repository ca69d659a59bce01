"""What planners export: proposals, comments, votes per paragraph, decisions and incorporations,
each as a `Sheet` whose rows are read in batches of BATCH (by primary key, so the database never
sorts or holds more than a batch, and each batch brings its related rows in one query more).

No email address or other personal data leaves here: authors appear by display name (or as the
organisation they wrote for) and stakeholder group. Only what the public may read is exported:
no pending, hidden, withdrawn or deleted contribution.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from participation.accounts.models import STAKEHOLDER_GROUPS, User
from participation.comments.models import KINDS as COMMENT_KINDS
from participation.comments.models import PUBLISHED as PUBLISHED_COMMENT
from participation.comments.models import Comment
from participation.core.disclosure import OTHER, OTHER_LABEL, split_table
from participation.core.spreadsheet import DATETIME, NUMBER, Column, Sheet
from participation.drafts.models import PREPARING, TOPICS, Chapter, DraftVote, MasterplanVersion, Paragraph
from participation.exports import decided
from participation.exports.rows import (
    Filters,
    Rounds,
    author,
    batches,
    excerpt,
    incorporated,
    label,
    link,
    round_column,
)
from participation.extensions import db
from participation.incorporation.models import Incorporation
from participation.organisations.models import Organisation
from participation.proposals.models import DISTRICTS, MERGED, PUBLIC_STATUSES, PUBLISHED, STATUSES, Proposal

KINDS = {
    "proposals": _l("Proposals"),
    "comments": _l("Comments"),
    "votes": _l("Votes per paragraph"),
    "decisions": _l("Decisions"),
    "incorporations": _l("Incorporations"),
}
# which filters each kind knows (the others do not narrow it, and the page says so)
FILTERS_OF = {
    "proposals": ("phase", "round", "version", "chapter", "topic", "status", "group"),
    "comments": ("phase", "round", "version", "chapter", "topic", "status", "group"),
    "votes": ("phase", "round", "version", "chapter", "topic", "group"),
    "decisions": ("phase", "round"),
    "incorporations": ("phase", "round", "version", "chapter", "topic", "group"),
}

STATUS_CHOICES = PUBLIC_STATUSES  # the statuses of public proposals; a comment's is its answer


# --- proposals ------------------------------------------------------------------------------


def proposals(filters: Filters) -> Sheet:
    columns = [
        Column("id", _("No."), NUMBER, 8),
        Column("title", _("Title"), width=45),
        Column("status", _("Status"), width=18),
        Column("topic", _("Topic"), width=24),
        Column("version", _("Version"), NUMBER, 9),
        Column("chapter", _("Chapter"), width=30),
        Column("district", _("District"), width=16),
        Column("author", _("Author"), width=22),
        Column("stakeholder_group", _("Stakeholder group"), width=22),
        Column("published_at", _("Published"), DATETIME, 17),
        Column("supports", _("Supports"), NUMBER, 10),
        Column("comments", _("Comments"), NUMBER, 11),
        Column("answer", _("Answer"), width=50),
        Column("answered_at", _("Answered"), DATETIME, 17),
        Column("merged_into", _("Merged into proposal"), NUMBER, 12),
        Column("incorporations", _("Taken into the plan"), width=36),
        Column("url", _("Link"), width=40),
        round_column(),
    ]
    statement = (
        select(
            Proposal.id,
            Proposal.title,
            Proposal.status,
            Proposal.topic,
            MasterplanVersion.number,
            Chapter.position,
            Chapter.title,
            Proposal.district,
            User.display_name,
            Organisation.name,
            Proposal.author_group,
            func.coalesce(Proposal.published_at, Proposal.created_at),
            Proposal.support_count,
            Proposal.comment_count,
            Proposal.answer,
            Proposal.answered_at,
            Proposal.merged_into_id,
            Proposal.created_at,
        )
        .outerjoin(User, User.id == Proposal.author_id)
        .outerjoin(Organisation, Organisation.id == Proposal.organisation_id)
        .outerjoin(Chapter, Chapter.id == Proposal.chapter_id)
        .outerjoin(MasterplanVersion, MasterplanVersion.id == Chapter.version_id)
        .where(
            Proposal.status.in_(PUBLIC_STATUSES),
            filters.window(Proposal.created_at),
            filters.in_round(Proposal.created_at),
        )
    )
    if filters.version is not None or filters.chapter is not None:
        statement = statement.where(filters.chapters(Proposal.chapter_id))
    if filters.topic:
        statement = statement.where(Proposal.topic == filters.topic)
    if filters.status:
        statement = statement.where(Proposal.status == filters.status)
    if filters.group:
        statement = statement.where(Proposal.author_group == filters.group)

    def rows():
        rounds = Rounds.load()
        for batch in batches(statement, Proposal.id):
            taken = incorporated(Incorporation.proposal_id, [row[0] for row in batch], filters)
            for (ident, title, status, topic, version, position, chapter, district, name, organisation, group,
                 published, supports, comments, answer, answered, merged, created) in batch:  # fmt: skip
                yield (
                    ident,
                    title,
                    label(STATUSES, status),
                    label(TOPICS, topic),
                    version,
                    f"{position} {chapter}" if chapter else "",
                    label(DISTRICTS, district),
                    author(name, organisation),
                    label(STAKEHOLDER_GROUPS, group),
                    published,
                    supports,
                    comments,
                    answer,
                    answered,
                    merged,
                    taken.get(ident, ""),
                    link("proposals.show", proposal_id=ident),
                    rounds.at(created),
                )

    return Sheet("proposals", str(KINDS["proposals"]), columns, rows())


# --- comments -------------------------------------------------------------------------------


def comments(filters: Filters) -> Sheet:
    """Comments on proposals and on the draft, each with what it is about and its thread parent."""
    columns = [
        Column("id", _("No."), NUMBER, 8),
        Column("about", _("About"), width=30),
        Column("proposal", _("Proposal no."), NUMBER, 12),
        Column("version", _("Version"), NUMBER, 9),
        Column("chapter_paragraph", _("Chapter or paragraph"), width=14),
        Column("parent", _("Reply to comment no."), NUMBER, 14),
        Column("kind", _("Kind"), width=14),
        Column("text", _("Text"), width=60),
        Column("author", _("Author"), width=22),
        Column("stakeholder_group", _("Stakeholder group"), width=22),
        Column("published_at", _("Published"), DATETIME, 17),
        Column("answer_status", _("Answer"), width=18),
        Column("answer", _("Answer text"), width=50),
        Column("answered_at", _("Answered"), DATETIME, 17),
        Column("incorporations", _("Taken into the plan"), width=36),
        round_column(),
    ]
    on = aliased(Chapter)  # the chapter the comment is about, or the chapter of its proposal
    statement = (
        select(
            Comment.id,
            Comment.proposal_id,
            Proposal.title,
            MasterplanVersion.number,
            on.position,
            Paragraph.position,
            Comment.paragraph_id,
            Comment.parent_id,
            Comment.kind,
            Comment.body,
            User.display_name,
            Organisation.name,
            Comment.author_group,
            func.coalesce(Comment.published_at, Comment.created_at),
            Comment.answer_status,
            Comment.answer,
            Comment.answered_at,
            Comment.created_at,
        )
        .outerjoin(Proposal, Proposal.id == Comment.proposal_id)
        .outerjoin(on, on.id == func.coalesce(Comment.chapter_id, Proposal.chapter_id))
        .outerjoin(MasterplanVersion, MasterplanVersion.id == on.version_id)
        .outerjoin(Paragraph, Paragraph.id == Comment.paragraph_id)
        .outerjoin(User, User.id == Comment.author_id)
        .outerjoin(Organisation, Organisation.id == Comment.organisation_id)
        .where(
            Comment.status == PUBLISHED_COMMENT,
            Comment.measure_id.is_(None),  # on proposals and the draft: measures' threads are no part of it
            or_(Comment.proposal_id.is_(None), Proposal.status.in_(PUBLIC_STATUSES)),
            filters.window(Comment.created_at),
            filters.comment_in_round(Comment.created_at, Comment.proposal_id, on.version_id),
        )
    )
    if filters.version is not None or filters.chapter is not None:
        statement = statement.where(filters.chapters(on.id))
    if filters.topic:
        statement = statement.where(or_(Proposal.topic == filters.topic, on.topic == filters.topic))
    if filters.status == PUBLISHED:
        statement = statement.where(Comment.answer_status.is_(None))
    elif filters.status == MERGED:
        statement = statement.where(False)  # comments are never merged
    elif filters.status:
        statement = statement.where(Comment.answer_status == filters.status)
    if filters.group:
        statement = statement.where(Comment.author_group == filters.group)

    def rows():
        rounds = Rounds.load()
        for batch in batches(statement, Comment.id):
            taken = incorporated(Incorporation.comment_id, [row[0] for row in batch], filters)
            for (ident, proposal, title, version, chapter, paragraph, paragraph_id, parent, kind, body, name,
                 organisation, group, published, answer_status, answer, answered, created) in batch:  # fmt: skip
                # on a proposal by when it was written, on the draft by the version it is on
                in_round = rounds.at(created) if proposal is not None else rounds.of_version(version)
                if proposal is not None:
                    about = _("Proposal %(id)d “%(title)s”", id=proposal, title=title)
                    place, version = "", None
                elif paragraph_id is not None:
                    about, place = _("Paragraph"), f"{chapter}.{paragraph}"
                else:
                    about, place = _("Chapter"), str(chapter or "")
                yield (
                    ident,
                    about,
                    proposal,
                    version,
                    place,
                    parent,
                    label(COMMENT_KINDS, kind),
                    body,
                    author(name, organisation),
                    label(STAKEHOLDER_GROUPS, group),
                    published,
                    label(STATUSES, answer_status),
                    answer,
                    answered,
                    taken.get(ident, ""),
                    in_round,
                )

    return Sheet("comments", str(KINDS["comments"]), columns, rows())


# --- votes per paragraph --------------------------------------------------------------------

VALUES = ((1, "agree", _l("agree")), (0, "neutral", _l("neutral")), (-1, "disagree", _l("disagree")))


def votes(filters: Filters) -> Sheet:
    """Per paragraph of every public version: the votes, overall and by stakeholder group. No cell
    holds a group of fewer than MIN_PUBLIC_GROUP_SIZE people (participation.core.disclosure): such
    groups are merged into "other groups" or left out (empty), and each value's cells add up to
    its overall count."""
    groups = [filters.group] if filters.group else list(STAKEHOLDER_GROUPS)
    columns = [
        Column("version", _("Version"), NUMBER, 9),
        Column("chapter", _("Chapter"), width=30),
        Column("paragraph", _("Paragraph"), width=10),
        Column("text", _("Text (beginning)"), width=50),
    ]
    columns += [Column(key, str(name), NUMBER, 10) for _value, key, name in VALUES]
    columns += [Column("total", _("Votes"), NUMBER, 9), Column("agreement", _("Agreement in %"), NUMBER, 12)]
    for group in groups:
        columns += [
            Column(f"{key}_{group}", f"{name}: {STAKEHOLDER_GROUPS[group]}", NUMBER, 14) for _value, key, name in VALUES
        ]
    if not filters.group:
        columns += [Column(f"{key}_{OTHER}", f"{name}: {OTHER_LABEL}", NUMBER, 14) for _value, key, name in VALUES]
    columns.append(round_column())  # the round of the paragraph's version: its votes are that round's
    values = [value for value, _key, _name in VALUES]
    statement = (
        select(
            Paragraph.id, MasterplanVersion.number, Chapter.position, Chapter.title, Paragraph.position, Paragraph.text
        )
        .join(Chapter, Chapter.id == Paragraph.chapter_id)
        .join(MasterplanVersion, MasterplanVersion.id == Chapter.version_id)
        .where(
            MasterplanVersion.status != PREPARING,
            filters.chapters(Chapter.id),
            filters.on_round_version(MasterplanVersion.id),
        )
    )
    if filters.topic:
        statement = statement.where(Chapter.topic == filters.topic)

    def rows():
        rounds = Rounds.load()
        for batch in batches(statement, Paragraph.id):
            counted = select(DraftVote.paragraph_id, DraftVote.stakeholder_group, DraftVote.value, func.count())
            counted = counted.where(
                DraftVote.paragraph_id.in_([row[0] for row in batch]), filters.window(DraftVote.updated_at)
            )
            tally: dict = defaultdict(lambda: defaultdict(dict))
            for paragraph_id, group, value, count in db.session.execute(
                counted.group_by(DraftVote.paragraph_id, DraftVote.stakeholder_group, DraftVote.value)
            ):
                tally[paragraph_id][group][value] = count
            for ident, version, chapter_position, chapter_title, position, text in batch:
                # every group is split, also when one is chosen: its figures are those of all groups' table
                table = split_table(tally[ident], list(STAKEHOLDER_GROUPS), values)
                if filters.group:  # the chosen group's votes are the row's votes
                    overall = [table[filters.group][value] for value in values]
                    total = None if None in overall else sum(overall)
                else:
                    overall = [sum(tally[ident][group].get(value, 0) for group in tally[ident]) for value in values]
                    total = sum(overall)
                merged = table[OTHER] if not filters.group else None
                yield (
                    version,
                    f"{chapter_position} {chapter_title}",
                    f"{chapter_position}.{position}",
                    excerpt(text),
                    *overall,
                    total,
                    round(100 * overall[0] / total, 1) if total else None,
                    *(table[group][value] for group in groups for value in values),
                    *((merged[value] for value in values) if merged is not None else ()),
                    rounds.of_version(version),
                )

    return Sheet("votes", str(KINDS["votes"]), columns, rows())


BUILDERS = {
    "proposals": proposals,
    "comments": comments,
    "votes": votes,
    "decisions": decided.decisions,
    "incorporations": decided.incorporations,
}


def sheets(kind: str, filters: Filters) -> list[Sheet]:
    """One kind, or all of them ("all", for a workbook with a sheet per kind)."""
    kinds = list(BUILDERS) if kind == "all" else [kind]
    return [BUILDERS[name](filters) for name in kinds]


def stamp() -> str:
    return datetime.now().strftime("%Y-%m-%d")
