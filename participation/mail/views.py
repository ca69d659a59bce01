"""The one-click link in notifications. Opening it (GET) only shows a page with a button: mail
scanners and link previews open links by themselves and must not stop anyone's mail. The button,
and a mail program's own "unsubscribe" (RFC 8058), POST "List-Unsubscribe=One-Click" to the same
link, which stops that kind of mail without logging in and without a CSRF token: the signed link
itself is the proof. The page then offers to undo it."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from participation.accounts.models import User
from participation.core.forms import EmptyForm
from participation.extensions import csrf
from participation.mail import notifications
from participation.mail.delivery import ONE_CLICK_FIELD, ONE_CLICK_VALUE

bp = Blueprint("mail", __name__, url_prefix="/mail")

# the body a one-click POST carries (RFC 8058, section 3.1)


def _from_token(token: str) -> tuple[User, str]:
    found = notifications.read_opt_out_token(token)
    if found is None:
        abort(404)
    return found


@bp.route("/stop/<token>", methods=["GET", "POST"])
@csrf.exempt  # a mail program posts without a session (RFC 8058); announcements have the other one
def stop(token: str):
    user, kind = _from_token(token)
    if request.method == "POST":
        if request.form.get(ONE_CLICK_FIELD) != ONE_CLICK_VALUE:
            abort(400)
        notifications.stop(user.id, kind)
        stopped = True
    else:
        stopped = set(kind.split("+")) <= notifications.stopped_kinds(user)
    return render_template(
        "mail/stopped.html",
        label=notifications.label(kind),
        token=token,
        stopped=stopped,
        form=EmptyForm(),
        one_click=(ONE_CLICK_FIELD, ONE_CLICK_VALUE),
    )


@bp.route("/resume/<token>", methods=["POST"])
def resume(token: str):
    user, kind = _from_token(token)
    if EmptyForm().validate_on_submit():
        notifications.resume(user.id, kind)
        flash(_("You will get these mails again: %(kind)s.", kind=notifications.label(kind)), "success")
    return redirect(url_for("main.home"), code=303)
