"""Writing and reading comment threads. Services flush; the request commits once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from participation.accounts.models import User
from participation.comments.models import DELETED, EDIT_MINUTES, HIDDEN, MAX_DEPTH, PENDING, PUBLISHED, Comment
from participation.core.hiding import taken_back
from participation.core.models import utcnow
from participation.drafts.models import Chapter, Paragraph
from participation.extensions import db

THREADS_PER_PAGE = 20


def _counter_target(comment: Comment):
    """The column that counts published comments for the comment's target (None for a measure,
    which keeps no count). Proposals lie a layer above comments: their class comes from the
    relationship, which names it by string."""
    if comment.measure_id is not None:
        return None
    if comment.proposal_id is not None:
        proposal = Comment.proposal.property.mapper.class_
        return proposal, comment.proposal_id, proposal.comment_count
    if comment.paragraph_id is not None:
        return Paragraph, comment.paragraph_id, Paragraph.comment_count
    return Chapter, comment.chapter_id, Chapter.comment_count


def count_published(comment: Comment, delta: int) -> None:
    """Published comments are counted on what they are about; others are not."""
    target = _counter_target(comment)
    if target is None:
        return
    model, ident, column = target
    db.session.execute(update(model).where(model.id == ident).values({column: column + delta}))


def add_comment(
    author,
    body: str,
    kind: str | None,
    chapter: Chapter | None = None,
    paragraph: Paragraph | None = None,
    parent: Comment | None = None,
    proposal=None,
    organisation_id: int | None = None,
    held_because: list[str] | tuple[str, ...] = (),
    measure=None,
    source=None,
) -> Comment:
    """A comment on a chapter, a paragraph, a proposal or a measure, or a reply in a thread on
    one of them. With `held_because` (pre-moderation) it waits for a moderator and counts
    nowhere until then. With `source` (an offline source) staff record it on the source's
    behalf: it has no author and speaks for the source's group."""
    if parent is not None:
        if parent.depth >= MAX_DEPTH:
            raise ValueError("thread too deep")
        chapter_id, paragraph_id, proposal_id = parent.chapter_id, parent.paragraph_id, parent.proposal_id
        measure_id = parent.measure_id
    else:
        chapter_id = chapter.id if chapter else None
        paragraph_id = paragraph.id if paragraph else None
        proposal_id = proposal.id if proposal else None
        measure_id = measure.id if measure else None
    comment = Comment(
        author_id=None if source else author.id,
        author_group=source.stakeholder_group if source else author.stakeholder_group,
        offline_source_id=source.id if source else None,
        organisation_id=organisation_id,
        chapter_id=chapter_id,
        paragraph_id=paragraph_id,
        proposal_id=proposal_id,
        measure_id=measure_id,
        parent_id=parent.id if parent else None,
        root_id=(parent.root_id or parent.id) if parent else None,
        depth=parent.depth + 1 if parent else 0,
        kind=kind or None,
        body=body,
        status=PENDING if held_because else PUBLISHED,
        held_because=",".join(held_because),
        published_at=None if held_because else utcnow(),
    )
    db.session.add(comment)
    db.session.flush()
    if comment.status == PUBLISHED:
        count_published(comment, +1)
    return comment


def edit_window_open(comment: Comment) -> bool:
    return comment.status == PUBLISHED and utcnow() - comment.created_at < timedelta(minutes=EDIT_MINUTES)


def edit_comment(comment: Comment, body: str, kind: str | None, held_because: list[str] | tuple[str, ...] = ()) -> None:
    """The author fixes the comment; while pre-moderation applies to them (`held_because`), a new
    text waits for review again."""
    if held_because and body != comment.body and comment.status == PUBLISHED:
        comment.status, comment.held_because = PENDING, ",".join(held_because)
        count_published(comment, -1)
    comment.body = body
    comment.kind = kind or None
    comment.edited_at = utcnow()


def delete_comment(comment: Comment) -> None:
    """The author takes the text back; a placeholder keeps the replies in their thread."""
    was_published = comment.status == PUBLISHED
    taken_back.send(comment)  # nothing left to decide on: its flags are dismissed
    comment.status = DELETED
    comment.body = ""
    comment.kind = None
    comment.deleted_at = utcnow()
    if was_published:  # after the change, so the flush locks the chapter before the paragraph
        count_published(comment, -1)


def _names_only():
    return joinedload(Comment.author).lazyload(User.role_rows)


def _visible_or_placeholder():
    # published comments, and deleted or hidden ones as placeholders (they may carry replies)
    return Comment.status.in_((PUBLISHED, DELETED, HIDDEN))


def top_level(chapter: Chapter | None, paragraph: Paragraph | None = None, proposal=None, measure=None):
    """The first comments of the threads on a measure, a proposal, a paragraph or (only) a
    chapter, oldest first."""
    statement = select(Comment).options(_names_only()).where(Comment.depth == 0, _visible_or_placeholder())
    if measure is not None:
        statement = statement.where(Comment.measure_id == measure.id)
    elif proposal is not None:
        statement = statement.where(Comment.proposal_id == proposal.id)
    elif paragraph is not None:
        statement = statement.where(Comment.paragraph_id == paragraph.id)
    else:
        statement = statement.where(Comment.chapter_id == chapter.id, Comment.paragraph_id.is_(None))
    return statement.order_by(Comment.created_at, Comment.id)


def replies_for(roots: list[Comment]) -> dict[int | None, list[Comment]]:
    """All replies in the threads of `roots`, in one query, grouped by parent id."""
    children: dict[int | None, list[Comment]] = {}
    if not roots:
        return children
    rows = db.session.scalars(
        select(Comment)
        .options(_names_only())
        .where(Comment.root_id.in_([root.id for root in roots]), _visible_or_placeholder())
        .order_by(Comment.created_at, Comment.id)
    )
    for reply in rows:
        children.setdefault(reply.parent_id, []).append(reply)
    return children


def latest_per_paragraph(paragraph_ids, per_paragraph: int = 2) -> dict[int, list[Comment]]:
    """The newest top-level comments of each paragraph, in one query (a window function)."""
    if not paragraph_ids:
        return {}
    ranked = (
        select(
            Comment.id,
            func.row_number()
            .over(partition_by=Comment.paragraph_id, order_by=(Comment.created_at.desc(), Comment.id.desc()))
            .label("rank"),
        )
        .where(Comment.paragraph_id.in_(paragraph_ids), Comment.depth == 0, Comment.status == PUBLISHED)
        .subquery()
    )
    rows = db.session.scalars(
        select(Comment)
        .options(_names_only())
        .join(ranked, ranked.c.id == Comment.id)
        .where(ranked.c.rank <= per_paragraph)
        .order_by(Comment.created_at.desc(), Comment.id.desc())
    )
    latest: dict[int, list[Comment]] = {}
    for comment in rows:
        latest.setdefault(comment.paragraph_id, []).append(comment)
    return latest
