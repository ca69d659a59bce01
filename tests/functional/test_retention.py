"""Retention (issue 20, part 4): `flask --app wsgi privacy purge` deletes accounts never confirmed
and blanks old mail, keeps what must stay, says what it removed, changes nothing when run again
and counts every row once when two purges run at once on PostgreSQL. No client address reaches
the database at all; in the rate-limit store each count expires with its window."""

from __future__ import annotations

import json
import shutil
import threading
from datetime import timedelta

import pytest
import redis
from bs4 import BeautifulSoup
from sqlalchemy import func, select, update

from participation.accounts.models import ReservedDisplayName, User, UserRole, find_user_by_email
from participation.core.audit import ModerationDecision
from participation.core.models import utcnow
from participation.extensions import db as _db
from participation.mail import delivery
from participation.mail.models import FAILED, PENDING, SENT, MailOptOut, OutboxMessage
from participation.mail.services import queue_mail
from participation.privacy import retention
from tests.conftest import Browser, outbox
from tests.factories import PASSWORD
from tests.functional.test_auth import REGISTRATION
from tests.functional.test_redis_outage import fresh_limiter_state, redis_server  # noqa: F401
from tests.serving import needs

PURGE_ACTIONS = ("delete_unconfirmed_accounts", "purge_mail_contents", "purge_pending_emails")


@pytest.fixture
def app_config(request):
    """Rate limits in memory; a test that asks for `redis_server` counts them in a Redis of its own."""
    if "redis_server" in request.fixturenames:
        server = request.getfixturevalue("redis_server")
        return {"RATELIMIT_STORAGE_URI": server.url, "REDIS_URL": server.url}
    return {}


def days_ago(days: float):
    return utcnow() - timedelta(days=days)


def register(app, email: str, name: str) -> User:
    """Register through the form, as a person does: an unconfirmed account and its confirmation mail."""
    browser = Browser(app.test_client())
    response = browser.submit("/register", dict(REGISTRATION, email=email, display_name=name))
    assert response.status_code == 302
    return find_user_by_email(email)


def age(db, user: User, days: float) -> None:
    """Move the account's registration, and the mail sent to it then, `days` into the past."""
    then = days_ago(days)
    db.session.execute(update(User).where(User.id == user.id).values(created_at=then, updated_at=then))
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.recipient == user.email)
        .values(created_at=then, status=SENT, sent_at=then, attempts=1, last_attempt_at=then)
    )
    db.session.commit()


def mail(to: str, status: str, days: float, kind: str = "password_changed") -> int:
    """A mail finished (or queued, if pending) `days` ago."""
    message = queue_mail(to, kind, "Your password was changed", user={"display_name": "Kim"})
    then = days_ago(days)
    message.created_at = then
    message.status = status
    message.unsubscribe_url = "https://example.org/mail/stop/token-of-kim"
    if status != PENDING:
        message.attempts, message.last_attempt_at = 1, then
    if status == SENT:
        message.sent_at = then
    if status == FAILED:
        message.last_error = f"SMTPDataError: 550 mailbox {to} unavailable"
    _db.session.commit()
    return message.id


def purge_command(app) -> str:
    result = app.test_cli_runner().invoke(args=["privacy", "purge"])
    assert result.exit_code == 0, result.output
    _db.session.rollback()
    _db.session.expire_all()
    return result.output


def purge_entries() -> list[dict]:
    decisions = _db.session.scalars(
        select(ModerationDecision).where(ModerationDecision.action.in_(PURGE_ACTIONS)).order_by(ModerationDecision.id)
    )
    return [{"action": d.action, "actor": d.actor_id, **json.loads(d.state_after)} for d in decisions]


def test_an_old_unconfirmed_account_goes_with_its_rows_and_mail_and_recent_or_confirmed_ones_stay(app, db, users):
    old = register(app, "alt@example.org", "Nie bestätigt")
    recent = register(app, "neu@example.org", "Gerade angemeldet")
    confirmed = users(email="treu@example.org", display_name="Bestätigt")
    # someone tried the old account's address again long ago: the name they asked for was kept taken for it
    db.session.add(ReservedDisplayName(canonical="zweiter versuch", user_id=old.id))
    db.session.add(MailOptOut(user_id=old.id, kind="decision"))
    db.session.commit()
    age(db, old, 31)
    age(db, recent, 29)
    age(db, confirmed, 400)
    old_id, old_mail = old.id, outbox("confirm_email")[0].id

    output = purge_command(app)
    assert "unconfirmed accounts deleted: 1 " in output and "with the content of 1 mails to them" in output
    assert "unconfirmed accounts kept" not in output
    assert db.session.get(User, old_id) is None
    assert {u.email for u in db.session.scalars(select(User))} == {"neu@example.org", "treu@example.org"}
    # its own rows went with it, on SQLite too (no cascade there): nothing points at a missing account
    assert db.session.scalar(select(func.count()).select_from(UserRole).where(UserRole.user_id == old_id)) == 0
    assert db.session.scalar(select(func.count(ReservedDisplayName.user_id))) == 0
    assert db.session.scalar(select(func.count(MailOptOut.id))) == 0
    sent = db.session.get(OutboxMessage, old_mail)
    assert (sent.recipient, sent.subject, sent.body_text) == ("", "", "") and sent.purged_at is not None
    assert sent.kind == "confirm_email" and sent.status == SENT and sent.message_id
    # the address and the names are free again: the person may register anew
    again = register(app, "alt@example.org", "Zweiter Versuch")
    assert again is not None and again.id != old_id and again.display_name == "Zweiter Versuch"


