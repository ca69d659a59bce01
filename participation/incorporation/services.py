"""Feeding accepted input into the next version: what is still open per chapter, recording and
removing incorporations while the version is prepared, and reading them once it is public.
Services flush; the request commits once."""

from __future__ import annotations

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import joinedload

from participation.comments.models import PUBLISHED as PUBLISHED_COMMENT
from participation.comments.models import Comment
from participation.core.audit import record_decision
from participation.core.i18n import N_
from participation.drafts.models import Chapter, MasterplanVersion, Paragraph
from participation.extensions import db
from participation.incorporation.models import Incorporation, into_versions
from participation.mail.notifications import notify
from participation.proposals.models import ACCEPTED, PARTLY_ACCEPTED, Proposal

TAKEN = (ACCEPTED, PARTLY_ACCEPTED)  # answers that let input into the plan


def _in_version(version: MasterplanVersion):
    """Ids of the paragraphs of `version`."""
    return (
        select(Paragraph.id).join(Chapter, Chapter.id == Paragraph.chapter_id).where(Chapter.version_id == version.id)
    )


def _same_chapter_everywhere(chapter: Chapter):
    """The chapter in every version (its lineage), where the input was given."""
    return select(Chapter.id).where(Chapter.lineage_key == chapter.lineage_key)


def open_input(chapter: Chapter) -> dict[str, list]:
    """Accepted input not yet taken into this chapter's version: proposals and draft comments
    about this chapter (in any version), and accepted proposals about no chapter."""
    version = chapter.version
    done = select(Incorporation.proposal_id).where(Incorporation.paragraph_id.in_(_in_version(version)))
    done_comments = select(Incorporation.comment_id).where(Incorporation.paragraph_id.in_(_in_version(version)))
    open_proposals = select(Proposal).where(
        Proposal.status.in_(TAKEN), Proposal.id.not_in(done.where(Incorporation.proposal_id.is_not(None)))
    )
    return {
        "proposals": list(
            db.session.scalars(open_proposals.where(Proposal.chapter_id.in_(_same_chapter_everywhere(chapter))))
        ),
        "comments": list(
            db.session.scalars(
                select(Comment)
                .options(joinedload(Comment.paragraph), joinedload(Comment.chapter))
                .where(
                    Comment.answer_status.in_(TAKEN),
                    Comment.chapter_id.in_(_same_chapter_everywhere(chapter)),
                    Comment.id.not_in(done_comments),
                )
                .order_by(Comment.id)
            )
        ),
        "unassigned": list(
            db.session.scalars(open_proposals.where(Proposal.chapter_id.is_(None)).order_by(Proposal.id))
        ),
    }


def recorded(chapter: Chapter) -> list[Incorporation]:
    paragraph_ids = [paragraph.id for paragraph in chapter.paragraphs]
    return shaping(paragraph_ids).get("all", [])


def shaping(paragraph_ids) -> dict:
    """The incorporations into these paragraphs, by paragraph id (and all of them under "all")."""
    found: dict = {"all": []}
    if not paragraph_ids:
        return found
    rows = db.session.scalars(
        select(Incorporation)
        .options(joinedload(Incorporation.proposal), joinedload(Incorporation.comment))
        .where(Incorporation.paragraph_id.in_(list(paragraph_ids)))
        .order_by(Incorporation.id)
    )
    for row in rows:
        found.setdefault(row.paragraph_id, []).append(row)
        found["all"].append(row)
    return found


def contribution_key(contribution) -> str:
    return f"{'comment' if isinstance(contribution, Comment) else 'proposal'}:{contribution.id}"


