"""The Atom feed of the measures' public updates: the newest FEED_ENTRIES of published measures,
newest first, overall or of one measure (?measure=<id>). Absolute links from the public address
(never the Host header), text escaped by the template, characters XML forbids taken out."""

from __future__ import annotations

import re

from flask import Blueprint, abort, make_response, render_template, request
from flask_babel import get_locale
from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload

from participation.core.bounds import database_id
from participation.core.links import public_url
from participation.core.models import utcnow
from participation.drafts.models import TOPICS
from participation.extensions import db
from participation.measures.models import Measure, MeasureUpdate

bp = Blueprint("measure_feed", __name__)

FEED_ENTRIES = 50
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _chosen_measure() -> Measure | None:
    """The measure of ?measure=<id>: a published one, else 404 (a draft is not known here)."""
    if not request.args.get("measure", ""):
        return None
    measure_id = request.args.get("measure", type=database_id)  # None for what no id can be
    if measure_id is None:
        abort(404)
    found = db.session.scalar(select(Measure).where(Measure.id == measure_id, Measure.published_at.is_not(None)))
    if found is None:
        abort(404)
    return found


@bp.route("/measures/feed.atom")
def feed():
    measure = _chosen_measure()
    statement = (
        select(MeasureUpdate)
        .join(MeasureUpdate.measure)
        .where(Measure.published_at.is_not(None))
        .options(contains_eager(MeasureUpdate.measure), joinedload(MeasureUpdate.organisation))
    )
    if measure is not None:
        statement = statement.where(MeasureUpdate.measure_id == measure.id)
    entries = list(
        db.session.scalars(
            statement.order_by(MeasureUpdate.published_at.desc(), MeasureUpdate.id.desc()).limit(FEED_ENTRIES)
        )
    )
    chosen = {"measure": measure.id} if measure is not None else {}
    locale = str(get_locale())
    body = render_template(
        "measures/feed.xml",
        entries=entries,
        measure=measure,
        locale=locale,
        topics=TOPICS,
        now=utcnow(),
        feed_url=public_url("measure_feed.feed", **chosen),
        list_url=(
            public_url("measures.show", measure_id=measure.id) if measure is not None else public_url("measures.index")
        ),
        entry_urls={
            entry.id: public_url("measures.show", measure_id=entry.measure_id) + f"#update-{entry.id}"
            for entry in entries
        },
    )
    response = make_response(_NOT_IN_XML.sub("", body))
    response.mimetype = "application/atom+xml"
    return response
