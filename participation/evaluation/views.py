"""Planners answer proposals and comments on the draft: queues of those still open, and the
answer forms."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_number, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from participation.comments.models import KINDS, Comment
from participation.comments.models import PUBLISHED as PUBLISHED_COMMENT
from participation.core.access import permission_required
from participation.core.pagination import page_number, paginate
from participation.core.permissions import can_plan
from participation.drafts import services as drafts
from participation.drafts.models import TOPICS
from participation.evaluation import services as evaluation
from participation.evaluation.forms import AnswerForm
from participation.extensions import db
from participation.moderation import queues
from participation.proposals.models import MERGED, PUBLISHED, UNDER_REVIEW, Proposal

bp = Blueprint("evaluation", __name__, url_prefix="/planning")

QUEUE_PER_PAGE = 25
COUNT_CAP = 10_000  # beyond this, a queue says "more than 10,000"
OPEN = (PUBLISHED, UNDER_REVIEW)


@bp.before_request
@permission_required(can_plan)
def _planners_only():
    """Every page here is for planners (and admins)."""


def _topic_and_chapter(chapters) -> tuple[str, int | None]:
    """The queue's filters, each checked against what it may be."""
    topic = request.args.get("topic", "")
    chapter = request.args.get("chapter", type=int)
    return (topic if topic in TOPICS else ""), (chapter if chapter in {c.id for c in chapters} else None)


@bp.route("/proposals/")
def queue():
    """Published proposals without a decision, most supported first; by topic and chapter."""
    chapters = drafts.current_chapters()
    topic, chapter = _topic_and_chapter(chapters)
    statement = select(Proposal).where(Proposal.status.in_(OPEN))
    if topic:
        statement = statement.where(Proposal.topic == topic)
    if chapter:
        statement = statement.where(Proposal.chapter_id == chapter)
    page = paginate(statement.order_by(Proposal.support_count.desc(), Proposal.id), per_page=QUEUE_PER_PAGE)
    filters = {name: value for name, value in (("topic", topic), ("chapter", chapter)) if value}
    return render_template(
        "evaluation/queue.html",
        page=page,
        topics=TOPICS,
        chapters=chapters,
        topic=topic,
        chapter=chapter,
        filters=filters,
    )


@bp.route("/proposals/<int:proposal_id>", methods=["GET", "POST"])
def answer(proposal_id: int):
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or not proposal.is_public or proposal.status == MERGED:  # a duplicate's answer is its merge
        abort(404)
    form = AnswerForm(
        data={"status": proposal.status if proposal.status != PUBLISHED else "", "answer": proposal.answer}
    )
    if form.validate_on_submit():
        evaluation.answer_proposal(current_user, proposal, form.status.data, form.answer.data or "")
        flash(_("The answer to “%(title)s” is published.", title=proposal.title), "success")
        return redirect(url_for("evaluation.queue"), code=303)
    return render_template("evaluation/answer.html", form=form, proposal=proposal), 422 if form.errors else 200


@bp.route("/comments/")
def comment_queue():
    """Comments on the current draft without a decision, oldest first; by topic, chapter and
    kind, each with the votes on its paragraph."""
    chapters = drafts.current_chapters()
    topic, chapter = _topic_and_chapter(chapters)
    kind = request.args.get("kind", "")
    kind = kind if kind in KINDS else ""
    shown = [c.id for c in chapters if (not chapter or c.id == chapter) and (not topic or c.topic == topic)]

    def context() -> dict:
        statement = select(Comment).where(
            Comment.chapter_id.in_(shown),
            Comment.status == PUBLISHED_COMMENT,
            or_(Comment.answer_status.is_(None), Comment.answer_status == UNDER_REVIEW),
        )
        if kind:
            statement = statement.where(Comment.kind == kind)
        # at Cologne's scale hundreds of thousands wait: counted up to a cap, read oldest first in
        # the order of the primary key (no sort over all of them)
        capped = statement.with_only_columns(Comment.id).limit(COUNT_CAP + 1).subquery()
        total = db.session.scalar(select(func.count()).select_from(capped))
        ordered = statement.options(joinedload(Comment.paragraph), joinedload(Comment.chapter)).order_by(Comment.id)
        return {
            "page": paginate(ordered, per_page=QUEUE_PER_PAGE, total=total),
            "topics": TOPICS,
            "chapters": chapters,
            "kinds": KINDS,
            "topic": topic,
            "chapter": chapter,
            "kind": kind,
            "filters": filters,
            "more_than": total > COUNT_CAP,
            "cap": format_number(COUNT_CAP),
        }

    filters = {name: value for name, value in (("topic", topic), ("chapter", chapter), ("kind", kind)) if value}
    # shared by the planners for a few seconds; an answer (a logged decision) shows at once
    key = (tuple(sorted(filters.items())), page_number(), str(get_locale()), tuple(shown))
    body = queues.shared("evaluation/_comment_queue_body.html", key, context)
    return render_template("shared_page.html", title=_("Comments on the draft to answer"), body=body)


@bp.route("/comments/<int:comment_id>", methods=["GET", "POST"])
def answer_comment(comment_id: int):
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.chapter_id is None or comment.status != PUBLISHED_COMMENT:
        abort(404)
    form = AnswerForm(data={"status": comment.answer_status or "", "answer": comment.answer})
    if form.validate_on_submit():
        evaluation.answer_comment(current_user, comment, form.status.data, form.answer.data or "")
        flash(_("The answer to the comment is published."), "success")
        return redirect(url_for("evaluation.comment_queue"), code=303)
    return render_template("evaluation/answer_comment.html", form=form, comment=comment), 422 if form.errors else 200
