"""What the person contributed: proposals and their earlier wordings, comments, votes on the
draft, supports, follows of proposals and measures, and the reports (flags) they filed. Of other
people's contributions only what the public may read (a proposal's title) appears here."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, select

from participation.accounts.models import STAKEHOLDER_GROUPS
from participation.comments.models import ANSWERS, Comment
from participation.comments.models import DELETED as COMMENT_DELETED
from participation.comments.models import HIDDEN as COMMENT_HIDDEN
from participation.comments.models import KINDS as COMMENT_KINDS
from participation.comments.models import PENDING as COMMENT_PENDING
from participation.comments.models import PUBLISHED as COMMENT_PUBLISHED
from participation.core.links import public_url
from participation.drafts.following import ChapterFollow
from participation.drafts.models import PREPARING, TOPICS, VOTE_LABELS, Chapter, DraftVote, MasterplanVersion, Paragraph
from participation.measures.models import Measure, MeasureFollow
from participation.moderation.models import DISMISSED, FLAG_REASONS, OPEN, UPHELD, Flag
from participation.moderation.services import HELD_REASONS
from participation.organisations.following import OrganisationFollow
from participation.organisations.models import Organisation
from participation.privacy.kinds import Field, Kind, label, streamed
from participation.privacy.kinds_person import hide_reason
from participation.proposals.models import (
    DISTRICTS,
    PUBLIC_STATUSES,
    STATUSES,
    Follow,
    Proposal,
    ProposalRevision,
    Support,
)

COMMENT_STATUSES = {
    COMMENT_PUBLISHED: _l("published"),
    COMMENT_PENDING: _l("waiting for review"),
    COMMENT_HIDDEN: _l("hidden by moderation"),
    COMMENT_DELETED: _l("deleted"),
}
FLAG_STATUSES = {OPEN: _l("open"), DISMISSED: _l("dismissed"), UPHELD: _l("upheld")}


def held_because(codes: str | None) -> str:
    return ", ".join(label(HELD_REASONS, code) for code in (codes or "").split(",") if code)


def _moderation_fields() -> tuple[Field, ...]:
    return (
        Field("held_because", _l("Held for review because"), text=held_because),
        Field("hidden_at", _l("Hidden")),
        Field("moderation_reason", _l("Reason for hiding"), text=hide_reason),
        Field("moderation_note", _l("Note of the moderation")),
    )


def _public_title():
    """Another person's proposal is named only while the public may read it."""
    return case((Proposal.status.in_(PUBLIC_STATUSES), Proposal.title), else_=None).label("proposal_title")


PROPOSALS = Kind(
    "proposals",
    _l("Proposals"),
    _l(
        "Your proposals in their current wording, whatever their status, with the city's answer and the "
        "moderation's decision."
    ),
    (
        Field("id", _l("No.")),
        Field("url", _l("Link"), get=lambda row: public_url("proposals.show", proposal_id=row.id)),
        Field("title", _l("Title")),
        Field("body", _l("Text")),
        Field("topic", _l("Topic"), labels=TOPICS),
        Field("district", _l("District"), labels=DISTRICTS),
        Field("chapter_id", _l("Chapter no.")),
        Field("organisation", _l("Organisation")),
        Field("author_group", _l("Your group at the time"), labels=STAKEHOLDER_GROUPS),
        Field("status", _l("Status"), labels=STATUSES),
        Field("answer", _l("Answer text")),
        Field("answered_at", _l("Answered")),
        Field("merged_into_id", _l("Merged into proposal")),
        Field("support_count", _l("Supports")),
        Field("comment_count", _l("Comments")),
        Field("created_at", _l("Written")),
        Field("published_at", _l("Published")),
        Field("edited_at", _l("Edited")),
        *_moderation_fields(),
    ),
    lambda user: streamed(
        select(
            Proposal.id,
            Proposal.title,
            Proposal.body,
            Proposal.topic,
            Proposal.district,
            Proposal.chapter_id,
            Organisation.name.label("organisation"),
            Proposal.author_group,
            Proposal.status,
            Proposal.answer,
            Proposal.answered_at,
            Proposal.merged_into_id,
            Proposal.support_count,
            Proposal.comment_count,
            Proposal.created_at,
            Proposal.published_at,
            Proposal.edited_at,
            Proposal.held_because,
            Proposal.hidden_at,
            Proposal.moderation_reason,
            Proposal.moderation_note,
        )
        .outerjoin(Organisation, Organisation.id == Proposal.organisation_id)
        .where(Proposal.author_id == user.id)
        .order_by(Proposal.id)
    ),
)

