"""Proposals: the list with search and filters, writing one (similar ones first), its page,
supporting, discussing, changing and withdrawing it, and the Atom feed."""

from __future__ import annotations

import re

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from participation.accounts.models import STAKEHOLDER_GROUPS, User
from participation.comments import services as comments
from participation.comments.forms import CommentForm
from participation.comments.posting import comment_limit, post_from_request
from participation.comments.rendering import own_comment_actions
from participation.core import composition
from participation.core.access import contributor_refusal, refuse
from participation.core.cache import fragments
from participation.core.forms import EmptyForm
from participation.core.links import public_url
from participation.core.models import utcnow
from participation.core.pagination import page_number, paginate
from participation.core.premoderation import premoderation_reasons
from participation.drafts import services as drafts
from participation.drafts.models import TOPICS
from participation.extensions import db, limiter
from participation.organisations import services as organisations
from participation.phases.situation import refusal_text
from participation.proposals import services
from participation.proposals.forms import ProposalForm
from participation.proposals.listing import FACETS, PER_PAGE, SORTS, Listing
from participation.proposals.loading import get_proposal_or_404
from participation.proposals.models import DISTRICTS, PENDING, PUBLIC_STATUSES, STATUSES, Proposal
from participation.proposals.permissions import (
    author_may_edit_proposal,
    can_edit_proposal,
    can_support,
    can_view_proposal_revisions,
)

bp = Blueprint("proposals", __name__, url_prefix="/proposals")

FEED_ENTRIES = 50
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@bp.route("/")
def index():
    """Shared by everyone with the same rights for LIST_CACHE_SECONDS: the counts over the whole
    list are the costly part, and a list some seconds old is still the list."""
    chapters = drafts.current_chapters()
    listing = Listing.from_args(request.args, {chapter.id for chapter in chapters})
    submissions_open = services.submissions_open()

    def context() -> dict:
        counts = {facet: listing.counts(facet) for facet in FACETS}
        options = {
            "topic": list(TOPICS.items()),
            "chapter": [(chapter.id, f"{chapter.position}. {chapter.title}") for chapter in chapters],
            "district": list(DISTRICTS.items()),
            "status": [(status, STATUSES[status]) for status in PUBLIC_STATUSES],
            "group": list(STAKEHOLDER_GROUPS.items()),
        }
        return {
            "listing": listing,
            "page": paginate(listing.ordered(), per_page=PER_PAGE, total=listing.total(counts["status"])),
            "counts": counts,
            "options": options,
            "topic_label": TOPICS.get(listing.topic, ""),
            "sorts": SORTS,
            "submissions_open": submissions_open,
        }

    key = (tuple(sorted(listing.args().items())), request.args.get("page", ""), str(get_locale()), submissions_open)
    fragment = fragments.shared("proposals/_index_body.html", key, context)
    body = fragments.fill(fragment, mine=services.supported_by(current_user, list(fragment.slots.marks)))
    return render_template("proposals/index.html", body=body, listing=listing, page_number=page_number())


# --- writing ---------------------------------------------------------------------------------


def submission_limit() -> str:
    return "30 per hour"


def _submission_refusal():
    refusal = contributor_refusal()
    if refusal:
        return refusal
    if not services.submissions_open():
        return refuse(refusal_text(_("New proposals cannot be submitted at the moment.")))
    return None


@bp.route("/new", methods=["GET", "POST"])
@login_required
@limiter.limit(submission_limit, methods=["POST"])
def new():
    refusal = _submission_refusal()
    if refusal:
        return refusal
    form = ProposalForm()
    form.set_chapters(drafts.current_chapters())
    form.set_organisations(organisations.speaking_for(current_user), current_user.display_name)
    similar = None
    if form.validate_on_submit():
        if request.form.get("action") == "publish" and form.similar_seen:
            if services.daily_limit_reached(current_user):
                form.body.errors.append(
                    _(
                        "You have submitted %(num)d proposals in the last 24 hours; please wait a little.",
                        num=services.PER_DAY,
                    )
                )
            else:
                return _publish(form)
        else:
            # before saving: show the proposal as it will look and what is already there like it
            similar = services.similar_to(form.title.data, form.body.data)
            form.checked.data = form.digest
    status = 422 if form.errors else 200
    return render_template("proposals/new.html", form=form, similar=similar), status


def _publish(form: ProposalForm):
    proposal = services.submit(
        current_user,
        form.title.data,
        form.body.data,
        topic=form.topic.data,
        chapter_id=form.chapter_id,
        district=form.district.data,
        honeypot=form.website.data or "",
        organisation_id=form.organisation_id,
        held_because=premoderation_reasons(current_user),
    )
    if proposal.status == PENDING:
        flash(_("Thank you! Your proposal is waiting for review and will be published after it."), "success")
    else:
        flash(_("Thank you! Your proposal is published."), "success")
    return redirect(url_for("proposals.show", proposal_id=proposal.id), code=303)


