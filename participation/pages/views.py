"""Public display of the editable pages."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_babel import get_locale
from sqlalchemy import select

from participation.extensions import db
from participation.pages.models import Page

bp = Blueprint("pages", __name__, url_prefix="/pages")


@bp.route("/<slug>")
def show(slug: str):
    page = db.session.scalar(select(Page).where(Page.slug == slug))
    if page is None:
        abort(404)
    return render_template("pages/show.html", page=page, locale=str(get_locale()))