def incorporate(actor, paragraph: Paragraph, contribution, extent: str, note: str) -> Incorporation:
    """Record (or correct) that `contribution` shaped `paragraph`, fully or partly."""
    column = Incorporation.comment_id if isinstance(contribution, Comment) else Incorporation.proposal_id
    row = db.session.scalar(
        select(Incorporation).where(column == contribution.id, Incorporation.paragraph_id == paragraph.id)
    )
    before = {"extent": row.extent, "note": row.note} if row else None
    if row is None:
        row = Incorporation(paragraph_id=paragraph.id, created_by_id=actor.id)
        if isinstance(contribution, Comment):
            row.comment_id = contribution.id
        else:
            row.proposal_id = contribution.id
        db.session.add(row)
    row.extent, row.note = extent, note
    db.session.flush()
    after = {"contribution": contribution_key(contribution), "paragraph": paragraph.id, "extent": extent}
    record_decision(actor, "incorporate", row, note=note or None, before=before, after=after)
    return row


def remove(actor, row: Incorporation) -> None:
    after = {"contribution": contribution_key(row.contribution), "paragraph": row.paragraph_id}
    record_decision(actor, "remove_incorporation", row, before={"extent": row.extent, "note": row.note}, after=after)
    db.session.delete(row)


def taken_into(proposal_ids=(), comment_ids=()) -> list[Incorporation]:
    """Where these contributions went, in versions the public can read, newest version first."""
    conditions = []
    if proposal_ids:
        conditions.append(Incorporation.proposal_id.in_(list(proposal_ids)))
    if comment_ids:
        conditions.append(Incorporation.comment_id.in_(list(comment_ids)))
    if not conditions:
        return []
    return list(
        db.session.scalars(
            into_versions(select(Incorporation))
            .options(joinedload(Incorporation.paragraph).joinedload(Paragraph.chapter).joinedload(Chapter.version))
            .where(or_(*conditions), MasterplanVersion.published_at.is_not(None))
            .order_by(MasterplanVersion.number.desc(), Chapter.position, Paragraph.position)
        )
    )


def on_publish(version: MasterplanVersion) -> None:
    """A version goes public: the pages of its input show where it went, and the authors hear of it."""
    rows = list(db.session.scalars(select(Incorporation).where(Incorporation.paragraph_id.in_(_in_version(version)))))
    proposal_ids = sorted({row.proposal_id for row in rows if row.proposal_id})
    if proposal_ids:
        db.session.execute(
            update(Proposal)
            .where(Proposal.id.in_(proposal_ids))
            .values(revision=Proposal.revision + 1)
            .execution_options(synchronize_session=False)
        )
    by_author: dict = {}
    for row in rows:
        contribution = row.contribution
        if contribution is not None and contribution.author is not None:
            by_author.setdefault(contribution.author.id, (contribution.author, []))[1].append(row)
    for author, taken in by_author.values():
        notify(
            [author],
            "incorporation",
            N_("Your input is in the masterplan"),
            "incorporated",
            version=version,
            taken=taken,
        )


def reach(proposals_counted=True, comments_counted=True) -> dict[str, int]:
    """How much accepted input reached a published version of the plan: accepted (fully or
    partly) proposals and draft comments, and how many of them were taken into one. The
    conditions narrow which proposals and comments count (the report's rounds)."""
    published = into_versions(select(Incorporation.id)).where(MasterplanVersion.published_at.is_not(None))
    figures = {}
    for name, model, status, column, public in (
        ("proposals", Proposal, Proposal.status, Incorporation.proposal_id, proposals_counted),  # taken: public
        (
            "comments",
            Comment,
            Comment.answer_status,
            Incorporation.comment_id,
            (Comment.status == PUBLISHED_COMMENT) & comments_counted,
        ),
    ):
        accepted = select(model.id).where(status.in_(TAKEN), public)
        figures[f"{name}_accepted"] = db.session.scalar(select(func.count()).select_from(accepted.subquery()))
        taken = published.with_only_columns(column).where(column.in_(accepted)).distinct()
        figures[f"{name}_taken"] = db.session.scalar(select(func.count()).select_from(taken.subquery()))
    return figures
