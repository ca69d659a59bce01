"""Planners answer proposals: a queue of those still open, and the answer form."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from participation.core.access import permission_required
from participation.core.pagination import paginate
from participation.core.permissions import can_plan
from participation.drafts import services as drafts
from participation.drafts.models import TOPICS
from participation.evaluation.forms import AnswerForm
from participation.extensions import db
from participation.proposals import services
from participation.proposals.models import PUBLISHED, UNDER_REVIEW, Proposal

bp = Blueprint("evaluation", __name__, url_prefix="/planning/proposals")

QUEUE_PER_PAGE = 25
OPEN = (PUBLISHED, UNDER_REVIEW)


@bp.before_request
@permission_required(can_plan)
def _planners_only():
    """Every page here is for planners (and admins)."""


@bp.route("/")
def queue():
    """Published proposals without a decision, most supported first; by topic and chapter."""
    chapters = drafts.current_chapters()
    topic = request.args.get("topic", "")
    topic = topic if topic in TOPICS else ""
    chapter = request.args.get("chapter", type=int)
    chapter = chapter if chapter in {c.id for c in chapters} else None
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


@bp.route("/<int:proposal_id>", methods=["GET", "POST"])
def answer(proposal_id: int):
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or not proposal.is_public:
        abort(404)
    form = AnswerForm(
        data={"status": proposal.status if proposal.status != PUBLISHED else "", "answer": proposal.answer}
    )
    if form.validate_on_submit():
        services.answer(current_user, proposal, form.status.data, form.answer.data or "")
        db.session.commit()
        flash(_("The answer to “%(title)s” is published.", title=proposal.title), "success")
        return redirect(url_for("evaluation.queue"), code=303)
    return render_template("evaluation/answer.html", form=form, proposal=proposal), 422 if form.errors else 200
