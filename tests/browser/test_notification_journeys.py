"""Notifications in a real browser (issue 21, part 6): a resident comments, another replies, the
first gets the reply by mail (read from the outbox), and the one-click unsubscribe that a mail
program sends (RFC 8058: a POST to the List-Unsubscribe address, without cookies) stops the next
reply mail.

The residents are accounts of their own (tests/browser/test_privacy_journeys.py's `resident`),
on a server of this module's own."""

from __future__ import annotations

import re
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from participation.extensions import db
from participation.mail.models import OutboxMessage
from tests.browser.conftest import mailed_link
from tests.browser.test_accessibility import axe_violations
from tests.browser.test_privacy_journeys import log_in_as, resident, write_comment

pytestmark = pytest.mark.browser


def _reply_mails(live_server, recipient: str) -> list[OutboxMessage]:
    with live_server.app.app_context():
        return list(
            db.session.scalars(
                select(OutboxMessage).where(OutboxMessage.recipient == recipient, OutboxMessage.kind == "comment_reply")
            )
        )


def _one_click(url: str, body: bytes = b"List-Unsubscribe=One-Click") -> int:
    """What a mail program sends for its "unsubscribe" button: a POST with no cookie and no token."""
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _reply(page, live_server, comment_url: str, text: str) -> None:
    page.goto(comment_url)
    page.get_by_role("link", name=re.compile("^Antworten auf den Kommentar von Erste")).first.click()
    page.get_by_label("Ihr Kommentar").fill(text)
    page.get_by_role("button", name="Veröffentlichen").click()
    expect(page.get_by_role("status").first).to_contain_text("Ihre Antwort ist veröffentlicht")


# CSP lifted in this context, so that the journey can run axe-core on the pages it passes
@pytest.mark.parametrize("context", [True], indirect=True)
def test_a_reply_reaches_the_first_commenter_and_one_click_stops_the_next(context, own_live_server):
    live_server = own_live_server
    first = resident(live_server, "erste@example.org", "Erste Kommentatorin")
    second = resident(live_server, "zweiter@example.org", "Zweiter Kommentator")
    page = context.new_page()
    log_in_as(page, live_server, first, "Erste Kommentatorin")
    mine = write_comment(page, live_server, "Schnelles Internet auch für die Berufsschulen!")

    other = context.browser.new_context(locale="de-DE")
    try:
        their_page = other.new_page()
        log_in_as(their_page, live_server, second, "Zweiter Kommentator")
        _reply(their_page, live_server, mine.url, "Ja, und für die Volkshochschulen.")

        # the mail names who replied and where, and leads to the reply
        body_link = mailed_link(live_server, first, "comment_reply")
        [mail] = _reply_mails(live_server, first)
        assert "Zweiter Kommentator hat auf Ihren Kommentar" in mail.body_text
        assert "Volkshochschulen" not in mail.body_text
        reply_id = re.search(r"/comments/([0-9]+)$", body_link).group(1)
        page.goto(body_link)
        expect(page.locator(f"#comment-{reply_id}")).to_contain_text("Ja, und für die Volkshochschulen.")

        # opening the stop link (as a mail scanner would) stops nothing
        page.goto(mail.unsubscribe_url)
        expect(page.get_by_role("heading", level=1)).to_have_text("Diese E-Mails abbestellen?")
        assert axe_violations(page) == []
        # the mail program's one-click POST: a forged link is refused, the real one works
        assert _one_click(mail.unsubscribe_url + "x") == 404
        assert _one_click(mail.unsubscribe_url, b"") == 400
        assert _one_click(mail.unsubscribe_url) == 200

        _reply(their_page, live_server, mine.url, "Und für die Bibliotheken.")
        assert len(_reply_mails(live_server, first)) == 1  # the next reply brings no mail
        with live_server.app.app_context():
            assert db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.recipient == first)) == 1

        # the page offers the undo; after it, the next reply is mailed again
        page.goto(mail.unsubscribe_url)
        expect(page.get_by_role("heading", level=1)).to_have_text("E-Mails abbestellt")
        assert axe_violations(page) == []
        page.get_by_role("button", name=re.compile("Rückgängig")).click()
        expect(page.get_by_role("status").first).to_contain_text("Sie erhalten diese E-Mails wieder")
        _reply(their_page, live_server, mine.url, "Und für die Stadtteilzentren.")
        assert len(_reply_mails(live_server, first)) == 2

        # following the chapter from its page: the button says what it does, the text the state
        page.goto(f"{live_server.url}/masterplan/chapters/{live_server.site.public['chapter_id']}")
        page.get_by_role("button", name="Diesem Kapitel folgen").click()
        expect(page.locator("#follow")).to_contain_text("Sie folgen diesem Kapitel.")
        assert axe_violations(page) == []
        page.get_by_role("button", name="Nicht mehr folgen").click()
        expect(page.get_by_role("button", name="Diesem Kapitel folgen")).to_be_visible()
    finally:
        other.close()
