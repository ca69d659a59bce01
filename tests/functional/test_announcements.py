"""Announcements (issue 21, point 2): the double opt-in, the planners' writing, preview and
sending, the one-click stop link, queuing in batches that survive a crash, and the public pages."""

from __future__ import annotations

import io
import json
import re
import threading
import xml.etree.ElementTree as ET
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from participation.announcements import sending, subscriptions
from participation.announcements.models import Announcement, AnnouncementSubscription
from participation.core.audit import ModerationDecision
from participation.core.models import utcnow
from participation.mail.models import OutboxMessage
from tests.conftest import Browser, csrf_token_from, logged_in, outbox

ATOM = "{http://www.w3.org/2005/Atom}"


def _subscribe(app, email: str) -> Browser:
    """Tick the box on the profile and open the mailed link, as the person would."""
    person = logged_in(app, email)
    response = person.submit("/account/", {"wanted": "y"}, action="/announcements/subscription")
    assert response.status_code == 303
    mail = [m for m in outbox("announcement_confirm") if m.recipient == email][-1]
    link = re.search(r"https?://\S+/announcements/confirm/\S+", mail.body_text).group(0)
    assert person.get(link.split("localhost", 1)[1]).status_code == 200
    return person


def _write(planner: Browser, **values) -> int:
    data = {"title_de": "Entwurf 2 ist online", "title_en": "Draft 2 is online", "body_de": "Jetzt **kommentieren**."}
    data.update(values)
    response = planner.submit("/planning/announcements/new", data)
    assert response.status_code == 303, response.get_data(as_text=True)
    return int(re.search(r"/planning/announcements/(\d+)", response.headers["Location"]).group(1))


def _publish(planner: Browser, announcement_id: int):
    url = f"/planning/announcements/{announcement_id}/publish"
    return planner.submit(url, {})


def test_opting_in_is_never_preselected_and_needs_the_mailed_link(app, db, users):
    resident = users(email="res@example.org")
    person = logged_in(app, "res@example.org")
    page = person.get("/account/").get_data(as_text=True)
    box = re.search(r'<input[^>]*id="announcements-wanted"[^>]*>', page).group(0)
    assert "checked" not in box
    # the button alone, without the box ticked, asks for nothing
    person.submit("/account/", {}, action="/announcements/subscription")
    assert db.session.get(AnnouncementSubscription, resident.id) is None and outbox("announcement_confirm") == []
    person.submit("/account/", {"wanted": "y"}, action="/announcements/subscription")
    row = db.session.get(AnnouncementSubscription, resident.id)
    assert row.requested_at is not None and row.confirmed_at is None
    assert not subscriptions.is_subscribed(resident)
    waiting = person.get("/account/").get_data(as_text=True)
    assert "Ankündigungen kommen per Mail, sobald Sie ihn geöffnet haben" in waiting
    (mail,) = outbox("announcement_confirm")
    link = re.search(r"https?://\S+", mail.body_text).group(0).split("localhost", 1)[1]
    assert Browser(app.test_client()).get(link.replace("/confirm/", "/confirm/x")).status_code == 404
    # opened in another browser (a phone): the link is the proof, no login needed
    assert Browser(app.test_client()).get(link).status_code == 200
    db.session.expire_all()
    row = db.session.get(AnnouncementSubscription, resident.id)
    assert row.confirmed_at is not None and row.stop_token
    assert "Ankündigungen per Mail abbestellen" in person.get("/account/").get_data(as_text=True)
    # stopped on the profile: the row is gone, and the old confirmation link does not bring it back
    person.submit("/account/", {}, action="/announcements/subscription/stop")
    assert db.session.get(AnnouncementSubscription, resident.id) is None
    assert Browser(app.test_client()).get(link).status_code == 404
    assert db.session.get(AnnouncementSubscription, resident.id) is None


