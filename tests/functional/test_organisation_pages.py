"""Organisations' public pages: the list by kind, each page with its description, official
statements and measures, and strategy PDFs that verified members publish, checked by their content
and size, and that anyone downloads with headers that keep them from running as anything else."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from participation.comments.services import add_comment
from participation.core.audit import ModerationDecision
from participation.organisations.models import StrategyDocument, StrategyDocumentChunk
from tests.conftest import Browser, logged_in
from tests.drafting import open_phase
from tests.measuring import measure, organisation, verified_member
from tests.proposing import propose

# the smallest file a PDF reader opens: a catalogue, an empty page and the cross-reference table
TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
MAX = 64 * 1024  # a small limit for the tests, so oversized files stay small too


@pytest.fixture
def app_config():
    return {"STRATEGY_MAX_BYTES": MAX}


@pytest.fixture
def org(users, db):
    open_phase(db, comments=True, proposals=True)
    rheinenergie = organisation(db, "RheinEnergie AG", "municipal_company")
    rheinenergie.description = "Energie und Wasser für Köln."
    rheinenergie.description_en = "Energy and water for Cologne."
    member = users(email="member@example.org", display_name="Team Digital")
    verified_member(db, member, rheinenergie)
    users(email="other@example.org", display_name="Jemand")
    users(email="admin@example.org", roles=("participant", "admin"))
    db.session.commit()
    return rheinenergie


def _upload(person: Browser, org_id: int, content: bytes, name="strategie.pdf", mimetype="application/pdf", **fields):
    data = {"title_de": "Digitalstrategie 2030", "title_en": "", "year": "2024"} | fields
    data["file"] = (io.BytesIO(content), name, mimetype)
    url = f"/organisations/{org_id}/documents/new"
    return person.submit(url, data, content_type="multipart/form-data")


def test_the_list_groups_by_kind_and_the_page_shows_what_the_organisation_does(app, db, org, users):
    uni = organisation(db, "Universität zu Köln", "university")
    author = users(email="author@example.org")
    public = propose(author, "Ladesäulen", "Mehr Ladesäulen.")
    waiting = propose(author, "Wartet", "Noch nicht geprüft.", status="pending")
    from participation.accounts.models import find_user_by_email

    speaker = find_user_by_email("member@example.org")
    add_comment(speaker, "Wir bauen **1.000** Ladepunkte.", None, proposal=public, organisation_id=org.id)
    add_comment(speaker, "Zu einem verborgenen Vorschlag.", None, proposal=waiting, organisation_id=org.id)
    add_comment(speaker, "Privat geschrieben.", None, proposal=public)
    measure(db, title_de="Smart Meter", title_en="Smart meters")
    measure(db, public=False, title_de="Entwurf einer Maßnahme")
    db.session.commit()

    visitor = Browser(app.test_client())
    listing = visitor.get("/organisations/").get_data(as_text=True)
    assert listing.index("Städtische Gesellschaft") < listing.index("RheinEnergie AG")
    assert f'href="/organisations/{uni.id}"' in listing and "Hochschule" in listing

    page = visitor.get(f"/organisations/{org.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Energie und Wasser für Köln." in html
    assert "<strong>1.000</strong> Ladepunkte" in html and "Stellungnahme von RheinEnergie AG" in html
    assert "Zu einem verborgenen Vorschlag" not in html and "Privat geschrieben" not in html
    assert "Smart Meter" in html and "Entwurf einer Maßnahme" not in html
    # no member, no admin: no way to change anything
    assert "documents/new" not in html and "/description" not in html
    visitor.client.post("/language", data={"locale": "en", "csrf_token": visitor.token("/")})
    assert "Energy and water for Cologne." in visitor.get(f"/organisations/{org.id}").get_data(as_text=True)
    assert visitor.get("/organisations/999999").status_code == 404


def test_a_member_publishes_a_pdf_and_anyone_downloads_the_same_bytes(app, db, org):
    member = logged_in(app, "member@example.org")
    assert "documents/new" in member.get(f"/organisations/{org.id}").get_data(as_text=True)
    sent = _upload(member, org.id, TINY_PDF, name="Strategie ÄÖÜ.pdf", title_en="Digital strategy 2030")
    assert sent.status_code == 303
    document = db.session.scalar(select(StrategyDocument))
    assert (document.title_de, document.year, document.size) == ("Digitalstrategie 2030", 2024, len(TINY_PDF))
    assert document.filename == "rheinenergie-ag-digitalstrategie-2030-2024.pdf"
    audit = db.session.scalar(select(ModerationDecision).where(ModerationDecision.action == "upload_strategy_document"))
    assert audit.target_id == document.id

    visitor = Browser(app.test_client())
    page = visitor.get(f"/organisations/{org.id}").get_data(as_text=True)
    url = f"/organisations/{org.id}/documents/{document.id}.pdf"
    assert f'href="{url}"' in page
    download = visitor.get(url)
    assert download.status_code == 200 and download.data == TINY_PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"] == (
        'attachment; filename="rheinenergie-ag-digitalstrategie-2030-2024.pdf"; '
        "filename*=UTF-8''Digitalstrategie%202030%20%282024%29.pdf"
    )
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert download.headers["Cache-Control"] == "public, max-age=3600"
    assert download.headers["Content-Length"] == str(len(TINY_PDF))
    # the same document under another organisation's address is not found
    other = organisation(db, "Koelnmesse GmbH")
    db.session.commit()
    assert visitor.get(f"/organisations/{other.id}/documents/{document.id}.pdf").status_code == 404


def test_a_large_pdf_is_stored_in_chunks_and_sent_back_whole(app, db, org, monkeypatch):
    from participation.organisations import documents

    monkeypatch.setattr(documents, "CHUNK", 1000)
    content = TINY_PDF + b"%" + bytes(range(256)) * 100
    member = logged_in(app, "member@example.org")
    assert _upload(member, org.id, content).status_code == 303
    document = db.session.scalar(select(StrategyDocument))
    assert db.session.scalar(select(func.count()).select_from(StrategyDocumentChunk)) == -(-len(content) // 1000)
    assert Browser(app.test_client()).get(f"/organisations/{org.id}/documents/{document.id}.pdf").data == content


@pytest.mark.parametrize(
    ("content", "name", "mimetype"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "setup.pdf", "application/pdf"),  # a Windows program
        (b"<html><script>alert(1)</script></html>", "strategie.pdf", "application/pdf"),
        (b"  %PDF-1.4 but not at the start", "strategie.pdf", "application/pdf"),
    ],
)
def test_a_file_that_is_no_pdf_is_refused_at_the_field(app, db, org, content, name, mimetype):
    member = logged_in(app, "member@example.org")
    refused = _upload(member, org.id, content, name=name, mimetype=mimetype)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Diese Datei ist kein PDF-Dokument" in html and 'id="file-error"' in html
    assert db.session.scalar(select(func.count()).select_from(StrategyDocument)) == 0


def test_a_file_over_the_limit_is_refused_at_the_field(app, db, org):
    member = logged_in(app, "member@example.org")
    refused = _upload(member, org.id, TINY_PDF + b"x" * MAX)
    assert refused.status_code == 422
    assert "Die Datei ist zu groß: höchstens 0.0625 MB." in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(StrategyDocumentChunk)) == 0


class CountingStream:
    """A request body that says how much of it was read."""

    def __init__(self, size: int):
        self.size, self.read_bytes, self.position = size, 0, 0

    def read(self, n: int = -1) -> bytes:
        n = self.size - self.read_bytes if n is None or n < 0 else min(n, self.size - self.read_bytes)
        self.read_bytes += n
        return b"x" * n

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = 0) -> int:
        self.position = self.size + offset if whence == 2 else offset
        return self.position


def test_a_body_over_the_limit_is_refused_before_it_is_read(app, db, org):
    member = logged_in(app, "member@example.org")
    body = CountingStream(10 * MAX)
    refused = member.client.post(
        f"/organisations/{org.id}/documents/new",
        input_stream=body,
        content_length=body.size,
        content_type="multipart/form-data; boundary=x",
    )
    assert refused.status_code == 413
    assert body.read_bytes == 0
    # the larger limit is the upload route's alone: elsewhere MAX_CONTENT_LENGTH holds
    assert app.config["MAX_CONTENT_LENGTH"] < 2 * MAX + 3 * 1024 * 1024


def test_the_upload_route_takes_more_than_max_content_length_only_from_its_uploaders(app, db, org):
    app.config["STRATEGY_MAX_BYTES"] = app.config["MAX_CONTENT_LENGTH"] * 2
    size = app.config["MAX_CONTENT_LENGTH"] + 1024
    member = logged_in(app, "member@example.org")
    content = TINY_PDF + b"%" * (size - len(TINY_PDF))
    token = member.token(f"/organisations/{org.id}/documents/new")
    fields = {"csrf_token": token, "title_de": "Groß", "year": "2024"}
    body = b"".join(
        f'--b\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    )
    body += b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n' + content + b"\r\n--b--\r\n"
    sent = member.client.post(
        f"/organisations/{org.id}/documents/new", data=body, content_type="multipart/form-data; boundary=b"
    )
    assert sent.status_code == 303
    assert db.session.scalar(select(StrategyDocument.size)) == size
    body = CountingStream(size)
    anonymous = Browser(app.test_client()).client.post(
        f"/organisations/{org.id}/documents/new",
        input_stream=body,
        content_length=body.size,
        content_type="multipart/form-data; boundary=x",
    )
    assert anonymous.status_code == 413 and body.read_bytes == 0
    # nor from a logged-in person who may not publish there
    body = CountingStream(size)
    outsider = logged_in(app, "other@example.org").client.post(
        f"/organisations/{org.id}/documents/new",
        input_stream=body,
        content_length=body.size,
        content_type="multipart/form-data; boundary=x",
    )
    assert outsider.status_code == 413 and body.read_bytes == 0


@pytest.mark.parametrize("who", ["other@example.org", None])
def test_only_members_and_admins_publish_and_delete(app, db, org, who):
    member = logged_in(app, "member@example.org")
    assert _upload(member, org.id, TINY_PDF).status_code == 303
    document = db.session.scalar(select(StrategyDocument))
    person = logged_in(app, who) if who else Browser(app.test_client())
    token = person.token(f"/organisations/{org.id}")
    upload = person.client.post(
        f"/organisations/{org.id}/documents/new",
        data={"csrf_token": token, "title_de": "X", "year": "2024", "file": (io.BytesIO(TINY_PDF), "x.pdf")},
        content_type="multipart/form-data",
    )
    delete = person.client.post(f"/organisations/{org.id}/documents/{document.id}/delete", data={"csrf_token": token})
    description = person.client.post(
        f"/organisations/{org.id}/description", data={"csrf_token": token, "description": "Gekapert"}
    )
    expected = 403 if who else 302  # a visitor is sent to log in
    assert (upload.status_code, delete.status_code, description.status_code) == (expected,) * 3
    assert db.session.scalar(select(func.count()).select_from(StrategyDocument)) == 1
    db.session.refresh(org)
    assert org.description == "Energie und Wasser für Köln."


def test_a_member_deletes_a_document_and_it_is_gone_with_its_bytes(app, db, org):
    member = logged_in(app, "member@example.org")
    assert _upload(member, org.id, TINY_PDF).status_code == 303
    document_id = db.session.scalar(select(StrategyDocument.id))
    page = f"/organisations/{org.id}"
    deleted = member.submit(page, {}, action=f"/organisations/{org.id}/documents/{document_id}/delete")
    assert deleted.status_code == 303
    assert db.session.scalar(select(func.count()).select_from(StrategyDocumentChunk)) == 0
    assert Browser(app.test_client()).get(f"/organisations/{org.id}/documents/{document_id}.pdf").status_code == 404
    audit = db.session.scalar(select(ModerationDecision).where(ModerationDecision.action == "delete_strategy_document"))
    assert audit.target_id == document_id and "Digitalstrategie 2030" in audit.state_before


def test_a_document_of_a_deleted_organisation_is_not_served(app, db, org):
    member = logged_in(app, "member@example.org")
    assert _upload(member, org.id, TINY_PDF).status_code == 303
    document_id = db.session.scalar(select(StrategyDocument.id))
    db.session.delete(org)
    db.session.commit()
    assert Browser(app.test_client()).get(f"/organisations/{org.id}/documents/{document_id}.pdf").status_code == 404


def test_members_and_admins_write_the_description_in_both_languages(app, db, org):
    for email, text in (("member@example.org", "Von uns."), ("admin@example.org", "Vom Admin.")):
        person = logged_in(app, email)
        url = f"/organisations/{org.id}/description"
        saved = person.submit(url, {"description": text, "description_en": "In English."})
        assert saved.status_code == 303
        db.session.refresh(org)
        assert (org.description, org.description_en) == (text, "In English.")
    assert (
        db.session.scalar(select(func.count()).where(ModerationDecision.action == "change_organisation_description"))
        == 2
    )


def test_a_reader_follows_the_organisation_from_its_page(app, db, org):
    visitor = Browser(app.test_client()).get(f"/organisations/{org.id}").get_data(as_text=True)
    assert "Melden Sie sich an, um dieser Organisation zu folgen" in visitor
    reader = logged_in(app, "other@example.org")
    url = f"/organisations/{org.id}"
    response = reader.submit(url, {"choice": "follow"}, action=f"{url}/follow")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"{url}#follow")
    page = reader.get(url).get_data(as_text=True)
    assert "Sie folgen dieser Organisation." in page and "Nicht mehr folgen" in page