def test_an_unconfirmed_account_that_anything_refers_to_is_kept(app, db, users):
    """Such an account cannot log in or contribute today; if something refers to it all the same
    (old data, an admin's decision), deleting it would lose or orphan that: it stays."""
    from participation.accounts.blocking import block_user
    from tests.proposing import propose

    admin = users(email="admin@example.org", roles=("participant", "admin"))
    author = users(email="autorin@example.org", display_name="Autorin", confirmed=False)
    propose(author, "Offenes WLAN am Dom", "Ein Vorschlag aus alten Zeiten.")
    blocked = users(email="gesperrt@example.org", confirmed=False)
    block_user(admin, blocked, "Spam", None)
    staff = users(email="team@example.org", roles=("participant", "moderator"), confirmed=False)
    logged_in_once = users(email="frueher@example.org", confirmed=False)
    logged_in_once.last_login_at = days_ago(200)
    plain = users(email="niemand@example.org", confirmed=False)
    db.session.commit()
    for person in (author, blocked, staff, logged_in_once, plain):
        age(db, person, 60)

    output = purge_command(app)
    assert "unconfirmed accounts deleted: 1 " in output
    assert "unconfirmed accounts kept: 4 " in output
    assert find_user_by_email("niemand@example.org") is None
    for email in ("autorin@example.org", "gesperrt@example.org", "team@example.org", "frueher@example.org"):
        assert find_user_by_email(email) is not None, email
    blocks = select(func.count(ModerationDecision.id)).where(ModerationDecision.action == "block_user")
    assert db.session.scalar(blocks) == 1


def test_an_account_with_a_link_still_valid_stays_until_the_link_expires(app, db):
    old = register(app, "vergessen@example.org", "Vergesslich")
    age(db, old, 45)
    # "Forgot your password?": its link sets the password and confirms the address
    browser = Browser(app.test_client())
    assert browser.submit("/password/forgot", {"email": "vergessen@example.org"}).status_code == 200
    assert len(outbox("reset_password")) == 1

    assert "unconfirmed accounts kept: 1 " in purge_command(app)
    assert find_user_by_email("vergessen@example.org") is not None
    later = retention.purge(now=utcnow() + app.config["PASSWORD_RESET_MAX_AGE"] + timedelta(minutes=1))
    assert later.accounts == 1
    db.session.expire_all()
    assert find_user_by_email("vergessen@example.org") is None


def test_old_mail_is_blanked_and_never_sent_again_while_recent_and_unsent_mail_stays(app, db):
    old_sent = mail("kim@example.org", SENT, 91)
    recent_sent = mail("kim@example.org", SENT, 89)
    old_failed = mail("alex@example.org", FAILED, 95)
    recent_failed = mail("alex@example.org", FAILED, 10)
    waiting = mail("sam@example.org", PENDING, 120)  # the worker was down: unsent mail is never touched

    output = purge_command(app)
    assert "mail contents deleted: 2 (sent or given up before " in output
    for message_id in (old_sent, old_failed):
        message = db.session.get(OutboxMessage, message_id)
        assert (message.recipient, message.subject, message.body_text) == ("", "", "")
        assert message.unsubscribe_url is None and message.last_error is None and message.purged_at is not None
        # what "never twice" and the statistics need stays
        assert message.kind == "password_changed" and message.message_id and message.attempts == 1
    assert db.session.get(OutboxMessage, old_sent).status == SENT and db.session.get(OutboxMessage, old_sent).sent_at
    assert db.session.get(OutboxMessage, old_failed).status == FAILED
    for message_id in (recent_sent, recent_failed, waiting):
        message = db.session.get(OutboxMessage, message_id)
        assert message.recipient and message.body_text and message.purged_at is None

    # the worker sends the waiting mail and nothing that was purged; a purged failed mail is not queued again
    runner = app.test_cli_runner()
    retry = runner.invoke(args=["outbox", "retry", str(old_failed)])
    assert retry.exit_code != 0 and "content was deleted" in retry.output
    assert runner.invoke(args=["outbox", "retry", "--all"]).exit_code == 0
    sent_now: list = []
    delivery.BACKENDS["record"] = sent_now.append
    app.config["MAIL_BACKEND"] = "record"
    try:
        assert delivery.deliver_pending() == (2, 0)
    finally:
        del delivery.BACKENDS["record"]
    assert sorted(message.id for message in sent_now) == sorted([recent_failed, waiting])
    db.session.expire_all()
    assert db.session.get(OutboxMessage, old_failed).status == FAILED
    listing = runner.invoke(args=["outbox", "failed"]).output
    assert "(content deleted by privacy purge)" in listing and "alex" not in listing