def test_a_newer_request_or_another_address_retires_the_link(app, db, users):
    resident = users(email="res@example.org")
    person = logged_in(app, "res@example.org")
    person.submit("/account/", {"wanted": "y"}, action="/announcements/subscription")
    first = link_of(outbox("announcement_confirm")[0])
    row = db.session.get(AnnouncementSubscription, resident.id)
    row.requested_at = utcnow() - timedelta(minutes=5)  # the newer request comes a moment later
    db.session.commit()
    person.submit("/account/", {"wanted": "y"}, action="/announcements/subscription")
    assert Browser(app.test_client()).get(first).status_code == 404
    second = link_of(outbox("announcement_confirm")[-1])
    resident.email = "new@example.org"
    db.session.commit()
    assert Browser(app.test_client()).get(second).status_code == 404
    assert not subscriptions.is_subscribed(resident)


def link_of(message) -> str:
    return re.search(r"https?://\S+", message.body_text).group(0).split("localhost", 1)[1]


def test_planner_writes_previews_and_sends_to_confirmed_subscribers_only(app, db, users):
    users(email="plan@example.org", roles=("participant", "planner"))
    for name in ("de", "en", "unconfirmed", "blocked", "deleted", "stopped", "never"):
        users(email=f"{name}@example.org", locale="en" if name == "en" else "de")
    for name in ("de", "en", "blocked", "deleted", "stopped"):
        _subscribe(app, f"{name}@example.org")
    logged_in(app, "unconfirmed@example.org").submit("/account/", {"wanted": "y"}, action="/announcements/subscription")
    stopper = logged_in(app, "stopped@example.org")
    stopper.submit("/account/", {}, action="/announcements/subscription/stop")
    from participation.accounts.models import find_user_by_email

    find_user_by_email("blocked@example.org").blocked_at = utcnow()
    find_user_by_email("deleted@example.org").anonymised_at = utcnow()
    db.session.commit()

    planner = logged_in(app, "plan@example.org")
    announcement_id = _write(planner, body_de="Jetzt **kommentieren**: <script>alert(1)</script>")
    page = planner.get(f"/planning/announcements/{announcement_id}").get_data(as_text=True)
    assert "<strong>kommentieren</strong>" in page and "<script>alert" not in page
    # the mail preview in each reader's language: the subject in the German mail is German
    assert "Announcement: Entwurf 2 ist online" not in page
    assert "Ankündigung: Entwurf 2 ist online" in page and "Announcement: Draft 2 is online" in page
    # a draft is the planners' own
    assert Browser(app.test_client()).get(f"/announcements/{announcement_id}").status_code == 404
    confirm = planner.get(f"/planning/announcements/{announcement_id}/publish").get_data(as_text=True)
    assert "an 2 Konten, die Ankündigungen bestellt haben" in confirm  # not the blocked or deleted ones
    assert outbox("announcement") == []
    response = _publish(planner, announcement_id)
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/announcements/{announcement_id}")
    mails = outbox("announcement")
    assert sorted(m.recipient for m in mails) == ["de@example.org", "en@example.org"]
    by_address = {m.recipient: m for m in mails}
    assert by_address["en@example.org"].subject == "Announcement: Draft 2 is online"
    assert by_address["de@example.org"].subject == "Ankündigung: Entwurf 2 ist online"
    for message in mails:
        assert message.unsubscribe_url in message.body_text
        assert "/announcements/stop/" in message.unsubscribe_url
        assert message.message_id == f"<announcement.{announcement_id}.{message.user_id}@localhost>"
    announcement = db.session.get(Announcement, announcement_id)
    assert announcement.queued_count == 2 and announcement.queued_at is not None
    actions = set(db.session.scalars(select(ModerationDecision.action)))
    assert {"announcement_created", "announcement_published"} <= actions
    # sent is sent: no second publishing, no change
    assert _publish(planner, announcement_id).status_code == 409
    assert (
        planner.submit(f"/planning/announcements/{announcement_id}", {"title_de": "Neu", "body_de": "x"}).status_code
        == 409
    )
    assert len(outbox("announcement")) == 2


