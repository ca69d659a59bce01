"""Announcements: the public list, page and Atom feed; the opt-in and its confirmation; the one-click
stop link (RFC 8058); and the planners' pages to write, preview and send them."""

from __future__ import annotations

import re

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from participation.accounts.models import LOCALES
from participation.announcements import sending, services, subscriptions
from participation.announcements.forms import AnnouncementForm, SubscribeForm
from participation.announcements.models import Announcement
from participation.announcements.permissions import can_announce
from participation.auth.limits import current_user_key, mail_limit
from participation.core.access import contributor_refusal, permission_required
from participation.core.forms import EmptyForm
from participation.core.links import public_url
from participation.core.models import utcnow
from participation.core.pagination import paginate
from participation.extensions import csrf, db, limiter
from participation.mail.delivery import ONE_CLICK_FIELD, ONE_CLICK_VALUE

bp = Blueprint("announcements", __name__)

PER_PAGE, FEED_ENTRIES = 20, 50
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _published():
    return select(Announcement).where(Announcement.published_at.is_not(None))


def get_published_or_404(announcement_id: int) -> Announcement:
    found = db.session.scalar(_published().where(Announcement.id == announcement_id))
    if found is None:
        abort(404)
    return found


@bp.route("/announcements/")
def index():
    page = paginate(_published().order_by(Announcement.published_at.desc(), Announcement.id.desc()), PER_PAGE)
    return render_template("announcements/index.html", page=page)


@bp.route("/announcements/<int:announcement_id>")
def show(announcement_id: int):
    return render_template("announcements/show.html", announcement=get_published_or_404(announcement_id))


@bp.route("/announcements/feed.xml")
def feed():
    entries = list(
        db.session.scalars(
            _published().order_by(Announcement.published_at.desc(), Announcement.id.desc()).limit(FEED_ENTRIES)
        )
    )
    body = render_template(
        "announcements/feed.xml",
        entries=entries,
        locale=str(get_locale()),
        now=utcnow(),
        feed_url=public_url("announcements.feed"),
        list_url=public_url("announcements.index"),
        entry_urls={entry.id: public_url("announcements.show", announcement_id=entry.id) for entry in entries},
    )
    response = make_response(_NOT_IN_XML.sub("", body))
    response.mimetype = "application/atom+xml"
    return response


# --- asking for them, confirming, stopping ---------------------------------------------------


@bp.route("/announcements/subscription", methods=["POST"])
@login_required
# the confirmation links a person can make us mail: counted per account
@limiter.limit(mail_limit, key_func=current_user_key)
def subscribe():
    if (refusal := contributor_refusal()) is not None:
        return refusal
    form = SubscribeForm()
    if form.validate_on_submit() and form.wanted.data:
        if subscriptions.request_subscription(current_user):
            flash(
                _("We have sent you a link. Announcements come by mail once you have opened it."),
                "success",
            )
        else:
            flash(_("You get announcements by mail already."), "info")
    else:
        flash(_("Please tick the box if you want announcements by mail."), "error")
    return redirect(url_for("profile.profile") + "#announcements", code=303)


@bp.route("/announcements/subscription/stop", methods=["POST"])
@login_required
def unsubscribe():
    if EmptyForm().validate_on_submit() and subscriptions.unsubscribe(current_user.id):
        flash(_("You no longer get announcements by mail."), "success")
    return redirect(url_for("profile.profile") + "#announcements", code=303)


@bp.route("/announcements/confirm/<token>")
def confirm(token: str):
    user = subscriptions.confirm(token)
    if user is None:
        return render_template("announcements/confirm_failed.html"), 404
    return render_template("announcements/confirmed.html")


