"""The one-click link in notifications: opening it stops that kind of mail, without logging in.
The page it opens offers to undo that, in case a mail program opened the link by itself."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from participation.accounts.models import User
from participation.core.forms import EmptyForm
from participation.mail import notifications

bp = Blueprint("mail", __name__, url_prefix="/mail")


def _from_token(token: str) -> tuple[User, str]:
    found = notifications.read_opt_out_token(token)
    if found is None:
        abort(404)
    return found


@bp.route("/stop/<token>")
def stop(token: str):
    user, kind = _from_token(token)
    notifications.stop(user.id, kind)
    return render_template("mail/stopped.html", label=notifications.KINDS[kind], token=token, form=EmptyForm())


@bp.route("/resume/<token>", methods=["POST"])
def resume(token: str):
    user, kind = _from_token(token)
    if EmptyForm().validate_on_submit():
        notifications.resume(user.id, kind)
        flash(_("You will get these mails again: %(kind)s.", kind=notifications.KINDS[kind]), "success")
    return redirect(url_for("main.home"), code=303)