def test_the_stop_link_takes_a_one_click_post_without_login_or_token(app, db, users):
    resident = users(email="res@example.org")
    users(email="plan@example.org", roles=("participant", "planner"))
    _subscribe(app, "res@example.org")
    planner = logged_in(app, "plan@example.org")
    _publish(planner, _write(planner))
    (mail,) = outbox("announcement")
    path = mail.unsubscribe_url.split("localhost", 1)[1]
    mail.status = "sent"  # delivered: it stays in the outbox (and the person's data download)
    db.session.commit()
    mail_program = app.test_client()
    # opening the link (a scanner would) only asks
    assert mail_program.get(path).status_code == 200
    assert subscriptions.is_subscribed(resident)
    one_click = {"data": "List-Unsubscribe=One-Click", "content_type": "application/x-www-form-urlencoded"}
    assert mail_program.post(path.replace("/stop/", "/stop/x"), **one_click).status_code == 404
    assert mail_program.post(path).status_code == 400  # without the one-click body: nothing happens
    assert subscriptions.is_subscribed(resident)
    response = mail_program.post(path, **one_click)
    assert response.status_code == 200
    db.session.expire_all()
    assert not subscriptions.is_subscribed(resident)
    assert mail_program.post(path, **one_click).status_code == 404
    # subscribed again: a new link; the old one stays dead
    _subscribe(app, "res@example.org")
    assert mail_program.post(path, **one_click).status_code == 404
    assert subscriptions.is_subscribed(resident)
    assert len(outbox("announcement")) == 1


def test_stopping_withdraws_announcement_mails_not_yet_sent(app, db, users):
    resident = users(email="res@example.org")
    users(email="plan@example.org", roles=("participant", "planner"))
    person = _subscribe(app, "res@example.org")
    planner = logged_in(app, "plan@example.org")
    _publish(planner, _write(planner))
    assert len(outbox("announcement")) == 1
    person.submit("/account/", {}, action="/announcements/subscription/stop")
    assert outbox("announcement") == [] and not subscriptions.is_subscribed(resident)
    assert len(outbox("announcement_confirm")) == 1  # other mail stays


def test_smtp_mail_carries_list_unsubscribe_and_one_click_post(app, db, users, monkeypatch):
    import smtplib

    from participation.mail import delivery

    sent = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def send_message(self, message):
            sent.append(message)

    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    users(email="res@example.org")
    users(email="plan@example.org", roles=("participant", "planner"))
    _subscribe(app, "res@example.org")
    planner = logged_in(app, "plan@example.org")
    _publish(planner, _write(planner))
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="mail.example.org", MAIL_PORT=25, MAIL_USE_TLS=False)
    ids = [m.id for m in outbox("announcement")]
    delivery.deliver_pending(only_ids=ids)
    (message,) = sent
    (row,) = outbox("announcement")
    assert message["List-Unsubscribe"] == f"<{row.unsubscribe_url}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def _subscribers(db, count: int, **extra) -> list[int]:
    from tests.factories import UserFactory

    ids = []
    for number in range(count):
        person = UserFactory(email=f"sub{number}@example.org", display_name=f"Sub {number}", **extra)
        db.session.flush()
        db.session.add(
            AnnouncementSubscription(
                user_id=person.id, requested_at=utcnow(), confirmed_at=utcnow(), stop_token=f"tok.{number}"
            )
        )
        ids.append(person.id)
    db.session.commit()
    return ids


def _published(db) -> Announcement:
    announcement = Announcement(title_de="Neue Phase", body_de="Text", published_at=utcnow())
    db.session.add(announcement)
    db.session.commit()
    return announcement


def _queued_per_person(db, announcement_id: int) -> dict[int, int]:
    rows = db.session.execute(
        select(OutboxMessage.user_id, func.count())
        .where(OutboxMessage.message_id.like(f"<announcement.{announcement_id}.%"))
        .group_by(OutboxMessage.user_id)
    )
    return dict(rows.all())


