"""The page "Leichte Sprache": the admin-editable text that explains the platform in easy language,
followed by the list of chapters and measures with a summary in easy language. It answers at the
address of the page (/pages/easy-language), before the pages' own route for any other page."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_babel import get_locale
from sqlalchemy import select

from participation.core.markdown import render_page_text
from participation.easy_language import listing
from participation.extensions import db
from participation.pages import legal
from participation.pages.models import Page

SLUG = "easy-language"

bp = Blueprint("easy_language", __name__)


# the slug as a default: the navigation marks the page as the current one, as for every page
@bp.route(f"/pages/{SLUG}", defaults={"slug": SLUG})
def page(slug: str):
    found = db.session.scalar(select(Page).where(Page.slug == SLUG))
    if found is None:
        abort(404)
    locale = str(get_locale())
    return render_template(
        "easy_language/page.html",
        page=found,
        locale=locale,
        body=render_page_text(found.localized("body", locale)),
        chapters=listing.chapters(locale),
        measures=listing.measures(locale),
        contact=legal.legal_values("imprint").get("imprint_email") or "",
    )
