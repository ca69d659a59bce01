"""A person deletes their account (DSGVO Art. 17), or an admin does on their written request: the
debate stays readable, signed "deleted account", votes and supports stay counted, and afterwards
no table, export, open-data file or API answer holds the person's address, name or account number."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from sqlalchemy import Integer, String, Text, func, select

from participation.accounts.blocking import block_user, unblock_user
from participation.accounts.models import User, UserRole, find_user_by_email, set_display_name
from participation.comments.models import Comment
from participation.comments.services import add_comment
from participation.core.audit import ModerationDecision
from participation.core.models import utcnow
from participation.drafts import services as drafts
from participation.drafts.models import DraftVote
from participation.extensions import db as _db
from participation.mail.models import OutboxMessage
from participation.measures.discussion import follow as follow_measure
from participation.moderation import services as moderation
from participation.organisations.services import decide, request_membership
from participation.privacy.deletion import REMOVED_TITLE
from participation.proposals import services as proposals
from participation.proposals.models import Proposal, ProposalRevision, Support
from tests.conftest import PASSWORD, Browser, logged_in
from tests.drafting import first_paragraph, open_phase
from tests.functional.test_concurrency import at_once, postgres_only  # noqa: F401 (a fixture)
from tests.measuring import measure, organisation

ANNA = {"email": "anna.loeschen@example.org", "display_name": "Anna Löschbar"}
COMMENT = "Annas Gedanke: Bänke mit Steckdosen am Rheinufer"
REPLY = "Berts Antwort auf Annas Gedanken"
EARLIER = "anna.frueher@example.org"
EARLIER_NAME = "Anna Vorher"
PROPOSAL = ("Offenes WLAN in Kalk", "Alle Plätze in Kalk bekommen offenes WLAN.")


@pytest.fixture
def anna_world(db, users, draft):
    """Anna has data of every kind, Bert replies to her, Ada administers, Paula plans."""
    open_phase(db, votes=True, comments=True, proposals=True, supports=True)
    anna = users(**ANNA)
    bert = users(email="bert@example.org", display_name="Bert")
    users(email="ada@example.org", display_name="Ada Admin", roles=("participant", "admin"))
    mona = users(email="mona@example.org", display_name="Mona Moderatorin", roles=("participant", "moderator"))
    planner = users(email="paula@example.org", display_name="Paula", roles=("participant", "planner"))
    own = proposals.submit(anna, *PROPOSAL, "infrastructure")
    proposals.edit(own, PROPOSAL[0] + " und Mülheim", PROPOSAL[1], "infrastructure", None, None)
    berts = proposals.submit(bert, "Radwege in Kalk", "Mehr Radwege.", "infrastructure")
    comment = add_comment(anna, COMMENT, None, chapter=first_paragraph(draft).chapter, paragraph=first_paragraph(draft))
    add_comment(bert, REPLY, None, chapter=comment.chapter, paragraph=comment.paragraph, parent=comment)
    add_comment(anna, "Annas Kommentar zu Berts Vorschlag", None, proposal=berts)
    drafts.cast_vote(anna, first_paragraph(draft), 1)
    proposals.support(anna, berts)
    proposals.follow(anna, berts)
    follow_measure(anna, measure(db, actor=planner))
    moderation.flag(anna, berts, "off_topic", "Passt nicht")
    membership = request_membership(anna, organisation(db, "Bürgerverein Kalk", "association"), "Vorstand")
    decide(find_user_by_email("ada@example.org"), membership, "verified")
    block_user(mona, anna, "Anna Löschbar hat beleidigt (anna.loeschen@example.org)", None)
    unblock_user(mona, anna)
    set_display_name(anna, EARLIER_NAME)
    set_display_name(anna, ANNA["display_name"])
    # the notice of an earlier change of address went to the address before, and is Anna's
    db.session.add(
        OutboxMessage(recipient=EARLIER, user_id=anna.id, subject="Geändert", body_text="x", kind="y", status="sent")
    )
    for status in ("pending", "sent"):
        db.session.add(
            OutboxMessage(
                recipient=ANNA["email"], subject="Hallo", body_text="Hallo Anna Löschbar", kind="x", status=status
            )
        )
    db.session.commit()
    return {"anna_id": anna.id, "own_id": own.id, "comment_id": comment.id, "berts_id": berts.id}


def _delete(app, data=None, email=ANNA["email"]):
    person = logged_in(app, email)
    return person, person.submit("/account/delete", {"current_password": PASSWORD, "texts": "keep", **(data or {})})


def _forms_of(*secrets: str) -> set[str]:
    """Each as written and as JSON writes it (umlauts escaped), lower-cased."""
    return {form.lower() for secret in secrets for form in (secret, json.dumps(secret)[1:-1])}


def _text_of_every_table(db) -> list[tuple[str, str, object]]:
    """Every value of every text and number column of every table: (table, column, value)."""
    found = []
    for table in _db.metadata.sorted_tables:
        columns = [column for column in table.columns if isinstance(column.type, String | Text | Integer)]
        for row in db.session.execute(select(*columns)).all():
            for column, value in zip(columns, row, strict=True):
                if value is not None:
                    found.append((table.name, column.name, value))
    return found


def _points_at(db, person_id: int) -> list[str]:
    """Every column pointing at an account that holds this number, and audit entries about it."""
    account_id = User.__table__.c.id
    found = []
    for table in _db.metadata.sorted_tables:
        for key in table.foreign_keys:
            if key.column is account_id and db.session.scalar(
                select(func.count()).select_from(table).where(key.parent == person_id)
            ):
                found.append(f"{table.name}.{key.parent.name}")
    about = select(func.count(ModerationDecision.id)).where(
        ModerationDecision.target_type == "user", ModerationDecision.target_id == person_id
    )
    if db.session.scalar(about):
        found.append("moderation_decision.target_id")
    return found


def _downloads(app) -> dict[str, bytes]:
    """Every export, open-data file, feed and API answer there is."""
    planner = logged_in(app, "paula@example.org")
    files = {}
    for kind in ("proposals", "comments", "votes", "decisions", "incorporations"):
        for fmt in ("csv", "json", "xlsx"):
            response = planner.get(f"/planning/exports/{kind}.{fmt}")
            assert response.status_code == 200, (kind, fmt)
            files[f"{kind}.{fmt}"] = response.get_data()
            if fmt == "xlsx":  # a ZIP of XML files: searched inside
                with zipfile.ZipFile(io.BytesIO(response.get_data())) as sheet:
                    files.update({f"{kind}.xlsx/{part}": sheet.read(part) for part in sheet.namelist()})
    visitor = Browser(app.test_client())
    response = visitor.get("/open-data/open-data.zip")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        for name in archive.namelist():
            files[f"open-data/{name}"] = archive.read(name)
    for url in ("/api/v1/proposals", "/api/v1/comments", "/api/v1/versions/1/paragraphs", "/api/v1/measures"):
        response = visitor.get(url)
        assert response.status_code == 200, url
        files[url] = response.get_data()
    for url in ("/proposals/feed.xml",):
        response = visitor.get(url)
        if response.status_code == 200:
            files[url] = response.get_data()
    return files


def test_after_deletion_nothing_leads_back_to_the_person(app, db, anna_world):
    before = _downloads(app)
    assert any(COMMENT.encode() in body for body in before.values())  # the search can find things
    assert any(ANNA["display_name"].encode() in body for body in before.values())

    _, response = _delete(app)
    assert response.status_code == 303

    db.session.expire_all()
    anna_id = anna_world["anna_id"]
    assert db.session.get(User, anna_id) is None
    assert _points_at(db, anna_id) == []
    for table, column, value in _text_of_every_table(db):
        if isinstance(value, str):
            for secret in _forms_of(ANNA["email"], ANNA["display_name"], EARLIER, EARLIER_NAME):
                assert secret not in value.lower(), (table, column, value)
            assert f'"user_id": {anna_id}' not in value, (table, column, value)
    for name, body in _downloads(app).items():
        for secret in _forms_of(ANNA["email"], ANNA["display_name"], EARLIER_NAME):
            assert secret.encode() not in body.lower(), name


def test_contributions_stay_readable_as_deleted_account(app, db, anna_world):
    paragraph_url = f"/masterplan/paragraphs/{db.session.get(Comment, anna_world['comment_id']).paragraph_id}"
    visitor = Browser(app.test_client())
    assert ANNA["display_name"] in visitor.get(paragraph_url).get_data(as_text=True)  # kept in the page cache
    votes_before = db.session.scalar(select(func.count(DraftVote.id)))
    supports_before = db.session.get(Proposal, anna_world["berts_id"]).support_count
    _delete(app)

    db.session.expire_all()
    comment = db.session.get(Comment, anna_world["comment_id"])
    assert comment.body == COMMENT and comment.author_id is None and comment.status == "published"
    own = db.session.get(Proposal, anna_world["own_id"])
    assert own.author_id is None and PROPOSAL[1] == own.body
    # votes and supports stay counted, pointing at nobody
    assert db.session.scalar(select(func.count(DraftVote.id))) == votes_before
    assert db.session.scalar(select(func.count(Support.id)).where(Support.user_id.is_(None))) == 1
    assert db.session.get(Proposal, anna_world["berts_id"]).support_count == supports_before
    page = visitor.get(f"/proposals/{anna_world['own_id']}").get_data(as_text=True)
    assert "gelöschtes Konto" in page and PROPOSAL[1] in page
    page = visitor.get(paragraph_url).get_data(as_text=True)
    assert COMMENT in page and REPLY in page and "gelöschtes Konto" in page
    assert ANNA["display_name"] not in page  # the cached part was out of date at once


def test_the_texts_can_go_too_while_the_threads_stay(app, db, anna_world):
    _delete(app, {"texts": "remove"})
    db.session.expire_all()
    comment = db.session.get(Comment, anna_world["comment_id"])
    assert comment.status == "deleted" and comment.body == ""
    replies = db.session.scalars(select(Comment).where(Comment.parent_id == comment.id)).all()
    assert [reply.body for reply in replies] == [REPLY]
    own = db.session.get(Proposal, anna_world["own_id"])
    assert own.title == REMOVED_TITLE and PROPOSAL[1] not in own.body
    assert db.session.scalar(select(func.count(ProposalRevision.id)).where(ProposalRevision.proposal_id == own.id)) == 0
    for table, column, value in _text_of_every_table(db):
        if isinstance(value, str):
            assert COMMENT not in value and PROPOSAL[1] not in value, (table, column)


def test_the_login_dies_with_the_account(app, db, anna_world):
    other_device = logged_in(app, ANNA["email"])
    assert other_device.get("/account/").status_code == 200
    person, response = _delete(app)
    assert response.headers["Location"].endswith("/")
    assert person.get("/account/").status_code == 302  # logged out here
    assert other_device.get("/account/").status_code == 302  # and on every other device
    refused = Browser(app.test_client()).login(ANNA["email"])
    assert refused.status_code == 422 and "Passwort" in refused.get_data(as_text=True)
    assert find_user_by_email(ANNA["email"]) is None
    # the address is free for a new account
    assert Browser(app.test_client()).get("/register").status_code == 200


def test_the_audit_log_says_what_happened_and_names_nobody(app, db, anna_world):
    _delete(app, {"texts": "remove"})
    entry = db.session.scalar(select(ModerationDecision).where(ModerationDecision.action == "delete_own_account"))
    assert entry.actor_id is None and entry.target_id == 0
    after = json.loads(entry.state_after)
    assert after["texts_removed"] is True and after["comments"] == 2 and after["proposals"] == 1
    assert after["votes"] == 1 and after["supports"] == 1
    page = logged_in(app, "ada@example.org").get("/admin/audit").get_data(as_text=True)
    assert "Konto von der Person selbst gelöscht" in page
    assert ANNA["display_name"] not in page and EARLIER_NAME not in page
    # the entries about the account stay, pointing at none
    kept = db.session.scalars(
        select(ModerationDecision.action).where(ModerationDecision.target_type == "deleted_account")
    )
    assert {"block_user", "unblock_user", "change_display_name"} <= set(kept)


def test_waiting_mail_is_deleted_and_sent_mail_blanked(app, db, anna_world):
    _delete(app)
    db.session.expire_all()
    assert db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.recipient == ANNA["email"])) == 0


def test_a_wrong_password_deletes_nothing_and_keeps_the_choice(app, db, anna_world):
    person = logged_in(app, ANNA["email"])
    response = person.submit("/account/delete", {"current_password": "falsch", "texts": "remove"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Das ist nicht Ihr aktuelles Passwort." in page
    chosen = re.search(r'<input[^>]*value="remove"[^>]*>', page).group(0)
    assert "checked" in chosen
    assert 'value="falsch"' not in page  # the password is never sent back
    db.session.expire_all()
    assert db.session.get(User, anna_world["anna_id"]) is not None


def test_the_last_administrator_cannot_delete_their_account(app, db, users):
    users(email="solo@example.org", display_name="Solo", roles=("participant", "admin"))
    db.session.commit()
    _, response = _delete(app, email="solo@example.org")
    assert response.status_code == 403
    assert find_user_by_email("solo@example.org") is not None


def test_an_admin_deletes_an_account_on_request_with_a_reason(app, db, anna_world):
    admin = logged_in(app, "ada@example.org")
    url = f"/admin/users/{anna_world['anna_id']}/delete"
    assert admin.get(url).status_code == 200
    response = admin.submit(url, {"reason": "", "texts": "keep"})
    assert response.status_code == 422 and find_user_by_email(ANNA["email"]) is not None
    response = admin.submit(url, {"reason": "Brief vom 3. März, Az. 17/2026", "texts": "keep"})
    assert response.status_code == 303
    db.session.expire_all()
    assert find_user_by_email(ANNA["email"]) is None
    entry = db.session.scalar(
        select(ModerationDecision).where(ModerationDecision.action == "delete_account_on_request")
    )
    assert entry.reason == "Brief vom 3. März, Az. 17/2026" and entry.actor_id is not None


@pytest.mark.parametrize("who", ["bert@example.org", "paula@example.org", "mona@example.org"])
def test_only_admins_delete_others(app, db, anna_world, who):
    person = logged_in(app, who)
    url = f"/admin/users/{anna_world['anna_id']}/delete"
    assert person.get(url).status_code == 403
    assert person.submit("/account/", {"reason": "Brief vom 3. März", "texts": "keep"}, action=url).status_code == 403
    assert find_user_by_email(ANNA["email"]) is not None


def test_deletion_needs_a_login_and_the_form_token(app, db, anna_world):
    visitor = Browser(app.test_client())
    assert visitor.get("/account/delete").status_code == 302
    person = logged_in(app, ANNA["email"])
    response = person.client.post("/account/delete", data={"current_password": PASSWORD, "texts": "keep"})
    assert response.status_code in (400, 422)
    assert find_user_by_email(ANNA["email"]) is not None


def test_a_staff_members_work_stays_without_their_name(app, db, anna_world):
    planner = find_user_by_email("paula@example.org")
    answered = db.session.get(Proposal, anna_world["berts_id"])
    proposals.answer(planner, answered, "accepted", "Wir bauen die Radwege.")
    db.session.commit()
    _delete(app, email="paula@example.org")
    db.session.expire_all()
    answered = db.session.get(Proposal, anna_world["berts_id"])
    assert answered.status == "accepted" and answered.answer == "Wir bauen die Radwege."
    entry = db.session.scalar(select(ModerationDecision).where(ModerationDecision.action == "answer_proposal"))
    assert entry.actor_id is None


def test_mail_to_an_address_asked_for_stays_with_its_owner(app, db, anna_world):
    """Anna asks for Bert's address as her new one: deleting her account leaves Bert's mail be."""
    anna = find_user_by_email(ANNA["email"])
    anna.pending_email, anna.pending_email_requested_at = "bert@example.org", utcnow()
    for status in ("pending", "sent"):
        db.session.add(
            OutboxMessage(recipient="bert@example.org", subject="Bert", body_text="b", kind="x", status=status)
        )
    db.session.commit()
    _delete(app)
    db.session.expire_all()
    berts = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == "bert@example.org")).all()
    assert sorted((mail.status, mail.body_text) for mail in berts) == [("pending", "b"), ("sent", "b")]


def test_an_admin_deletes_another_admin_but_never_the_last_active_one(app, db, anna_world, users):
    blocked_admin = users(email="gesperrt@example.org", display_name="Gesperrte Admin", roles=("participant", "admin"))
    blocked_admin.blocked_at = utcnow()
    second = users(email="zweite@example.org", display_name="Zweite Admin", roles=("participant", "admin"))
    db.session.commit()
    ada = logged_in(app, "ada@example.org")
    reason = {"reason": "Brief vom 3. März", "texts": "keep"}
    assert ada.submit(f"/admin/users/{second.id}/delete", reason).status_code == 303
    # Ada is now the only active administrator: the blocked one cannot run the site
    response = ada.submit(f"/admin/users/{blocked_admin.id}/delete", reason)
    assert response.status_code == 303  # a blocked admin may go: Ada stays
    ada_id = find_user_by_email("ada@example.org").id
    assert ada.get(f"/admin/users/{ada_id}/delete").status_code == 200
    assert ada.submit(f"/admin/users/{ada_id}/delete", reason).status_code == 403  # her own: on her page
    _, response = _delete(app, email="ada@example.org")
    assert response.status_code == 403 and "einzige Konto" in response.get_data(as_text=True)
    assert find_user_by_email("ada@example.org") is not None


def test_a_blocked_person_asks_the_administration(app, db, anna_world):
    anna = find_user_by_email(ANNA["email"])
    anna.blocked_at = utcnow()
    db.session.commit()
    person = logged_in(app, ANNA["email"])
    assert person.get("/account/delete").status_code == 403
    response = person.client.post("/account/delete", data={"current_password": PASSWORD, "texts": "keep"})
    assert response.status_code in (400, 403)
    assert find_user_by_email(ANNA["email"]) is not None


def test_guessing_the_password_is_limited_per_account(app, db, anna_world):
    person = logged_in(app, ANNA["email"])
    statuses = [
        person.submit("/account/delete", {"current_password": f"falsch-{n}", "texts": "keep"}).status_code
        for n in range(12)
    ]
    assert statuses[0] == 422 and 429 in statuses
    assert find_user_by_email(ANNA["email"]) is not None


@pytest.mark.parametrize("url", ["/account/delete", "/account/password", "/account/email"])
def test_guessing_the_password_on_an_account_form_counts_as_at_the_login(app, db, anna_world, url):
    """Past the account's limit of failed logins, an address that failed three times there is
    refused on these forms as at the login, also with the right password."""
    app.config["RATELIMIT_LOGIN_ACCOUNT"] = "3 per hour"
    person = logged_in(app, ANNA["email"])
    page = "/account/" if url == "/account/email" else url
    data = {"current_password": "falsch", "texts": "keep", "new_email": "anna.neu@example.org"}
    data.update(password="ein neues langes Passwort", password_confirm="ein neues langes Passwort")
    for _ in range(3):
        assert person.submit(page, data, action=url).status_code == 422
    right = dict(data, current_password=PASSWORD)
    assert person.submit(page, right, action=url).status_code == 429
    assert find_user_by_email(ANNA["email"]) is not None


def test_the_number_of_a_deleted_account_is_never_given_again(app, db, anna_world, users):
    anna_id = anna_world["anna_id"]
    highest = db.session.scalar(select(func.max(User.id)))
    _delete(app)
    newcomer = users(email="neu@example.org", display_name="Neu")
    db.session.commit()
    assert newcomer.id > highest >= anna_id


@pytest.mark.usefixtures("postgres_only")
@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": False}])
def test_two_last_administrators_leaving_at_once_leave_one(app, db, users):
    """Each locks the administrators' roles first: the second finds the first gone."""
    for email in ("eins@example.org", "zwei@example.org"):
        users(email=email, display_name=email.split("@")[0], roles=("participant", "admin"))
    db.session.commit()
    people = [logged_in(app, email) for email in ("eins@example.org", "zwei@example.org")]
    pages = [person.token("/account/delete") for person in people]
    answers = []

    def leave(person, token):
        data = {"current_password": PASSWORD, "texts": "keep", "csrf_token": token}
        answers.append(person.client.post("/account/delete", data=data).status_code)

    at_once(leave, list(zip(people, pages, strict=True)))
    assert sorted(answers) == [303, 403]
    db.session.expire_all()
    assert db.session.scalar(select(func.count(UserRole.user_id)).where(UserRole.role == "admin")) == 1
