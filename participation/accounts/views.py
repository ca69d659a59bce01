"""The user's own account: profile and password."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from participation.accounts.forms import ChangePasswordForm, MailSettingsForm, ProfileForm
from participation.accounts.models import set_display_name
from participation.accounts.names import commit_unless_name_taken, refuse_taken_name
from participation.auth import services
from participation.auth.views import account_form_limit
from participation.comments.models import DELETED, Comment
from participation.core.access import refuse
from participation.core.forms import EmptyForm
from participation.core.pagination import paginate
from participation.extensions import db, limiter
from participation.incorporation import services as incorporation
from participation.mail import notifications
from participation.organisations.forms import JoinForm
from participation.organisations.models import REJECTED, Membership, Organisation
from participation.proposals.models import Proposal

bp = Blueprint("accounts", __name__, url_prefix="/account")

CONTRIBUTIONS_PER_PAGE = 50
_AUTO = object()  # the form reads the request, as FlaskForm does by default


def profile_form(formdata=_AUTO) -> ProfileForm:
    """The profile form; without the display name while the account is blocked, so that nobody
    can shed the name others know them by during a block."""
    form = ProfileForm(obj=current_user) if formdata is _AUTO else ProfileForm(obj=current_user, formdata=formdata)
    if current_user.is_blocked:
        del form.display_name
    return form


@bp.route("/", methods=["GET", "POST"])
@login_required
def profile():
    if current_user.is_blocked and request.method == "POST" and "display_name" in request.form:
        return refuse(_("While your account is blocked, you cannot change your display name."))
    form = profile_form()
    renaming = "display_name" in form  # not offered while blocked
    if form.validate_on_submit() and not (renaming and refuse_taken_name(form.display_name, current_user)):
        if renaming:
            set_display_name(current_user, form.display_name.data)
        current_user.stakeholder_group = form.stakeholder_group.data
        current_user.locale = form.locale.data
        if commit_unless_name_taken(form.display_name if renaming else None):
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("accounts.profile"))
    return render_profile(form=form, status=422 if form.errors else 200)


@bp.route("/mails", methods=["POST"])
@login_required
def mails():
    form = MailSettingsForm()
    if form.validate_on_submit():
        notifications.set_wanted(current_user, set(form.wanted.data or []))
        db.session.commit()
        flash(_("Your mail settings are saved."), "success")
        return redirect(url_for("accounts.profile") + "#mails", code=303)
    return render_profile(mail_form=form, status=422)


def render_profile(form=None, join_form=None, mail_form=None, status=200):
    """The profile page, with the forms as they were sent when one of them has errors."""
    organisations = list(db.session.scalars(select(Organisation).order_by(Organisation.name)))
    memberships = list(
        db.session.scalars(
            select(Membership).where(Membership.user_id == current_user.id).order_by(Membership.requested_at)
        )
    )
    if join_form is None:  # a form sent with errors keeps the choices it was checked against
        join_form = JoinForm(formdata=None)
        taken = {m.organisation_id for m in memberships if m.status != REJECTED}  # asking again after a refusal
        join_form.set_organisations([o for o in organisations if o.id not in taken])
    return render_template(
        "accounts/profile.html",
        form=form or profile_form(formdata=None),
        resend_form=EmptyForm(formdata=None),
        join_form=join_form,
        memberships=memberships,
        leave_form=EmptyForm(formdata=None),
        mail_form=mail_form or _mail_settings(),
    ), status


def _mail_settings() -> MailSettingsForm:
    stopped = notifications.stopped_kinds(current_user)
    return MailSettingsForm(formdata=None, wanted=[kind for kind in notifications.KINDS if kind not in stopped])


@bp.route("/password", methods=["GET", "POST"])
@login_required
@limiter.limit(account_form_limit, methods=["POST"])
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current_password.data):
            form.current_password.errors.append(_("This is not your current password."))
        else:
            services.change_password(current_user, form.password.data)
            db.session.commit()
            # the session salt changed: sign this session in again, every other one is out
            login_user(current_user._get_current_object())
            flash(_("Your password is changed. Other devices are logged out."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/password.html", form=form), 422 if form.errors else 200


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
    return render_template("accounts/contributions.html", proposals=proposals, comments=comments, taken=taken)
