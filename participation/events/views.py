"""Events: the public list, one event and its calendar file; planners create, change and delete them."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from participation.core.access import permission_required
from participation.core.forms import EmptyForm
from participation.core.models import utcnow
from participation.core.permissions import can_plan
from participation.events import ics, services
from participation.events.forms import EventForm
from participation.events.models import Event
from participation.extensions import db

bp = Blueprint("events", __name__)


def get_event_or_404(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None:
        abort(404)
    return event


@bp.route("/events")
def index():
    return render_template("events/index.html", upcoming=services.upcoming(), past=services.past())


@bp.route("/events/<int:event_id>")
def detail(event_id: int):
    event = get_event_or_404(event_id)
    return render_template("events/detail.html", event=event, over=event.last_moment <= utcnow())


@bp.route("/events/<int:event_id>.ics")
def calendar(event_id: int):
    event = get_event_or_404(event_id)
    url = url_for("events.detail", event_id=event.id, _external=True)
    body = ics.calendar(event, request.host.split(":")[0], url, str(get_locale()), utcnow())
    return Response(
        body.encode("utf-8"),
        content_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="event-{event.id}.ics"'},
    )


# --- planners --------------------------------------------------------------------------------


@bp.route("/planning/events")
@permission_required(can_plan)
def manage():
    return render_template(
        "events/manage.html", upcoming=services.upcoming(), past=services.past(), token_form=EmptyForm()
    )


def _event_form(event: Event | None):
    form = EventForm()
    if request.method == "GET" and event is not None:
        form.fill(event)
    if form.validate_on_submit():
        if event is None:
            event = services.create_event(current_user, form.values())
            flash(_("The event is created."), "success")
        else:
            services.change_event(current_user, event, form.values())
            flash(_("The event is saved."), "success")
        return redirect(url_for("events.detail", event_id=event.id), code=303)
    return render_template("events/form.html", form=form, event=event), 422 if form.errors else 200


@bp.route("/planning/events/new", methods=["GET", "POST"])
@permission_required(can_plan)
def new():
    return _event_form(None)


@bp.route("/planning/events/<int:event_id>", methods=["GET", "POST"])
@permission_required(can_plan)
def edit(event_id: int):
    return _event_form(get_event_or_404(event_id))


@bp.route("/planning/events/<int:event_id>/delete", methods=["POST"])
@permission_required(can_plan)
def delete(event_id: int):
    event = get_event_or_404(event_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.delete_event(current_user, event)
    flash(_("The event is deleted."), "success")
    return redirect(url_for("events.manage"), code=303)
