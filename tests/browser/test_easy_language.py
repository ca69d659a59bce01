"""The pages of easy language in Chromium: the page "Leichte Sprache", a chapter and a measure with
their summary opened, and the planners' editors, in German and English: no WCAG violation."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from participation.drafts.models import Chapter
from participation.extensions import db
from participation.measures.models import Measure
from tests.browser.conftest import log_in, persona_email
from tests.browser.test_accessibility import axe_violations
from tests.factories import PASSWORD


def _summarised(app) -> tuple[int, int]:
    """A chapter and a published measure with a summary in easy language (the demo writes them)."""
    with app.app_context():
        chapter = db.session.scalar(select(Chapter.id).where(Chapter.easy_summary_de != "").limit(1))
        measure = db.session.scalar(
            select(Measure.id).where(Measure.easy_summary_de != "", Measure.published_at.is_not(None)).limit(1)
        )
    assert chapter is not None and measure is not None
    return chapter, measure


@pytest.mark.parametrize("locale", ["de-DE", "en-GB"])
def test_easy_language_pages_have_no_wcag_violations(chromium, live_server, locale):
    chapter, measure = _summarised(live_server.app)
    context = chromium.new_context(locale=locale, bypass_csp=True)
    page = context.new_page()
    try:
        assert page.goto(live_server.url + "/pages/easy-language").status == 200
        assert axe_violations(page) == []
        page.locator("#summaries-title ~ ul a").first.click()
        assert page.locator("#easy-language").count() == 1
        for url in (f"/masterplan/chapters/{chapter}", f"/measures/{measure}"):
            assert page.goto(live_server.url + url).status == 200
            page.locator("#easy-language > summary").click()  # opened, keyboard or mouse alike
            assert page.locator("#easy-language .easy-text").is_visible()
            assert axe_violations(page) == []
    finally:
        context.close()


def test_the_planners_editors_have_no_wcag_violations(chromium, live_server):
    chapter, measure = _summarised(live_server.app)
    context = chromium.new_context(locale="de-DE", bypass_csp=True)
    page = context.new_page()
    try:
        log_in(page, live_server, persona_email("planner"), PASSWORD)
        for url in (f"/planning/chapters/{chapter}", f"/planning/measures/{measure}/edit"):
            assert page.goto(live_server.url + url).status == 200
            assert page.get_by_label("Zusammenfassung in Leichter Sprache (Deutsch)").count() == 1
            assert axe_violations(page) == []
    finally:
        context.close()
