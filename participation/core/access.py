"""View decorators that apply the named permission predicates."""

from __future__ import annotations

from functools import wraps

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from participation.core.forms import EmptyForm
from participation.core.permissions import can_contribute
from participation.extensions import login_manager


def permission_required(predicate):
    """Anonymous visitors are sent to the login page; logged-in users without the permission get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not predicate(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def refuse(message: str):
    """A direct POST to an action that is closed, or not allowed to this account: 403 with why."""
    return render_template("errors/error.html", code=403, title=_("Not possible right now"), message=message), 403


def contributor_refusal():
    """Why the logged-in person may not take part at all (blocked, unconfirmed), or None."""
    if can_contribute(current_user):
        return None
    if current_user.is_blocked:
        return refuse(_("Your account is blocked, so you cannot take part."))
    return refuse(_("Please confirm your email address first; the link is in the mail we sent you."))


def follow_choice():
    """The choice of a follow button's POST ("follow" or "unfollow"), or the answer that refuses
    it: following sends mail, so it needs an account that may take part; stopping is always
    possible. Aborts with 400 without a valid form token or choice."""
    choice = request.form.get("choice", "")
    refusal = None if choice == "unfollow" else contributor_refusal()
    if refusal:
        return None, refusal
    if not EmptyForm().validate_on_submit() or choice not in ("follow", "unfollow"):
        abort(400)
    return choice, None
