"""Daily and weekly digests (issue 21, part 1): who chooses one gets their notifications gathered
into one mail a day or a week, written by `flask --app wsgi mail digest`; running it twice, or on
several hosts at once, sends nothing twice, and a comment hidden meanwhile is left out."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from participation.core.models import utcnow
from participation.mail import digest_sending
from participation.mail.models import MailDigestChoice, MailOptOut, PendingNotification
from tests.conftest import Browser, logged_in, outbox
from tests.drafting import hide_as_spam
from tests.functional.test_notifications import _comment_on_proposal, _db_newest, _proposal, _reply


@pytest.fixture
def people(users):
    return {
        "anna": users(email="anna@example.org", display_name="Anna"),
        "ben": users(email="ben@example.org", display_name="Ben", locale="en"),
        "cara": users(email="cara@example.org", display_name="Cara"),
        "mod": users(email="mod@example.org", display_name="Moderation", roles=("participant", "moderator")),
    }


def _choose(app, email, frequency, wanted=("answers", "replies", "followed_comments")):
    person = logged_in(app, email)
    response = person.submit("/account/", {"wanted": list(wanted), "frequency": frequency}, action="/account/mails")
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    return person


def _run(app) -> str:
    result = app.test_cli_runner().invoke(args=["mail", "digest"])
    assert result.exit_code == 0, result.output
    return result.output


def _age(db, days: float, user) -> None:
    """As if the choice (or the last digest) were `days` old."""
    choice = db.session.get(MailDigestChoice, user.id, populate_existing=True)
    choice.chosen_at -= timedelta(days=days)
    if choice.last_sent_at is not None:
        choice.last_sent_at -= timedelta(days=days)
    db.session.commit()


def _digests(address):
    return [message for message in outbox("digest") if message.recipient == address]


def _pending(db) -> int:
    return db.session.scalar(select(func.count(PendingNotification.id)))


def test_a_daily_digest_gathers_the_day_and_running_twice_sends_nothing_twice(app, db, people):
    anna = _choose(app, "anna@example.org", "daily")
    assert re.search(r'<input checked[^>]*value="daily"', anna.get("/account/").get_data(as_text=True))
    proposal = _proposal(db, people["cara"])
    first = _comment_on_proposal(anna, proposal, "Mein Kommentar")
    ben, cara = logged_in(app, "ben@example.org"), logged_in(app, "cara@example.org")
    assert _reply(ben, first.id, "Antwort von Ben").status_code == 303
    assert _reply(cara, first.id, "Antwort von Cara").status_code == 303
    assert [m for m in outbox("comment_reply") if m.recipient == "anna@example.org"] == []  # gathered
    assert _pending(db) == 2
    assert "digests: 0 queued" in _run(app)  # chosen a minute ago: not due yet
    _age(db, 1, people["anna"])
    assert "digests: 1 queued" in _run(app)
    [digest] = _digests("anna@example.org")
    assert digest.subject == "Ihre tägliche Zusammenfassung"
    assert "Ben hat auf Ihren Kommentar" in digest.body_text and "Cara hat auf Ihren Kommentar" in digest.body_text
    assert digest.body_text.count("Hallo Anna") == 1 and "Antwort von" not in digest.body_text
    assert digest.unsubscribe_url and digest.unsubscribe_url in digest.body_text
    assert _pending(db) == 0
    assert "digests: 0 queued" in _run(app)  # the same day again: nothing twice
    assert len(_digests("anna@example.org")) == 1
    # the next day's reply waits for the next day
    assert _reply(ben, first.id, "Noch eine").status_code == 303
    assert "digests: 0 queued" in _run(app)
    _age(db, 1, people["anna"])
    assert "digests: 1 queued" in _run(app)
    assert len(_digests("anna@example.org")) == 2 and _pending(db) == 0


def test_a_weekly_digest_waits_a_week_and_leaves_out_what_was_hidden(app, db, people):
    _choose(app, "ben@example.org", "weekly")
    proposal = _proposal(db, people["cara"])
    first = _comment_on_proposal(logged_in(app, "ben@example.org"), proposal, "Bens Kommentar")
    anna = logged_in(app, "anna@example.org")
    assert _reply(anna, first.id, "Bleibt").status_code == 303
    assert _reply(anna, first.id, "Wird versteckt").status_code == 303
    hidden = _db_newest(type(first))
    hide_as_spam(people["mod"], people["cara"], hidden)
    db.session.commit()
    _age(db, 3, people["ben"])
    assert "digests: 0 queued" in _run(app)  # three days: not a week
    _age(db, 4, people["ben"])
    assert "digests: 1 queued" in _run(app)
    [digest] = _digests("ben@example.org")
    assert digest.subject == "Your weekly digest"  # Ben reads English
    assert digest.body_text.count("Anna has replied to your comment") == 1
    assert f"/comments/{hidden.id}" not in digest.body_text
    assert _pending(db) == 0


def test_the_digest_s_one_click_link_stops_the_kinds_it_holds_and_immediately_flushes(app, db, people):
    _choose(app, "anna@example.org", "daily")
    proposal = _proposal(db, people["cara"])
    first = _comment_on_proposal(logged_in(app, "anna@example.org"), proposal, "Mein Kommentar")
    ben = logged_in(app, "ben@example.org")
    assert _reply(ben, first.id, "Antwort").status_code == 303
    _age(db, 1, people["anna"])
    _run(app)
    [digest] = _digests("anna@example.org")
    path = digest.unsubscribe_url.split("localhost", 1)[1]
    client = app.test_client(use_cookies=False)
    assert client.post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    stopped = set(db.session.scalars(select(MailOptOut.kind)))
    assert "replies" in stopped and not {"answers", "followed_comments"} & stopped
    assert _reply(ben, first.id, "Noch eine").status_code == 303
    assert _pending(db) == 0  # stopped: not even gathered
    # back to "at once": what waits goes out now, in one mail, and the next comes at once
    visitor = Browser(app.test_client())
    assert visitor.submit(path, {}, action=path.replace("/stop/", "/resume/")).status_code == 303
    assert _reply(ben, first.id, "Eine dritte").status_code == 303
    assert _pending(db) == 1
    _choose(app, "anna@example.org", "immediately")
    assert len(_digests("anna@example.org")) == 2 and _pending(db) == 0
    assert db.session.scalar(select(func.count()).select_from(MailDigestChoice)) == 0
    assert _reply(ben, first.id, "Eine vierte").status_code == 303
    assert len([m for m in outbox("comment_reply") if m.recipient == "anna@example.org"]) == 1
    refused = logged_in(app, "anna@example.org").submit(
        "/account/", {"wanted": ["replies"], "frequency": "hourly"}, action="/account/mails"
    )
    assert refused.status_code == 422


def test_digest_runs_on_several_hosts_at_once_send_each_digest_once(app, db, users, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("row locks with SKIP LOCKED are a PostgreSQL feature; SQLite runs one writer anyway")
    people = [users(email=f"p{n}@example.org", display_name=f"P{n}") for n in range(12)]
    now = utcnow()
    for person in people:
        db.session.add(MailDigestChoice(user_id=person.id, frequency="daily", chosen_at=now - timedelta(days=2)))
        for number in range(3):
            db.session.add(
                PendingNotification(user_id=person.id, kind="replies", subject=f"Nr. {number}", body_text="Text")
            )
    db.session.commit()
    errors, counts = [], []

    def host():
        try:
            with app.app_context():
                counts.append(digest_sending.send_due())
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=host) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and sum(counts) == 12
    db.session.expire_all()
    assert sorted(m.recipient for m in outbox("digest")) == sorted(p.email for p in people)
    assert all(m.body_text.count("Nr. ") == 3 for m in outbox("digest"))
    assert _pending(db) == 0


def test_every_kind_joins_the_digest_as_an_item_without_greeting_or_signature(app, db, people, users):
    from participation.evaluation.services import answer_proposal

    _choose(app, "cara@example.org", "daily", wanted=("answers",))
    proposal = _proposal(db, people["cara"])
    planner = users(email="plan@example.org", display_name="Planung", roles=("participant", "planner"))
    with app.test_request_context("/"):
        answer_proposal(planner, proposal, "accepted", "Wird umgesetzt.")
    db.session.commit()
    [item] = db.session.scalars(select(PendingNotification))
    assert item.kind == "answers" and item.subject == "Die Stadt hat einen Vorschlag beantwortet"
    assert item.body_text.startswith("Die Stadt hat den Vorschlag „Mehr Bänke am Rhein“ beantwortet")
    assert "Hallo" not in item.body_text and "Stadt Köln, Stabsstelle" not in item.body_text
    assert "/mail/stop/" not in item.body_text


def test_a_kind_stopped_while_it_waits_stays_out_of_the_digest(app, db, people):
    anna = _choose(app, "anna@example.org", "daily")
    proposal = _proposal(db, people["cara"])
    first = _comment_on_proposal(anna, proposal, "Mein Kommentar")
    assert _reply(logged_in(app, "ben@example.org"), first.id, "Antwort von Ben").status_code == 303
    assert _pending(db) == 1
    # Anna stops reply mails (the one-click link of an earlier mail, or the profile) while it waits
    _choose(app, "anna@example.org", "daily", wanted=("answers", "followed_comments"))
    _age(db, 1, people["anna"])
    assert "digests: 0 queued" in _run(app)
    assert _digests("anna@example.org") == [] and _pending(db) == 0
