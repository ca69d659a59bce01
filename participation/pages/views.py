"""Public display of the editable pages; the legal ones with their facts in a fixed structure."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template
from flask_babel import get_locale
from sqlalchemy import select

from participation.extensions import db
from participation.pages import legal
from participation.pages.models import Page
from participation.pages.privacy_notice import processing

bp = Blueprint("pages", __name__, url_prefix="/pages")

# the account deletion's endpoint: linked from the privacy notice once the platform has it
DELETE_ACCOUNT = "privacy.delete_account"


@bp.route("/<slug>")
def show(slug: str):
    page = db.session.scalar(select(Page).where(Page.slug == slug))
    if page is None:
        abort(404)
    context = {}
    if slug in legal.LEGAL_SLUGS:
        can_delete = DELETE_ACCOUNT in current_app.view_functions
        context = {
            "legal": legal.legal_values(slug),
            "missing": legal.missing_fields(slug),
            "imprint": legal.legal_values("imprint"),
            "status_labels": legal.ACCESSIBILITY_STATUS,
            "reviewed_on": legal.as_date(legal.legal_values("accessibility")["accessibility_reviewed_on"]),
            "delete_account": DELETE_ACCOUNT if can_delete else None,
            "processing": processing(can_delete) if slug == "privacy" else (),
        }
    return render_template("pages/show.html", page=page, locale=str(get_locale()), **context)
