"""The person's data download (/account/data) and the admin's on a written request."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_login import current_user, login_required
from werkzeug.wsgi import FileWrapper

from participation.accounts.models import User
from participation.auth.limits import current_user_key
from participation.core.access import permission_required
from participation.core.forms import EmptyForm
from participation.extensions import db, limiter
from participation.privacy import services
from participation.privacy.archive import CHUNK
from participation.privacy.contents import GROUPS, LEFT_OUT
from participation.privacy.forms import WrittenRequestForm
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
