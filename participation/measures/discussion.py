"""Taking part on a measure: following it (mail on its updates), and the comment threads on it,
open while a running phase opens comments on measures. Services flush; the request commits."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import delete, select

from participation.comments import services as comments
from participation.comments.forms import CommentForm
from participation.comments.rendering import own_comment_actions
from participation.core.cache import fragments
from participation.core.models import insert_ignoring_conflict, utcnow
from participation.core.pagination import paginate
from participation.extensions import db
from participation.measures.models import Measure, MeasureFollow
from participation.measures.permissions import can_view_measure
from participation.phases.models import is_action_open
from participation.phases.situation import refusal_text


def follow(user, measure: Measure) -> bool:
    """Once per person and measure, also under parallel requests (the unique constraint decides)."""
    return insert_ignoring_conflict(
        MeasureFollow, ("user_id", "measure_id"), {"user_id": user.id, "measure_id": measure.id, "created_at": utcnow()}
    )


def unfollow(user, measure: Measure) -> None:
    db.session.execute(
        delete(MeasureFollow)
        .where(MeasureFollow.user_id == user.id, MeasureFollow.measure_id == measure.id)
        .execution_options(synchronize_session=False)
    )


def follower_ids_of_comment(comment) -> set[int]:
    """Lent to the comments ("comments.followers"): who follows the measure a comment is on."""
    if comment.measure_id is None:
        return set()
    return set(db.session.scalars(select(MeasureFollow.user_id).where(MeasureFollow.measure_id == comment.measure_id)))


def follows(user, measure: Measure) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    found = select(MeasureFollow.id).where(MeasureFollow.user_id == user.id, MeasureFollow.measure_id == measure.id)
    return db.session.scalar(found) is not None


def comments_open(measure: Measure | None) -> bool:
    """Published measures are discussed while a running phase opens comments on measures."""
    return measure is not None and measure.is_public and is_action_open("measure_comments")


def closed_sentence() -> str:
    """Why a measure cannot be commented now, with what is open and when the next phase starts."""
    return refusal_text(_("Comments on measures are not open at the moment."))


def visible(measure: Measure | None) -> bool:
    """Whether the reader may see `measure` (and so the comments on it): lent to the comments."""
    return can_view_measure(current_user, measure)


def discussion_context(measure: Measure) -> dict:
    """The discussion part of a measure's page (lent as "measures.show"): following and the
    threads, rendered for this request (the CSRF token and one's own comments are the reader's)."""
    if not measure.is_public:  # drafts are not discussed (nor followed)
        return {"measure_discussion": Markup("")}
    is_open = comments_open(measure)
    threads = paginate(comments.top_level(None, measure=measure), per_page=comments.THREADS_PER_PAGE)
    html = fragments.render_now(
        "measures/_discussion_body.html",
        own_actions=own_comment_actions,
        measure=measure,
        threads=threads,
        replies=comments.replies_for(threads.items),
        comments_open=is_open,
        closed_sentence="" if is_open else closed_sentence(),
        following=follows(current_user, measure),
        form=CommentForm(formdata=None),
        next_path=request.path,
    )
    return {"measure_discussion": html}
