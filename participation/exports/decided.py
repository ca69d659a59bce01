"""What was decided about the contributions, for the planners' exports: the moderators' and
planners' decisions of the audit log and the incorporations of input into the plan
(participation.exports.datasets lists them with the other kinds). Rows are read in batches by
primary key like every table there, and carry the version round they belong to.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import aliased

from participation.accounts.models import STAKEHOLDER_GROUPS, User
from participation.comments.models import PUBLISHED as PUBLISHED_COMMENT
from participation.comments.models import Comment
from participation.core.audit import ACTION_LABELS, TARGET_LABELS, ModerationDecision
from participation.core.hiding import HIDE_REASONS
from participation.core.spreadsheet import DATETIME, NUMBER, Column, Sheet
from participation.drafts.models import Chapter, MasterplanVersion, Paragraph
from participation.exports.rows import Filters, Rounds, batches, excerpt, label, round_column
from participation.incorporation.models import EXTENTS, Incorporation, into_versions
from participation.proposals.models import PUBLIC_STATUSES, Proposal

# --- decisions (the audit log) --------------------------------------------------------------

# decisions about accounts, memberships, settings and retention are the admins' (the audit log); and of the
# moderators' decisions planners see what was decided and the reason's category, not the notes
# and states, which may quote what was hidden
ABOUT_PEOPLE = ("user", "organisation_membership", "site_setting", "retention")
MODERATION_ACTIONS = ("approve", "hide", "dismiss_reports", "merge", "hide_and_block", "restore")


def decisions(filters: Filters) -> Sheet:
    """The decisions of the audit log that concern the plan and its contributions."""
    columns = [
        Column("id", _("No."), NUMBER, 8),
        Column("time", _("Time"), DATETIME, 17),
        Column("actor", _("By"), width=22),
        Column("action", _("Decision"), width=30),
        Column("target_type", _("Concerns"), width=18),
        Column("target_id", _("Its no."), NUMBER, 9),
        Column("reason", _("Reason"), width=24),
        Column("note", _("Note"), width=40),
        Column("before", _("Before"), width=40),
        Column("after", _("After"), width=40),
        round_column(),  # the round the decision's time falls in
    ]
    statement = (
        select(
            ModerationDecision.id,
            ModerationDecision.created_at,
            User.display_name,
            ModerationDecision.action,
            ModerationDecision.target_type,
            ModerationDecision.target_id,
            ModerationDecision.reason,
            ModerationDecision.note,
            ModerationDecision.state_before,
            ModerationDecision.state_after,
        )
        .outerjoin(User, User.id == ModerationDecision.actor_id)
        .where(
            filters.window(ModerationDecision.created_at),
            filters.in_round(ModerationDecision.created_at),
            ModerationDecision.target_type.not_in(ABOUT_PEOPLE),
        )
    )

    def rows():
        rounds = Rounds.load()
        for batch in batches(statement, ModerationDecision.id):
            for ident, time, actor, action, target_type, target_id, reason, note, before, after in batch:
                if action in MODERATION_ACTIONS:  # its reason as a category; notes and states stay with admins
                    reason, note, before, after = label(HIDE_REASONS, reason), None, None, None
                yield (
                    ident,
                    time,
                    actor or _("deleted account"),
                    label(ACTION_LABELS, action),
                    label(TARGET_LABELS, target_type),
                    target_id,
                    reason,
                    note,
                    before,
                    after,
                    rounds.at(time),
                )

    return Sheet("decisions", _("Decisions"), columns, rows())


# --- incorporations -------------------------------------------------------------------------


def incorporations(filters: Filters) -> Sheet:
    """Input taken into paragraphs; the round is the contribution's (when the proposal or proposal
    comment was made, or the version a draft comment is on), not the version it went into."""
    columns = [
        Column("id", _("No."), NUMBER, 8),
        Column("version", _("Version"), NUMBER, 9),
        Column("chapter", _("Chapter"), width=30),
        Column("paragraph", _("Paragraph"), width=10),
        Column("contribution_type", _("Contribution"), width=14),
        Column("contribution_id", _("Its no."), NUMBER, 9),
        Column("contribution", _("Title or text (beginning)"), width=45),
        Column("stakeholder_group", _("Stakeholder group"), width=22),
        Column("extent", _("Taken"), width=10),
        Column("note", _("Note"), width=40),
        Column("recorded_at", _("Recorded"), DATETIME, 17),
        Column("recorded_by", _("By"), width=22),
        round_column(),
    ]
    discussed = aliased(Proposal)  # the proposal a comment is on, if any: it must be public too
    commented = aliased(Chapter)  # the chapter a draft comment is on: its version is the comment's round
    statement = (
        into_versions(
            select(
                Incorporation.id,
                MasterplanVersion.number,
                Chapter.position,
                Chapter.title,
                Paragraph.position,
                Incorporation.proposal_id,
                Proposal.title,
                Proposal.author_group,
                Incorporation.comment_id,
                Comment.body,
                Comment.author_group,
                Incorporation.extent,
                Incorporation.note,
                Incorporation.created_at,
                User.display_name,
                Proposal.created_at,
                Comment.created_at,
                Comment.proposal_id,
                commented.version_id,
            )
        )
        .outerjoin(Proposal, Proposal.id == Incorporation.proposal_id)
        .outerjoin(Comment, Comment.id == Incorporation.comment_id)
        .outerjoin(discussed, discussed.id == Comment.proposal_id)
        .outerjoin(commented, commented.id == Comment.chapter_id)
        .outerjoin(User, User.id == Incorporation.created_by_id)
        .where(
            or_(
                Proposal.status.in_(PUBLIC_STATUSES),
                and_(
                    Comment.status == PUBLISHED_COMMENT,
                    or_(Comment.proposal_id.is_(None), discussed.status.in_(PUBLIC_STATUSES)),
                ),
            ),
            filters.window(Incorporation.created_at),
            filters.chapters(Chapter.id),
            filters.published(),
            or_(
                and_(Incorporation.proposal_id.is_not(None), filters.in_round(Proposal.created_at)),
                and_(
                    Incorporation.comment_id.is_not(None),
                    filters.comment_in_round(Comment.created_at, Comment.proposal_id, commented.version_id),
                ),
            ),
        )
    )
    if filters.topic:
        statement = statement.where(Chapter.topic == filters.topic)
    if filters.group:
        statement = statement.where(or_(Proposal.author_group == filters.group, Comment.author_group == filters.group))

    def rows():
        rounds = Rounds.load()
        numbers = {round_.version_id: round_.number for round_ in rounds.rounds}
        for batch in batches(statement, Incorporation.id):
            for (ident, version, chapter_position, chapter_title, position, proposal_id, title, proposal_group,
                 comment_id, body, comment_group, extent, note, recorded, planner, proposed, commented_at,
                 discussed_id, commented_version) in batch:  # fmt: skip
                if proposal_id is not None:
                    kind, target, text, group = _("Proposal"), proposal_id, title, proposal_group
                    in_round = rounds.at(proposed)
                else:
                    kind, target, group = _("Comment"), comment_id, comment_group
                    text = excerpt(body)
                    in_round = rounds.at(commented_at) if discussed_id else numbers.get(commented_version)
                yield (
                    ident,
                    version,
                    f"{chapter_position} {chapter_title}",
                    f"{chapter_position}.{position}",
                    kind,
                    target,
                    text,
                    label(STAKEHOLDER_GROUPS, group),
                    label(EXTENTS, extent),
                    note,
                    recorded,
                    planner or "",
                    in_round,
                )

    return Sheet("incorporations", _("Incorporations"), columns, rows())