EARLIER_WORDINGS = Kind(
    "proposal_earlier_wordings",
    _l("Earlier wordings of your proposals"),
    _l("The title and text a proposal of yours had before you changed it, and when it was replaced."),
    (
        Field("proposal_id", _l("Proposal no.")),
        Field("title", _l("Title")),
        Field("body", _l("Text")),
        Field("created_at", _l("Replaced on")),
    ),
    lambda user: streamed(
        select(ProposalRevision.proposal_id, ProposalRevision.title, ProposalRevision.body, ProposalRevision.created_at)
        .join(Proposal, Proposal.id == ProposalRevision.proposal_id)
        .where(Proposal.author_id == user.id)
        .order_by(ProposalRevision.proposal_id, ProposalRevision.id)
    ),
)

COMMENTS = Kind(
    "comments",
    _l("Comments"),
    _l(
        "Your comments and replies on the draft, on proposals and on measures, whatever their status (a "
        "comment you deleted keeps no text), with answers and the moderation's decision."
    ),
    (
        Field("id", _l("No.")),
        Field("url", _l("Link"), get=lambda row: public_url("comments.show", comment_id=row.id)),
        Field("proposal_id", _l("Proposal no.")),
        Field("chapter_id", _l("Chapter no.")),
        Field("paragraph_id", _l("Paragraph no.")),
        Field("measure_id", _l("Measure no.")),
        Field("parent_id", _l("Reply to comment no.")),
        Field("kind", _l("Kind"), labels=COMMENT_KINDS),
        Field("body", _l("Text")),
        Field("organisation", _l("Organisation")),
        Field("author_group", _l("Your group at the time"), labels=STAKEHOLDER_GROUPS),
        Field("status", _l("Status"), labels=COMMENT_STATUSES),
        Field("answer_status", _l("Answer"), labels=ANSWERS),
        Field("answer", _l("Answer text")),
        Field("answered_at", _l("Answered")),
        Field("created_at", _l("Written")),
        Field("published_at", _l("Published")),
        Field("edited_at", _l("Edited")),
        Field("deleted_at", _l("Deleted")),
        *_moderation_fields(),
    ),
    lambda user: streamed(
        select(
            Comment.id,
            Comment.proposal_id,
            Comment.chapter_id,
            Comment.paragraph_id,
            Comment.measure_id,
            Comment.parent_id,
            Comment.kind,
            Comment.body,
            Organisation.name.label("organisation"),
            Comment.author_group,
            Comment.status,
            Comment.answer_status,
            Comment.answer,
            Comment.answered_at,
            Comment.created_at,
            Comment.published_at,
            Comment.edited_at,
            Comment.deleted_at,
            Comment.held_because,
            Comment.hidden_at,
            Comment.moderation_reason,
            Comment.moderation_note,
        )
        .outerjoin(Organisation, Organisation.id == Comment.organisation_id)
        .where(Comment.author_id == user.id)
        .order_by(Comment.id)
    ),
)

VOTES = Kind(
    "votes",
    _l("Votes on the draft"),
    _l("Your vote on each paragraph of the draft: the version, the paragraph's number and your choice."),
    (
        Field("version", _l("Version")),
        Field("paragraph", _l("Paragraph"), get=lambda row: f"{row.chapter_position}.{row.paragraph_position}"),
        Field("paragraph_id", _l("Paragraph no.")),
        Field("value", _l("Your vote"), labels=VOTE_LABELS),
        Field("stakeholder_group", _l("Your group at the time"), labels=STAKEHOLDER_GROUPS),
        Field("created_at", _l("Voted")),
        Field("updated_at", _l("Last changed")),
    ),
    lambda user: streamed(
        select(
            MasterplanVersion.number.label("version"),
            Chapter.position.label("chapter_position"),
            Paragraph.position.label("paragraph_position"),
            DraftVote.paragraph_id,
            DraftVote.value,
            DraftVote.stakeholder_group,
            DraftVote.created_at,
            DraftVote.updated_at,
        )
        .join(Paragraph, Paragraph.id == DraftVote.paragraph_id)
        .join(Chapter, Chapter.id == Paragraph.chapter_id)
        .join(MasterplanVersion, MasterplanVersion.id == Chapter.version_id)
        .where(DraftVote.user_id == user.id)
        .order_by(MasterplanVersion.number, Chapter.position, Paragraph.position)
    ),
)

