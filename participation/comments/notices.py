"""Mail when a comment becomes public: to the author of the comment it answers (kind "replies")
and to those who follow what it is about (kind "followed_comments"): its chapter (with its
paragraphs), proposal or measure, or the organisation it speaks for.

Called where a comment is first published: written without pre-moderation
(participation.comments.posting), or approved by a moderator (participation.moderation.services);
never for a comment that waits for review or was hidden. The followers of proposals and measures
are lent by those areas, which sit above ("comments.followers", participation.lend_parts). The
mail names who wrote and where, with a link; it does not copy the text, which moderation may
still hide."""

from __future__ import annotations

from sqlalchemy import select

from participation.accounts.models import User
from participation.comments.models import PUBLISHED, Comment
from participation.core import composition
from participation.core.i18n import N_
from participation.drafts import following as chapter_following
from participation.extensions import db
from participation.mail.notifications import notify
from participation.organisations import following as organisation_following


def _follower_ids(comment: Comment) -> set[int]:
    ids: set[int] = set()
    if comment.chapter_id is not None:
        ids |= chapter_following.follower_ids(comment.chapter)
    if comment.organisation_id is not None:
        ids |= organisation_following.follower_ids(comment.organisation_id)
    for part in composition.parts("comments.followers"):
        ids |= set(part(comment))
    return ids


def not_public(comment_ids) -> set[int]:
    """Lent to the mail ("mail.comments_not_public"): which of these comments a digest must leave
    out, being hidden, deleted or gone since the notification was written."""
    public = set(db.session.scalars(select(Comment.id).where(Comment.id.in_(comment_ids), Comment.status == PUBLISHED)))
    return set(comment_ids) - public


def tell_about(comment: Comment) -> None:
    """Queue the mails about a comment that has just become public (services never commit: the
    mails go with the transaction that publishes it)."""
    if comment.status != PUBLISHED:
        return
    told = {comment.author_id}
    parent = comment.parent
    if parent is not None and parent.status == PUBLISHED and parent.author_id not in told:
        notify([parent.author], "replies", N_("A reply to your comment"), "comment_reply", comment=comment)
        # told once: and who stopped replies does not get them as a follower either
        told.add(parent.author_id)
    followers = _follower_ids(comment) - told
    if followers:
        people = db.session.scalars(select(User).where(User.id.in_(sorted(followers)))).all()
        subject = N_("A new comment on something you follow")
        notify(people, "followed_comments", subject, "comment_followed", comment=comment)
