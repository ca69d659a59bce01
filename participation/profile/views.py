"""The person's own pages: profile, mail settings, password, organisations, contributions."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from participation.accounts import services as accounts
from participation.accounts.names import refuse_taken_name
from participation.auth import address, services, throttle
from participation.auth.limits import account_form_limit, current_user_key, mail_limit
from participation.comments.models import DELETED, Comment
from participation.core.access import contributor_refusal, refuse
from participation.core.forms import EmptyForm
from participation.core.pagination import paginate
from participation.extensions import db, limiter
from participation.incorporation import services as incorporation
from participation.mail import digest_sending, notifications
from participation.organisations import services as organisations
from participation.organisations.forms import JoinForm
from participation.organisations.loaders import get_organisation_or_404
from participation.organisations.models import VERIFIED, Membership, Organisation
from participation.profile.forms import ChangeEmailForm, ChangePasswordForm, MailSettingsForm
from participation.profile.pages import profile_form, render_profile
from participation.proposals.models import Proposal

bp = Blueprint("profile", __name__, url_prefix="/account")

CONTRIBUTIONS_PER_PAGE = 50


@bp.route("/", methods=["GET", "POST"])
@login_required
def profile():
    if current_user.is_blocked and request.method == "POST" and "display_name" in request.form:
        return refuse(_("While your account is blocked, you cannot change your display name."))
    form = profile_form()
    renaming = "display_name" in form  # not offered while blocked
    if form.validate_on_submit() and not (renaming and refuse_taken_name(form.display_name, current_user)):
        name_field = form.display_name if renaming else None
        if accounts.update_profile(current_user, form.stakeholder_group.data, form.locale.data, name_field):
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("profile.profile"))
    return render_profile(form=form, status=422 if form.errors else 200)


@bp.route("/mails", methods=["POST"])
@login_required
def mails():
    form = MailSettingsForm()
    if form.validate_on_submit():
        notifications.set_wanted(current_user, set(form.wanted.data or []))
        digest_sending.choose(current_user, form.frequency.data)
        flash(_("Your mail settings are saved."), "success")
        return redirect(url_for("profile.profile") + "#mails", code=303)
    return render_profile(mail_form=form, status=422)


@bp.route("/password", methods=["GET", "POST"])
@login_required
@limiter.limit(account_form_limit, methods=["POST"])
@limiter.limit(account_form_limit, methods=["POST"], key_func=current_user_key)
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        wait = throttle.refused_for(current_user)
        if wait:
            return throttle.refused_page(wait)
        if not throttle.password_matches(current_user, form.current_password.data):
            form.current_password.errors.append(_("This is not your current password."))
        else:
            services.change_password(current_user, form.password.data)
            # the session salt changed: sign this session in again, every other one is out
            login_user(current_user._get_current_object())
            flash(_("Your password is changed. Other devices are logged out."), "success")
            return redirect(url_for("profile.profile"))
    return render_template("profile/password.html", form=form), 422 if form.errors else 200


def _redirected(response) -> bool:
    return response.status_code == 303


@bp.route("/email", methods=["POST"])
@login_required
@limiter.limit(account_form_limit)
@limiter.limit(account_form_limit, key_func=current_user_key)
# the links a person can make us mail to any address: counted per account, only when asked for
@limiter.limit(mail_limit, key_func=current_user_key, deduct_when=_redirected)
def change_email():
    """Ask for a new address (participation.auth.address): the answer is the same whether the
    address is free or another account's, and the account keeps its address until the link is
    opened."""
    if current_user.is_blocked:  # as for the display name: nobody sheds what they are known by
        return refuse(_("While your account is blocked, you cannot change your email address."))
    form = ChangeEmailForm()
    if form.validate_on_submit():
        wait = throttle.refused_for(current_user)
        if wait:
            return throttle.refused_page(wait)
        new_email = form.new_email.data.lower()
        if new_email == current_user.email:
            form.new_email.errors.append(_("This is your current email address."))
        if not throttle.password_matches(current_user, form.current_password.data):
            form.current_password.errors.append(_("This is not your current password."))
        if not form.errors:
            if address.request_change(current_user, new_email):
                flash(
                    _(
                        "We have sent a link to %(email)s. Your address changes once you open it; until "
                        "then, please keep logging in with your current address.",
                        email=new_email,
                    ),
                    "success",
                )
            else:
                flash(
                    _(
                        "We sent the link to %(email)s only minutes ago; it is still valid. Please check "
                        "your inbox and spam folder there.",
                        email=new_email,
                    ),
                    "info",
                )
            return redirect(url_for("profile.profile") + "#email", code=303)
    return render_profile(email_form=form, status=422)


@bp.route("/email/cancel", methods=["POST"])
@login_required
def cancel_email_change():
    if not EmptyForm().validate_on_submit():
        abort(400)
    if address.cancel_change(current_user):
        flash(_("The change of your email address is cancelled; the link we sent no longer works."), "success")
    return redirect(url_for("profile.profile") + "#email", code=303)


@bp.route("/contributions")
@login_required
def contributions():
    """Everything the person wrote, whatever its status, with the answer it got and where in the
    plan it went; each links to the whole path."""

    proposals = list(
        db.session.scalars(
            select(Proposal)
            .where(Proposal.author_id == current_user.id)
            .order_by(Proposal.created_at.desc(), Proposal.id.desc())
        )
    )
    comments = paginate(
        select(Comment)
        .options(
            selectinload(Comment.proposal),
            selectinload(Comment.paragraph),
            selectinload(Comment.chapter),
            selectinload(Comment.measure),
        )
        .where(Comment.author_id == current_user.id, Comment.status != DELETED)
        .order_by(Comment.created_at.desc(), Comment.id.desc()),
        per_page=CONTRIBUTIONS_PER_PAGE,
    )
    taken: dict[str, list] = {}
    rows = incorporation.taken_into(
        proposal_ids=[proposal.id for proposal in proposals], comment_ids=[comment.id for comment in comments.items]
    )
    for row in rows:
        taken.setdefault(f"proposal:{row.proposal_id}" if row.proposal_id else f"comment:{row.comment_id}", []).append(
            row
        )
    return render_template("profile/contributions.html", proposals=proposals, comments=comments, taken=taken)


# --- the organisations one speaks for ---------------------------------------------------------


@bp.route("/organisations", methods=["POST"])
@login_required
@limiter.limit("10 per hour")
def join_organisation():
    refusal = contributor_refusal()
    if refusal:
        return refusal
    form = JoinForm()
    form.set_organisations(db.session.scalars(select(Organisation).order_by(Organisation.name)))
    if form.validate_on_submit():
        organisation = get_organisation_or_404(int(form.organisation.data))
        membership = organisations.request_membership_once(current_user, organisation, form.note.data)
        if membership is None:  # the same request sent twice at once: the first one counts
            return redirect(url_for("profile.profile") + "#organisations", code=303)
        if membership.status == VERIFIED:
            flash(_("You are a verified member of %(name)s already.", name=organisation.name), "info")
        else:
            flash(
                _("Your request to join %(name)s is sent. An admin will verify it.", name=organisation.name), "success"
            )
        return redirect(url_for("profile.profile") + "#organisations", code=303)
    return render_profile(join_form=form, status=422)


@bp.route("/organisations/<int:membership_id>/leave", methods=["POST"])
@login_required
def leave_organisation(membership_id: int):
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.user_id != current_user.id:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    name = membership.organisation.name
    organisations.leave(membership)
    flash(_("You no longer speak for %(name)s.", name=name), "success")
    return redirect(url_for("profile.profile") + "#organisations", code=303)
