"""What has a summary in easy language: the chapters of the version the public reads, and the
published measures. Two queries, whatever their number; for English pages a summary in plain
English counts too (the chapter or measure page shows it there)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select

from participation.drafts import services as drafts
from participation.drafts.models import Chapter
from participation.extensions import db
from participation.measures.models import Measure


@dataclass(frozen=True)
class Summarised:
    id: int
    title: str
    title_lang: str
    anchor: str  # where the summary is on its page: in easy German, else in plain English
    number: int | None = None  # a chapter's


def _condition(model, locale: str):
    if locale == "en":
        return or_(model.easy_summary_de != "", model.easy_summary_en != "")
    return model.easy_summary_de != ""


def _anchor(has_german: bool) -> str:
    return "easy-language" if has_german else "plain-english"


def chapters(locale: str) -> list[Summarised]:
    version = drafts.current_version()
    if version is None:
        return []
    rows = db.session.execute(
        select(Chapter.id, Chapter.position, Chapter.title, Chapter.easy_summary_de != "")
        .where(Chapter.version_id == version.id, _condition(Chapter, locale))
        .order_by(Chapter.position)
    )
    return [Summarised(ident, title, "de", _anchor(german), position) for ident, position, title, german in rows]


def measures(locale: str) -> list[Summarised]:
    rows = db.session.execute(
        select(Measure.id, Measure.title_de, Measure.title_en, Measure.easy_summary_de != "")
        .where(Measure.published_at.is_not(None), _condition(Measure, locale))
        .order_by(Measure.title_de, Measure.id)
    )
    found = []
    for ident, title_de, title_en, german in rows:
        english = locale == "en" and bool(title_en)
        found.append(Summarised(ident, title_en if english else title_de, "en" if english else "de", _anchor(german)))
    return found