def _own_proposal(proposal_id: int, not_author: str):
    """The proposal its author may still change, and why not (None if they may). An
    organisation's statement is changed only by someone who still speaks for it."""
    proposal = get_proposal_or_404(proposal_id)
    if not author_may_edit_proposal(current_user, proposal):
        return proposal, refuse(not_author)
    if not can_edit_proposal(current_user, proposal):  # the author no longer speaks for its organisation
        return proposal, refuse(
            _(
                "This proposal is a statement of %(name)s: only its verified members can change or withdraw it.",
                name=proposal.organisation.name,
            )
        )
    return proposal, None


@bp.route("/<int:proposal_id>/edit", methods=["GET", "POST"])
@login_required
@limiter.limit(submission_limit, methods=["POST"])
def edit(proposal_id: int):
    proposal, refusal = _own_proposal(
        proposal_id, _("Only the author can change a proposal, and only until it has an answer.")
    )
    if refusal:
        return refusal
    if not services.submissions_open():  # withdrawing stays possible: it is the author's right
        return refuse(refusal_text(_("Proposals can be changed only while proposals are collected.")))
    form = ProposalForm(
        data={
            "title": proposal.title,
            "body": proposal.body,
            "topic": proposal.topic or "",
            "chapter": str(proposal.chapter_id or ""),
            "district": proposal.district or "",
            "organisation": str(proposal.organisation_id or ""),
        }
    )
    form.set_organisations(organisations.speaking_for(current_user), current_user.display_name)
    chapters = drafts.current_chapters()
    if proposal.chapter is not None and proposal.chapter not in chapters:
        chapters.insert(0, proposal.chapter)  # a chapter of an earlier version stays choosable
    form.set_chapters(chapters)
    if form.validate_on_submit():
        services.edit(
            proposal,
            form.title.data,
            form.body.data,
            form.topic.data,
            form.chapter_id,
            form.district.data,
            held_because=premoderation_reasons(current_user),
        )
        proposal.organisation_id = form.organisation_id  # among the organisations the author speaks for
        flash(_("Your proposal is changed. The earlier wording is kept."), "success")
        return redirect(url_for("proposals.show", proposal_id=proposal.id), code=303)
    return render_template("proposals/edit.html", form=form, proposal=proposal), 422 if form.errors else 200


