"""A resident's rights over their data in a real browser: they download what the platform holds
about them and find their comment in it (and nobody else's address or name), and they change their
email address with the link mailed to the new one, after which only the new one logs in; and they
delete their account, after which their comment reads "deleted account" and their address no
longer logs in.

Each journey has an account of its own (`resident`) on a server of its own: they change and end
accounts, which the personas of the other journeys must keep. A journey starts with `resident` and
`log_in_as`, and `write_comment` gives it a comment whose text and address it knows."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from typing import NamedTuple

from playwright.sync_api import expect

from participation.accounts.models import find_user_by_email
from participation.comments.models import Comment
from participation.comments.services import add_comment
from participation.drafts.models import Paragraph
from participation.extensions import db
from tests.browser.conftest import log_in, mailed, mailed_link, persona_email
from tests.factories import PASSWORD, UserFactory

# the other people of the seeded site (tests/site_map.py), some of whom wrote in the same threads
OTHERS = ("participant", "moderator", "planner", "admin")
OTHER_ADDRESSES = [persona_email(persona) for persona in OTHERS] + ["target@example.org"]
OTHER_NAMES = [f"Persona {persona}" for persona in OTHERS] + ["Target Person"]


class WrittenComment(NamedTuple):
    text: str
    url: str  # its own address (/comments/<id>), which leads to it in its thread
    anchor: str  # the id of its element in the thread


def resident(live_server, email: str, name: str) -> str:
    """A confirmed resident's account, who has taken part before: the first contributions of a
    person wait for the moderation (core.premoderation), so two earlier comments of theirs are
    published already, one of them a reply to the participant's, and what the journey writes is
    published at once. Returns the address."""
    with live_server.app.app_context():
        person = UserFactory(email=email, display_name=name)
        paragraph = db.session.get(Paragraph, live_server.site.public["paragraph_id"])
        add_comment(person, "Früher schon einmal mitgeredet.", None, paragraph.chapter, paragraph)
        others = db.session.get(Comment, live_server.site.comments["main"])
        add_comment(person, "Stimme zu.", None, parent=others)
        db.session.commit()
    return email


def log_in_as(page, live_server, email: str, name: str) -> None:
    """Log in through the form with the factories' password; the header then names the person."""
    log_in(page, live_server, email, PASSWORD)
    expect(page.get_by_role("link", name=re.compile("Mein Konto"))).to_contain_text(name)


def write_comment(page, live_server, text: str) -> WrittenComment:
    """`text` written through the site, as a logged-in resident, on paragraph 2.1 of the draft:
    published, so everyone reads it at the returned address."""
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Masterplan").click()
    page.get_by_role("link", name="Digitale Bildung", exact=True).click()
    page.locator("section.paragraph").first.get_by_role("link", name=re.compile("Absatz 2.1 kommentieren")).click()
    page.get_by_label("Ihr Kommentar").fill(text)
    page.get_by_role("button", name=re.compile("veröffentlichen", re.IGNORECASE)).click()
    expect(page.get_by_role("status").first).to_contain_text("Ihr Kommentar ist veröffentlicht")
    mine = page.locator("li.comment", has_text=text)
    expect(mine).to_be_visible()
    anchor = mine.get_attribute("id")
    return WrittenComment(text, f"{live_server.url}/comments/{anchor.removeprefix('comment-')}", anchor)