@bp.route("/announcements/stop/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: the mail program posts without a token of ours; the signed link is the proof
def stop(token: str):
    """GET asks (a mail scanner that opens links stops nothing); POST stops, from the page's button
    or from the mail program's own "unsubscribe" (List-Unsubscribe-Post)."""
    subscription = subscriptions.subscription_for_stop_token(token)
    if request.method == "GET":
        if subscription is None:
            return render_template("announcements/stop.html", token=token, state="unknown"), 404
        return render_template(
            "announcements/stop.html", token=token, state="ask", one_click=(ONE_CLICK_FIELD, ONE_CLICK_VALUE)
        )
    if request.form.get(ONE_CLICK_FIELD) != ONE_CLICK_VALUE:  # neither the page's button nor RFC 8058
        abort(400)
    if subscription is None:  # forged, or stopped before
        return render_template("announcements/stop.html", token=token, state="unknown"), 404
    subscriptions.unsubscribe(subscription.user_id)
    return render_template("announcements/stop.html", token=token, state="stopped")


# --- the planners' pages ---------------------------------------------------------------------


def _planned_or_404(announcement_id: int) -> Announcement:
    found = db.session.get(Announcement, announcement_id)
    if found is None:
        abort(404)
    return found


def _conflict():
    message = _("A published announcement has been sent and does not change.")
    return render_template("errors/error.html", code=409, title=_("Already published"), message=message), 409


def _previews(announcement: Announcement | None) -> dict:
    if announcement is None:
        return {}
    return {locale: sending.mail_preview(announcement, locale) for locale in LOCALES}


@bp.route("/planning/announcements/")
@permission_required(can_announce)
def planning_index():
    announcements = list(db.session.scalars(select(Announcement).order_by(Announcement.id.desc())))
    return render_template(
        "announcements/planning_index.html",
        announcements=announcements,
        subscribers=sending.recipient_count(),
    )


@bp.route("/planning/announcements/new", methods=["GET", "POST"])
@permission_required(can_announce)
def new():
    form = AnnouncementForm()
    if form.validate_on_submit():
        announcement = services.create(current_user, {name: form[name].data for name in services.FIELDS})
        flash(_("The announcement is saved. Check the preview below before you send it."), "success")
        return redirect(url_for("announcements.edit", announcement_id=announcement.id, _anchor="preview"), code=303)
    return render_template("announcements/form.html", form=form, announcement=None), 422 if form.errors else 200


@bp.route("/planning/announcements/<int:announcement_id>", methods=["GET", "POST"])
@permission_required(can_announce)
def edit(announcement_id: int):
    announcement = _planned_or_404(announcement_id)
    form = AnnouncementForm(obj=announcement)
    if request.method == "POST":
        if announcement.is_published:
            return _conflict()
        if form.validate_on_submit():
            services.change(current_user, announcement, {name: form[name].data for name in services.FIELDS})
            flash(_("The announcement is saved. Check the preview below before you send it."), "success")
            return redirect(url_for("announcements.edit", announcement_id=announcement.id, _anchor="preview"), code=303)
    return render_template(
        "announcements/form.html", form=form, announcement=announcement, previews=_previews(announcement)
    ), 422 if form.errors else 200


@bp.route("/planning/announcements/<int:announcement_id>/publish", methods=["GET", "POST"])
@permission_required(can_announce)
def publish(announcement_id: int):
    announcement = _planned_or_404(announcement_id)
    if announcement.is_published:
        return _conflict()
    form = EmptyForm()
    if request.method == "POST" and form.validate_on_submit():
        queued, finished = services.publish(current_user, announcement)
        if finished:
            flash(_("The announcement is published; %(count)d mails are queued.", count=queued), "success")
        else:
            flash(
                _(
                    "The announcement is published; %(count)d mails are queued, the others follow in batches.",
                    count=queued,
                ),
                "success",
            )
        return redirect(url_for("announcements.show", announcement_id=announcement.id), code=303)
    return render_template(
        "announcements/publish.html",
        announcement=announcement,
        form=form,
        previews=_previews(announcement),
        subscribers=sending.recipient_count(),
    )