def test_the_purge_says_what_it_removed_audits_counts_only_and_changes_nothing_when_run_again(app, db):
    old = register(app, "alt@example.org", "Nie bestätigt")
    age(db, old, 31)
    for _ in range(3):
        mail("kim@example.org", SENT, 100)

    first = purge_command(app)
    assert first.splitlines()[0].startswith("unconfirmed accounts deleted: 1 (registered before ")
    assert "mail contents deleted: 3 " in first
    assert "client addresses: none in the database" in first
    entries = purge_entries()
    assert [(e["action"], e["actor"]) for e in entries] == [
        ("delete_unconfirmed_accounts", None),
        ("purge_mail_contents", None),
    ]
    assert entries[0]["accounts"] == 1 and entries[0]["their_mail_blanked"] == 1 and entries[1]["messages"] == 3
    logged = " ".join(d.state_after or "" for d in db.session.scalars(select(ModerationDecision)))
    assert "@" not in logged and "Nie bestätigt" not in logged and "alt" not in logged
    assert set(entries[0]) == {"action", "actor", "accounts", "registered_before", "their_mail_blanked"}

    second = purge_command(app)
    assert "unconfirmed accounts deleted: 0 " in second and "mail contents deleted: 0 " in second
    assert purge_entries() == entries  # nothing removed, nothing logged


def test_the_audit_log_shows_the_purge_as_counts_without_a_record_number(app, db, users):
    users(email="admin@example.org", roles=("participant", "admin"))
    mail("kim@example.org", SENT, 100)
    purge_command(app)
    admin = Browser(app.test_client())
    assert admin.login("admin@example.org", PASSWORD).status_code == 302
    page = admin.get("/admin/audit", query_string={"target_type": "retention"})
    assert page.status_code == 200
    [row] = BeautifulSoup(page.get_data(as_text=True), "html.parser").find("tbody").find_all("tr")
    cells = [cell.get_text(" ", strip=True) for cell in row.find_all(["td", "th"])]
    assert cells[1] in ("system", "System")  # no person did it
    assert not cells[3].endswith("0")  # the rule, not a record: no number
    assert '"messages": 1' in cells[-1] and "kim" not in row.get_text()


@pytest.mark.parametrize("app_config", [{"TRUSTED_PROXIES": 1}])
def test_no_client_address_reaches_the_database(app, db, users):
    """The rate limits and the login throttle count client addresses in their own store; nothing
    a visitor does writes one into any table (so the purge has none to remove)."""
    users(email="owner@example.org")
    # as sent by the proxy, and the part of it that any stored form (an IPv6 /64 key) would hold
    addresses = {"198.51.100.77": "198.51.100.77", "2001:db8:77:1::5": "2001:db8:77:1"}
    for number, address in enumerate(addresses):
        client = app.test_client()
        client.environ_base["HTTP_X_FORWARDED_FOR"] = address
        person = Browser(client)
        registration = dict(REGISTRATION, email=f"new{number}@example.org", display_name=f"Neu {number}")
        assert person.submit("/register", registration).status_code == 302
        assert person.login("owner@example.org", "ein falsches Passwort").status_code == 422
        assert person.submit("/password/forgot", {"email": "owner@example.org"}).status_code == 200
        assert person.login("owner@example.org").status_code == 302
        assert person.get("/account/").status_code == 200
        person.logout()
    assert "client addresses: none in the database" in purge_command(app)

    found = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)).all():
            for value in row:
                text = value.decode("latin-1") if isinstance(value, bytes) else value
                if isinstance(text, str) and any(part in text for part in addresses.values()):
                    found.append((table.name, text[:80]))
    assert found == []