def test_a_crash_after_the_first_batch_and_a_rerun_queue_everyone_exactly_once(app, db):
    ids = _subscribers(db, 7)
    announcement = _published(db)
    calls = []

    def commit_then_crash():
        db.session.commit()
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("the sender dies after its first batch")

    with pytest.raises(RuntimeError):
        sending.queue_all(announcement, batch_size=3, commit=commit_then_crash)
    db.session.rollback()
    assert sorted(_queued_per_person(db, announcement.id)) == ids[:3]
    runner = app.test_cli_runner()
    result = runner.invoke(args=["announcements", "send", "--batch-size", "3"])
    assert result.exit_code == 0, result.output
    assert "4 mails queued" in result.output
    assert _queued_per_person(db, announcement.id) == dict.fromkeys(ids, 1)
    db.session.expire_all()
    assert db.session.get(Announcement, announcement.id).queued_at is not None
    # and a third run finds nothing to do
    assert "mails queued" not in runner.invoke(args=["announcements", "send"]).output
    assert len(outbox("announcement")) == 7


def test_a_batch_that_fails_midway_leaves_nothing_behind(app, db, monkeypatch):
    """The cursor moves in the batch's own transaction: a batch rolled back is queued again, whole."""
    ids = _subscribers(db, 4)
    announcement = _published(db)
    assert sending.queue_batch(announcement, batch_size=2) == 2
    db.session.rollback()
    assert _queued_per_person(db, announcement.id) == {}
    assert sending.queue_all(announcement, batch_size=2, commit=db.session.commit) == 4
    assert _queued_per_person(db, announcement.id) == dict.fromkeys(ids, 1)


def test_two_senders_at_once_queue_everyone_once(app, db, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    ids = _subscribers(db, 60)
    announcement_id = _published(db).id
    start = threading.Barrier(2)
    errors = []

    def sender():
        with app.app_context():
            try:
                start.wait()
                announcement = db.session.get(Announcement, announcement_id)
                sending.queue_all(announcement, batch_size=7, commit=db.session.commit)
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    db.session.expire_all()
    assert _queued_per_person(db, announcement_id) == dict.fromkeys(ids, 1)
    assert db.session.get(Announcement, announcement_id).queued_count == 60


def test_published_announcements_on_the_site_in_the_feed_and_on_the_home_page(app, db, users, client):
    users(email="plan@example.org", roles=("participant", "planner"))
    planner = logged_in(app, "plan@example.org")
    first = _write(planner, title_de="Erste Nachricht", title_en="")
    _publish(planner, first)
    second = _write(planner)
    _publish(planner, second)
    draft = _write(planner, title_de="Noch nicht", title_en="Not yet")
    listing = client.get("/announcements/").get_data(as_text=True)
    assert "Entwurf 2 ist online" in listing and "Erste Nachricht" in listing and "Noch nicht" not in listing
    english = client.get(f"/announcements/{second}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Draft 2 is online" in english and "<strong>kommentieren</strong>" in english
    assert client.get(f"/announcements/{draft}").status_code == 404
    home = client.get("/").get_data(as_text=True)
    assert f'/announcements/{second}"' in home and "Erste Nachricht" not in home
    response = client.get("/announcements/feed.xml")
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.get_data())  # noqa: S314 (our own feed)
    titles = [entry.find(f"{ATOM}title").text for entry in feed.findall(f"{ATOM}entry")]
    assert titles == ["Entwurf 2 ist online", "Erste Nachricht"]
    content = feed.find(f"{ATOM}entry/{ATOM}content").text
    assert "<strong>kommentieren</strong>" in content


def test_only_planners_and_admins_write_and_send(app, db, users, client):
    users(email="res@example.org")
    resident = logged_in(app, "res@example.org")
    assert client.get("/planning/announcements/").status_code == 302
    assert resident.get("/planning/announcements/").status_code == 403
    token = csrf_token_from(resident.get("/account/").get_data(as_text=True))
    response = resident.client.post(
        "/planning/announcements/new", data={"csrf_token": token, "title_de": "x", "body_de": "y"}
    )
    assert response.status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Announcement)) == 0


def test_the_data_download_holds_the_subscription_and_deletion_removes_it(app, db, users):
    from participation.privacy.deletion import delete_account

    resident = users(email="res@example.org")
    person = _subscribe(app, "res@example.org")
    response = person.submit("/account/data", {})
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        data = json.loads(archive.read("data.json"))
    (row,) = data["announcement_subscription"]
    assert row["requested_at"] and row["confirmed_at"]
    delete_account(resident)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(AnnouncementSubscription)) == 0