@bp.route("/<int:proposal_id>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw(proposal_id: int):
    """GET asks, POST withdraws."""
    proposal, refusal = _own_proposal(
        proposal_id, _("Only the author can withdraw a proposal, and only until it has an answer.")
    )
    if refusal:
        return refusal
    form = EmptyForm()
    if form.validate_on_submit():
        services.withdraw(proposal)
        flash(_("Your proposal is withdrawn. It is no longer shown in the list."), "success")
        return redirect(url_for("proposals.show", proposal_id=proposal.id), code=303)
    return render_template(
        "confirm_delete.html",
        form=form,
        title=_("Withdraw your proposal?"),
        consequence=_(
            "Your proposal leaves the public list and can no longer be supported or discussed. "
            "You can still read it under your contributions. This cannot be undone."
        ),
        excerpt=proposal.title,
        action=url_for("proposals.withdraw", proposal_id=proposal.id),
        cancel=url_for("proposals.show", proposal_id=proposal.id),
        confirm_label=_("Yes, withdraw my proposal"),
    )


@bp.route("/<int:proposal_id>/revisions")
def revisions(proposal_id: int):
    proposal = get_proposal_or_404(proposal_id)
    if not can_view_proposal_revisions(current_user, proposal):
        abort(404)
    return render_template("proposals/revisions.html", proposal=proposal)


# --- reading, supporting, discussing -------------------------------------------------------------


@bp.route("/<int:proposal_id>")
def show(proposal_id: int):
    """The text and the discussion are shared under the proposal's revision; supporting,
    following, reporting and changing are the reader's own and rendered per request."""
    proposal = get_proposal_or_404(proposal_id)
    comments_open = services.comments_open(proposal)

    def context() -> dict:
        threads = paginate(comments.top_level(None, proposal=proposal), per_page=comments.THREADS_PER_PAGE)
        return {
            "proposal": proposal,
            "threads": threads,
            "replies": comments.replies_for(threads.items),
            "comments_open": comments_open,
            "form": CommentForm(formdata=None),
            # where it went into the plan, lent by incorporation (which sits above proposals)
            **composition.gathered("proposals.show", proposal),
        }

    key = (proposal.id, proposal.revision, str(get_locale()), request.args.get("page", ""), comments_open)
    fragment = fragments.shared("proposals/_show_body.html", key, context)
    actions = fragments.render_now(
        "proposals/_show_actions.html",
        proposal=proposal,
        supports_open=services.supports_open(),
        submissions_open=services.submissions_open(),
        supported=proposal.id in services.supported_by(current_user, [proposal.id]),
        following=services.follows(current_user, proposal),
    )
    body = fragments.fill(fragment, own_actions=own_comment_actions, holes={0: actions})
    return render_template("shared_page.html", title=proposal.title, body=body)


@bp.route("/<int:proposal_id>/support", methods=["POST"])
@login_required
@limiter.limit("60 per minute")
def support(proposal_id: int):
    proposal = get_proposal_or_404(proposal_id)
    refusal = contributor_refusal()
    if refusal:
        return refusal
    if not services.supports_open():
        return refuse(refusal_text(_("Supporting proposals is not open at the moment.")))
    if _button_choice("support", "withdraw") == "support":
        if not can_support(current_user, proposal):
            if proposal.author_id == current_user.id:
                return refuse(_("You cannot support your own proposal."))
            return refuse(_("This proposal cannot be supported any more: it has an answer or was withdrawn."))
        services.support(current_user, proposal)
        message = _("You support this proposal.")
    else:
        services.withdraw_support(current_user, proposal)
        message = _("You no longer support this proposal.")
    return _back_to_proposal(proposal, message, "support")


def _button_choice(*allowed: str) -> str:
    """The button pressed on a form of buttons (its CSRF token checked); 400 for anything else."""
    choice = request.form.get("choice", "")
    if not EmptyForm().validate_on_submit() or choice not in allowed:
        abort(400)
    return choice


def _back_to_proposal(proposal: Proposal, message: str, anchor: str):
    flash(message, "success")
    return redirect(url_for("proposals.show", proposal_id=proposal.id) + f"#{anchor}", code=303)


@bp.route("/<int:proposal_id>/follow", methods=["POST"])
@login_required
@limiter.limit("60 per minute")
def follow(proposal_id: int):
    proposal = get_proposal_or_404(proposal_id)
    refusal = contributor_refusal()
    if refusal:  # following will send mail: confirmed addresses only
        return refusal
    if _button_choice("follow", "unfollow") == "follow":
        services.follow(current_user, proposal)
        message = _("You follow this proposal: you will hear when it gets an answer or changes.")
    else:
        services.unfollow(current_user, proposal)
        message = _("You no longer follow this proposal.")
    return _back_to_proposal(proposal, message, "follow")


@bp.route("/<int:proposal_id>/comments", methods=["POST"])
@login_required
@limiter.limit(comment_limit)
def comment(proposal_id: int):
    proposal = get_proposal_or_404(proposal_id)
    refusal = contributor_refusal()
    if refusal:
        return refusal
    if not services.comments_open(proposal):
        return refuse(refusal_text(_("This proposal cannot be discussed at the moment.")))
    return post_from_request(
        url_for("proposals.comment", proposal_id=proposal.id),
        lambda comment: url_for("proposals.show", proposal_id=proposal.id, page="last") + f"#{comment.anchor}",
        proposal=proposal,
    )


# --- feed ------------------------------------------------------------------------------------------


@bp.route("/feed.atom")
def feed():
    """The newest published proposals, overall or of one topic (?topic=...)."""
    topic = request.args.get("topic", "")
    if topic and topic not in TOPICS:
        abort(404)
    statement = select(Proposal).where(Proposal.status.in_(PUBLIC_STATUSES))
    if topic:
        statement = statement.where(Proposal.topic == topic)
    newest = statement.options(joinedload(Proposal.author).lazyload(User.role_rows))
    entries = list(
        db.session.scalars(newest.order_by(Proposal.published_at.desc(), Proposal.id.desc()).limit(FEED_ENTRIES))
    )
    topic_args = {"topic": topic} if topic else {}
    feed = render_template(
        "proposals/feed.xml",
        entries=entries,
        topic=topic,
        topic_label=TOPICS.get(topic, ""),
        now=utcnow(),
        feed_url=public_url("proposals.feed", **topic_args),
        list_url=public_url("proposals.index", **topic_args),
        entry_urls={entry.id: public_url("proposals.show", proposal_id=entry.id) for entry in entries},
    )
    # characters that XML 1.0 forbids would make the whole feed unreadable: they go
    response = make_response(_NOT_IN_XML.sub("", feed))
    response.mimetype = "application/atom+xml"
    return response
