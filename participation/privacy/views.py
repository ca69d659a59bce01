"""The person's data download (/account/data) and the admin's on a written request."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user
from werkzeug.wsgi import FileWrapper

from participation.accounts.models import User
from participation.auth import throttle
from participation.auth.limits import account_form_limit, current_user_key
from participation.core.access import permission_required, refuse
from participation.core.forms import EmptyForm
from participation.extensions import db, limiter
from participation.privacy import deletion, services
from participation.privacy.archive import CHUNK
from participation.privacy.contents import GROUPS, LEFT_OUT
from participation.privacy.forms import DeleteAccountForm, DeleteOnRequestForm, WrittenRequestForm
from participation.privacy.permissions import can_prepare_data_of_others

bp = Blueprint("privacy", __name__)


def personal_data_limit() -> str:
    return current_app.config["RATELIMIT_PERSONAL_DATA"]


def _send(prepared: services.Prepared) -> Response:
    """The prepared ZIP, read from its temporary file in chunks and closed when sent (or when the
    client goes away). Never kept by a cache or a proxy."""
    response = Response(FileWrapper(prepared.file, CHUNK), mimetype="application/zip", direct_passthrough=True)
    response.headers["Content-Length"] = str(prepared.size)
    response.headers["Content-Disposition"] = f'attachment; filename="{prepared.name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/account/data", methods=["GET", "POST"])
@login_required
@limiter.limit(personal_data_limit, methods=["POST"], key_func=current_user_key)
def my_data():
    """What the download holds, and the button that prepares it ("prepared on request": at once,
    it takes well under a second for a very active person)."""
    form = EmptyForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        return _send(services.prepare_own(current_user._get_current_object()))
    return render_template("privacy/my_data.html", form=form, groups=GROUPS, left_out=LEFT_OUT)


@bp.route("/admin/users/<int:user_id>/data", methods=["GET", "POST"])
@permission_required(can_prepare_data_of_others)
@limiter.limit(personal_data_limit, methods=["POST"], key_func=current_user_key)
def on_request(user_id: int):
    person = db.session.get(User, user_id)
    if person is None:
        abort(404)
    form = WrittenRequestForm()
    if form.validate_on_submit():
        return _send(services.prepare_on_request(current_user._get_current_object(), person, form.reason.data))
    return render_template(
        "privacy/on_request.html", form=form, person=person, groups=GROUPS
    ), 422 if form.errors else 200


def _last_administrator():
    return refuse(
        _(
            "This is the only administrator account. Please give another account the administrator role "
            "first, so that somebody can still run the platform."
        )
    )


def _refuse_blocked():
    return refuse(
        _(
            "While your account is blocked, it cannot be deleted here: a new account with the same address "
            "would shed the block. Please write to us (see the imprint); we delete it on your request."
        )
    )


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
@limiter.limit(account_form_limit, methods=["POST"])
@limiter.limit(account_form_limit, methods=["POST"], key_func=current_user_key)
def delete_account():
    """The person deletes their account, confirmed with the password; what becomes of their
    contributions is theirs to choose (participation.privacy.deletion). Guessing the password
    here counts as at the login, under the account's address."""
    form = DeleteAccountForm()
    person = current_user._get_current_object()
    if person.is_blocked:
        return _refuse_blocked()
    if form.validate_on_submit():
        wait = throttle.refused_for(person)
        if wait:
            return throttle.refused_page(wait)
        if not throttle.password_matches(person, form.current_password.data):
            form.current_password.errors.append(_("This is not your current password."))
        else:
            try:
                deletion.delete_account(person, remove_texts=form.texts.data == "remove")
            except deletion.LastAdministrator:
                return _last_administrator()
            except deletion.AccountGone:  # deleted a moment ago, by another request
                pass
            logout_user()
            flash(_("Your account has been deleted. Thank you for taking part."), "success")
            return redirect(url_for("main.home"), code=303)
    return render_template("privacy/delete.html", form=form), 422 if form.errors else 200


@bp.route("/admin/users/<int:user_id>/delete", methods=["GET", "POST"])
@permission_required(can_prepare_data_of_others)
def delete_on_request(user_id: int):
    """An admin deletes an account on the person's written request, with the reason; their own
    on their own account page."""
    person = db.session.get(User, user_id)
    if person is None:
        abort(404)
    form = DeleteOnRequestForm()
    own = person.id == current_user.id
    if own and request.method == "POST":
        return refuse(_("This is your own account. Please delete it on your account page, with your password."))
    if form.validate_on_submit():
        try:
            deletion.delete_account(
                person,
                actor=current_user._get_current_object(),
                remove_texts=form.texts.data == "remove",
                reason=form.reason.data,
            )
        except deletion.LastAdministrator:
            return _last_administrator()
        except deletion.AccountGone:
            flash(_("The account had been deleted already."), "info")
            return redirect(url_for("admin.users"), code=303)
        flash(_("The account has been deleted."), "success")
        return redirect(url_for("admin.users"), code=303)
    page = render_template("privacy/delete_on_request.html", form=form, person=person, own=own)
    return page, 422 if form.errors else 200
