"""Announcements in a real browser (issue 21, point 6): a resident asks for announcements on their
profile and confirms by the mailed link; a planner writes one, previews it and sends it; only the
account that confirmed has it in the outbox (not one that ticked the box and never opened the link,
nor one that never asked); the announcement is on its page and in the Atom feed; and the mail's
one-click stop link (RFC 8058: a POST without login or form token) ends the subscription."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import select

from participation.announcements.models import AnnouncementSubscription
from participation.extensions import db
from participation.mail.models import OutboxMessage
from tests.browser.conftest import log_in, mailed_link, persona_email
from tests.factories import PASSWORD, UserFactory

TITLE = "Zweiter Entwurf: jetzt mitreden"
RESIDENT, HESITANT, SILENT = "ankuendigung@example.org", "zoegerlich@example.org", "still@example.org"


def _accounts(live_server) -> None:
    with live_server.app.app_context():
        for email, name in ((RESIDENT, "Rhein Leserin"), (HESITANT, "Zögerlich"), (SILENT, "Still")):
            UserFactory(email=email, display_name=name)
        db.session.commit()


def _ask_for_announcements(page, live_server, email: str) -> None:
    log_in(page, live_server, email, PASSWORD)
    page.goto(f"{live_server.url}/account/")
    box = page.get_by_label(re.compile("^Ankündigungen per Mail an mich schicken"))
    expect(box).not_to_be_checked()  # never ticked in advance
    box.check()
    page.get_by_role("button", name="Ankündigungen bestellen").click()
    expect(page.locator("body")).to_contain_text("Wir haben Ihnen einen Link geschickt")
    page.context.clear_cookies()


def _announcement_mails(live_server) -> list[OutboxMessage]:
    with live_server.app.app_context():
        rows = list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "announcement")))
        db.session.expunge_all()
        return rows


def test_an_announcement_reaches_the_confirmed_account_only(page, own_live_server):
    live_server = own_live_server
    _accounts(live_server)
    _ask_for_announcements(page, live_server, RESIDENT)
    _ask_for_announcements(page, live_server, HESITANT)  # and never opens the link
    page.goto(mailed_link(live_server, RESIDENT, "announcement_confirm"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ankündigungen per Mail bestätigt")

    log_in(page, live_server, persona_email("planner"), PASSWORD)
    page.goto(f"{live_server.url}/planning/")
    page.get_by_role("link", name="Ankündigungen", exact=True).first.click()
    page.get_by_role("link", name="Neue Ankündigung").click()
    page.get_by_label("Titel (Deutsch)").fill(TITLE)
    page.get_by_label("Text (Deutsch, Markdown)").fill("Ab heute **kommentieren** Sie den zweiten Entwurf.")
    page.get_by_role("button", name="Speichern und Vorschau zeigen").click()
    preview = page.locator("#preview")
    expect(preview.locator("strong", has_text="kommentieren").first).to_be_visible()
    expect(preview).to_contain_text(f"Ankündigung: {TITLE}")
    page.get_by_role("link", name="Veröffentlichen und verschicken …").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ankündigung veröffentlichen und verschicken?")
    expect(page.locator("main")).to_contain_text("an 1 Konto, das Ankündigungen bestellt hat")
    page.get_by_role("button", name="Jetzt veröffentlichen und verschicken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)

    mails = _announcement_mails(live_server)
    assert [mail.recipient for mail in mails] == [RESIDENT]
    (mail,) = mails
    assert "Ab heute **kommentieren** Sie den zweiten Entwurf." in mail.body_text
    assert mail.unsubscribe_url in mail.body_text

    # on the site for everyone, and in the feed
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/announcements/")
    page.get_by_role("link", name=TITLE).click()
    expect(page.locator("article strong")).to_have_text("kommentieren")
    feed = page.request.get(f"{live_server.url}/announcements/feed.xml")
    assert feed.headers["content-type"].startswith("application/atom+xml")
    assert f"<title>{TITLE}</title>" in feed.text()
    page.goto(live_server.url)
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()

    # the mail program's one-click unsubscribe: a POST to the link, no login, no form token
    stop = page.request.post(
        mail.unsubscribe_url.replace("http://localhost", live_server.url),
        data="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert stop.status == 200
    with live_server.app.app_context():
        assert (
            db.session.scalar(
                select(AnnouncementSubscription).where(AnnouncementSubscription.confirmed_at.is_not(None))
            )
            is None
        )