@needs(bool(shutil.which("redis-server")), "needs redis-server (apt package redis-server)")
def test_in_the_rate_limit_store_an_address_lives_only_as_long_as_its_window(app, users, redis_server):  # noqa: F811
    """The store holds the counts per address; each expires with its limit's window, the longest
    a day (100 comments a day), so none outlives it."""
    users(email="owner@example.org")
    person = Browser(app.test_client())
    person.client.environ_base["REMOTE_ADDR"] = "198.51.100.78"
    for _ in range(4):  # the throttle's pair of account and address counts from the third failure
        assert person.login("owner@example.org", "ein falsches Passwort").status_code == 422
    registration = dict(REGISTRATION, email="xaver@example.org", display_name="Xaver")
    assert person.submit("/register", registration).status_code == 302
    store = redis.Redis(port=redis_server.port, socket_timeout=2)
    keys = [key for key in store.keys("*") if b"198.51.100.78" in key]
    assert len(keys) >= 3, store.keys("*")  # the login route's two limits and the throttle's pair at least
    for key in keys:
        assert 0 < store.ttl(key) <= 24 * 3600, (key, store.ttl(key))


def test_two_purges_at_once_on_postgresql_count_every_row_once(app, db, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("row locks with SKIP LOCKED are what PostgreSQL hosts share; SQLite runs one writer anyway")
    then = days_ago(40)
    people = [
        User(
            email=f"p{n}@example.org",
            password_hash="x",
            display_name=f"P {n}",
            display_name_canonical=f"p {n}",
            stakeholder_group="residents",
            created_at=then,
            updated_at=then,
        )
        for n in range(300)
    ]
    db.session.add_all(people)
    db.session.flush()
    db.session.add_all(UserRole(user_id=person.id, role="participant") for person in people)
    sent = days_ago(100)
    db.session.add_all(
        OutboxMessage(
            recipient=f"p{n}@example.org" if n < 300 else "kim@example.org",
            subject="Ihr Passwort wurde geändert",
            body_text="Hallo",
            kind="password_changed",
            status=SENT,
            created_at=sent,
            sent_at=sent,
        )
        for n in range(1500)
    )
    db.session.commit()

    results, errors = [], []
    start = threading.Barrier(2)

    def purge():
        try:
            with app.app_context():
                start.wait()
                results.append(retention.purge(batch=7))
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=purge) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(r.accounts for r in results) == 300
    assert sum(r.mail_of_accounts + r.mail for r in results) == 1500
    db.session.expire_all()
    assert db.session.scalar(select(func.count(User.id))) == 0
    assert db.session.scalar(select(func.count(UserRole.user_id))) == 0
    assert db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.purged_at.is_(None))) == 0
    entries = purge_entries()
    assert sum(e.get("accounts", 0) for e in entries) == 300
    assert sum(e.get("messages", 0) + e.get("their_mail_blanked", 0) for e in entries) == 1500
    # and once more: nothing left, nothing counted
    again = retention.purge(batch=7)
    assert (again.accounts, again.mail) == (0, 0)


def test_a_new_address_whose_link_expired_is_forgotten_and_a_waiting_one_stays(app, db, users):
    from participation.auth import address

    expired = [users(email=f"alt{n}@example.org") for n in range(3)]
    waiting = users(email="wartend@example.org")
    for n, user in enumerate(expired):
        address.request_change(user, f"neu{n}@example.org")
        user.pending_email_requested_at = utcnow() - timedelta(hours=25)
    address.request_change(waiting, "bald@example.org")
    db.session.commit()

    output = purge_command(app)
    assert "unconfirmed new email addresses deleted: 3 (asked for before " in output
    for user in expired:
        user = db.session.get(User, user.id)
        assert (user.pending_email, user.pending_email_requested_at) == (None, None)
    waiting = db.session.get(User, waiting.id)
    assert waiting.pending_email == "bald@example.org" and waiting.pending_email_requested_at is not None
    [entry] = [e for e in purge_entries() if e["action"] == "purge_pending_emails"]
    assert (entry["actor"], entry["requests"]) == (None, 3) and set(entry) == {
        "action",
        "actor",
        "requests",
        "asked_before",
    }
    assert "unconfirmed new email addresses deleted: 0 " in purge_command(app)
    assert len([e for e in purge_entries() if e["action"] == "purge_pending_emails"]) == 1


def test_expired_new_addresses_are_purged_in_batches(app, db, users):
    from participation.auth import address

    for n in range(5):
        user = users(email=f"alt{n}@example.org")
        address.request_change(user, f"neu{n}@example.org")
        user.pending_email_requested_at = utcnow() - timedelta(days=3)
    db.session.commit()
    assert retention.purge(batch=2).pending_emails == 5
    _db.session.expire_all()
    counts = [e["requests"] for e in purge_entries() if e["action"] == "purge_pending_emails"]
    assert counts == [2, 2, 1]
    assert db.session.scalar(select(func.count(User.id)).where(User.pending_email.is_not(None))) == 0