def _go_to_my_account(page) -> None:
    page.get_by_role("link", name=re.compile("Mein Konto")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mein Konto")


def _download(page, button) -> tuple[str, bytes]:
    with page.expect_download() as started:
        button.click()
    download = started.value
    assert download.failure() is None
    with open(download.path(), "rb") as saved:
        return download.suggested_filename, saved.read()


def test_a_resident_downloads_their_data_and_finds_their_comment(page, own_live_server):
    live_server = own_live_server
    email = resident(live_server, "rosa@example.org", "Rosa aus Deutz")
    log_in_as(page, live_server, email, "Rosa aus Deutz")
    comment = write_comment(page, live_server, "Medienkurse für Ältere in der Stadtbibliothek Deutz, bitte.")

    _go_to_my_account(page)
    section = page.get_by_role("region", name="Meine Daten")
    expect(section).to_contain_text("ZIP")
    section.get_by_role("link", name="Meine Daten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meine Daten")
    expect(page.get_by_role("heading", level=2, name="Was der Download enthält")).to_be_visible()
    name, data = _download(page, page.get_by_role("button", name="Meine Daten bereitstellen und herunterladen"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Meine Daten")  # the page stays
    assert re.fullmatch(r"my-data-\d{4}-\d{2}-\d{2}\.zip", name)

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        files = {info.filename: archive.read(info) for info in archive.infolist()}
    assert {"data.json", "comments.csv", "README.txt"} <= set(files)

    document = json.loads(files["data.json"])
    mine = [row for row in document["comments"] if row["body"] == comment.text]
    assert len(mine) == 1
    assert mine[0]["url"].endswith(comment.url.removeprefix(live_server.url))
    assert email in files["data.json"].decode()  # the person's own address is there, of course

    rows = list(csv.reader(io.StringIO(files["comments.csv"].decode("utf-8-sig"))))
    text_column = rows[0].index("Text")  # headings in the person's language
    assert comment.text in [row[text_column] for row in rows[1:]]

    # nobody else's address or name, though others wrote in the same threads and run the site
    for filename, content in files.items():
        for other in OTHER_ADDRESSES + OTHER_NAMES:
            assert other not in content.decode("utf-8-sig"), f"{other} in {filename}"


def test_a_resident_changes_their_email_address_and_only_the_new_one_logs_in(page, own_live_server):
    live_server = own_live_server
    old = resident(live_server, "jonas@example.org", "Jonas aus Mülheim")
    new = "jonas.neu@example.org"
    log_in_as(page, live_server, old, "Jonas aus Mülheim")
    _go_to_my_account(page)
    section = page.get_by_role("region", name="E-Mail-Adresse ändern")

    # first with a mistyped password: the error is announced, the new address stays typed in
    section.get_by_label("Neue E-Mail-Adresse").fill(new)
    section.get_by_label("Aktuelles Passwort").fill("correct horse battery staple")
    section.get_by_role("button", name="E-Mail-Adresse ändern").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Das ist nicht Ihr aktuelles Passwort.")
    expect(summary).to_be_focused()
    section = page.get_by_role("region", name="E-Mail-Adresse ändern")
    expect(section.get_by_label("Neue E-Mail-Adresse")).to_have_value(new)

    section.get_by_label("Aktuelles Passwort").fill(PASSWORD)
    section.get_by_role("button", name="E-Mail-Adresse ändern").click()
    expect(page.get_by_role("status").first).to_contain_text(f"Wir haben einen Link an {new} geschickt")
    section = page.get_by_role("region", name="E-Mail-Adresse ändern")
    expect(section).to_contain_text(f"Neue Adresse, die auf Bestätigung wartet: {new}")
    # the old address hears of the request, without the link
    assert new in mailed(live_server, old, "email_change_requested")
    assert "/email/confirm/" not in mailed(live_server, old, "email_change_requested")

    # until the link is opened, the old address is the account's
    page.get_by_role("button", name="Abmelden").click()
    expect(page.get_by_role("status").first).to_contain_text("Sie sind abgemeldet")
    log_in_as(page, live_server, old, "Jonas aus Mülheim")

    page.goto(mailed_link(live_server, new, "email_change_confirm"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Neue E-Mail-Adresse bestätigen")
    expect(page.get_by_role("main")).to_contain_text(f"Das Konto Jonas aus Mülheim möchte ab jetzt {new} als E-Mail")
    expect(page.get_by_label("Passwort")).to_have_count(0)  # logged in here: the session vouches
    page.get_by_role("button", name="Neue Adresse bestätigen").click()
    expect(page.get_by_role("status").first).to_contain_text(f"Ihre E-Mail-Adresse ist jetzt {new}.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mein Konto")
    expect(page.get_by_role("region", name="Konto", exact=True)).to_contain_text(new)
    # the old address is told that it no longer belongs to the account
    assert new in mailed(live_server, old, "email_changed")

    page.get_by_role("button", name="Abmelden").click()
    expect(page.get_by_role("link", name="Anmelden")).to_be_visible()
    log_in(page, live_server, old, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmelden")
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Die E-Mail-Adresse oder das Passwort stimmt nicht")
    expect(summary).to_be_focused()
    expect(page.get_by_role("link", name=re.compile("Mein Konto"))).to_have_count(0)

    log_in_as(page, live_server, new, "Jonas aus Mülheim")
    expect(page.get_by_role("status").first).to_contain_text("Sie sind angemeldet.")
    with live_server.app.app_context():
        assert find_user_by_email(old) is None and find_user_by_email(new).display_name == "Jonas aus Mülheim"


def test_a_resident_deletes_their_account_and_their_comment_stays_as_deleted_account(page, own_live_server):
    live_server = own_live_server
    email = resident(live_server, "mira@example.org", "Mira aus Ehrenfeld")
    log_in_as(page, live_server, email, "Mira aus Ehrenfeld")
    comment = write_comment(page, live_server, "Ein Repair-Café für Tablets im Bürgerzentrum Ehrenfeld.")

    _go_to_my_account(page)
    page.get_by_role("region", name="Konto löschen").get_by_role("link", name="Mein Konto löschen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mein Konto löschen")
    expect(page.get_by_role("main")).to_contain_text("gezeichnet mit „gelöschtes Konto“")
    choice = page.get_by_role("group", name="Was aus Ihren Vorschlägen und Kommentaren wird")
    expect(choice.get_by_role("radio", name=re.compile("Die Texte behalten"))).to_be_checked()

    # a mistyped password deletes nothing; the error is announced and the choice kept
    choice.get_by_role("radio", name=re.compile("Auch die Texte entfernen")).check()
    page.get_by_label("Aktuelles Passwort").fill("correct horse battery staple")
    page.get_by_role("button", name="Mein Konto endgültig löschen").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Das ist nicht Ihr aktuelles Passwort.")
    expect(summary).to_be_focused()
    choice = page.get_by_role("group", name="Was aus Ihren Vorschlägen und Kommentaren wird")
    expect(choice.get_by_role("radio", name=re.compile("Auch die Texte entfernen"))).to_be_checked()

    choice.get_by_role("radio", name=re.compile("Die Texte behalten")).check()
    page.get_by_label("Aktuelles Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Mein Konto endgültig löschen").click()
    expect(page.get_by_role("status").first).to_contain_text("Ihr Konto ist gelöscht.")
    expect(page.get_by_role("link", name="Anmelden")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Mein Konto"))).to_have_count(0)

    # the comment stays in its thread, readable, signed "deleted account"
    page.goto(comment.url)
    mine = page.locator(f"#{comment.anchor}")
    expect(mine).to_contain_text(comment.text)
    expect(mine).to_contain_text("gelöschtes Konto")
    expect(page.get_by_role("main")).not_to_contain_text("Mira aus Ehrenfeld")

    # the address no longer logs in
    log_in(page, live_server, email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmelden")
    expect(page.get_by_role("alert")).to_contain_text("Die E-Mail-Adresse oder das Passwort stimmt nicht")
    with live_server.app.app_context():
        assert find_user_by_email(email) is None