SUPPORTS = Kind(
    "supports",
    _l("Supports"),
    _l("The proposals you support (their title while the public may read them)."),
    (
        Field("proposal_id", _l("Proposal no.")),
        Field("proposal_title", _l("Title")),
        Field("stakeholder_group", _l("Your group at the time"), labels=STAKEHOLDER_GROUPS),
        Field("created_at", _l("Supported on")),
    ),
    lambda user: streamed(
        select(Support.proposal_id, _public_title(), Support.stakeholder_group, Support.created_at)
        .join(Proposal, Proposal.id == Support.proposal_id)
        .where(Support.user_id == user.id)
        .order_by(Support.created_at, Support.id)
    ),
)

PROPOSAL_FOLLOWS = Kind(
    "followed_proposals",
    _l("Followed proposals"),
    _l("The proposals you follow, to hear by mail what becomes of them (your own ones included)."),
    (
        Field("proposal_id", _l("Proposal no.")),
        Field("proposal_title", _l("Title")),
        Field("created_at", _l("Followed since")),
    ),
    lambda user: streamed(
        select(Follow.proposal_id, _public_title(), Follow.created_at)
        .join(Proposal, Proposal.id == Follow.proposal_id)
        .where(Follow.user_id == user.id)
        .order_by(Follow.created_at, Follow.id)
    ),
)

MEASURE_FOLLOWS = Kind(
    "followed_measures",
    _l("Followed measures"),
    _l("The measures of the action concept whose updates you follow."),
    (
        Field("measure_id", _l("Measure no.")),
        Field("measure_title", _l("Title")),
        Field("created_at", _l("Followed since")),
    ),
    lambda user: streamed(
        select(
            MeasureFollow.measure_id,
            case((Measure.published_at.is_not(None), Measure.title_de), else_=None).label("measure_title"),
            MeasureFollow.created_at,
        )
        .join(Measure, Measure.id == MeasureFollow.measure_id)
        .where(MeasureFollow.user_id == user.id)
        .order_by(MeasureFollow.created_at, MeasureFollow.id)
    ),
)

CHAPTER_FOLLOWS = Kind(
    "followed_chapters",
    _l("Followed chapters"),
    _l("The chapters of the masterplan draft whose new comments you follow (in every version of the draft)."),
    (
        Field("chapter_title", _l("Title")),
        Field("created_at", _l("Followed since")),
    ),
    lambda user: streamed(
        select(
            select(Chapter.title)
            .join(MasterplanVersion, MasterplanVersion.id == Chapter.version_id)
            .where(Chapter.lineage_key == ChapterFollow.chapter_lineage_key, MasterplanVersion.status != PREPARING)
            .order_by(Chapter.id.desc())
            .limit(1)
            .scalar_subquery()
            .label("chapter_title"),
            ChapterFollow.created_at,
        )
        .where(ChapterFollow.user_id == user.id)
        .order_by(ChapterFollow.created_at, ChapterFollow.id)
    ),
)

ORGANISATION_FOLLOWS = Kind(
    "followed_organisations",
    _l("Followed organisations"),
    _l("The organisations whose statements you follow."),
    (
        Field("organisation_id", _l("Organisation no.")),
        Field("organisation_name", _l("Name")),
        Field("created_at", _l("Followed since")),
    ),
    lambda user: streamed(
        select(
            OrganisationFollow.organisation_id,
            Organisation.name.label("organisation_name"),
            OrganisationFollow.created_at,
        )
        .join(Organisation, Organisation.id == OrganisationFollow.organisation_id)
        .where(OrganisationFollow.user_id == user.id)
        .order_by(OrganisationFollow.created_at, OrganisationFollow.id)
    ),
)

REPORTS = Kind(
    "reports_filed",
    _l("Your reports to the moderation"),
    _l("The proposals and comments you reported, with your reason and note, and what became of the report."),
    (
        Field("proposal_id", _l("Proposal no.")),
        Field("comment_id", _l("Comment no.")),
        Field("reason", _l("Reason"), labels=FLAG_REASONS),
        Field("note", _l("Your note")),
        Field("status", _l("Status"), labels=FLAG_STATUSES),
        Field("created_at", _l("Reported")),
        Field("decided_at", _l("Decided on")),
    ),
    lambda user: streamed(
        select(Flag.proposal_id, Flag.comment_id, Flag.reason, Flag.note, Flag.status, Flag.created_at, Flag.decided_at)
        .where(Flag.reporter_id == user.id)
        .order_by(Flag.created_at, Flag.id)
    ),
)

KINDS = (
    PROPOSALS,
    EARLIER_WORDINGS,
    COMMENTS,
    VOTES,
    SUPPORTS,
    PROPOSAL_FOLLOWS,
    MEASURE_FOLLOWS,
    CHAPTER_FOLLOWS,
    ORGANISATION_FOLLOWS,
    REPORTS,
)
