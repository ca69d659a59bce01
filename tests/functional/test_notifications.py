"""Notifications people expect (issue 21, part 1): a reply to my comment, a new comment on a
chapter, proposal, measure or organisation I follow; each kind can be stopped, and every such mail
carries a one-click unsubscribe (RFC 8058) that a mail program posts without a session."""

from __future__ import annotations

import smtplib

import pytest
from sqlalchemy import func, select

from participation.core.settings import change_settings
from participation.drafts.following import ChapterFollow
from participation.mail import services as mail_services
from participation.mail.models import MailOptOut
from participation.mail.notifications import opt_out_token
from participation.moderation import services as moderation
from participation.organisations.following import OrganisationFollow
from participation.organisations.models import VERIFIED, Membership, Organisation
from participation.proposals import services as proposals
from tests.conftest import Browser, logged_in, outbox
from tests.drafting import open_phase

HOSTILE = '<script>alert("x")</script>'


@pytest.fixture
def people(users):
    return {
        "anna": users(email="anna@example.org", display_name="Anna"),
        "ben": users(email="ben@example.org", display_name="Ben", locale="en"),
        "cara": users(email="cara@example.org", display_name="Cara"),
        "mod": users(email="mod@example.org", display_name="Moderation", roles=("participant", "moderator")),
    }


def _mails_to(address, kind=None):
    return [message for message in outbox(kind) if message.recipient == address]


def _path(url: str) -> str:
    return url.split("localhost", 1)[1]


def _reply(browser, comment_id: int, text: str):
    page = f"/comments/{comment_id}/reply"
    return browser.submit(page, {"body": text}, action=page)


def _proposal(db, author, title="Mehr Bänke am Rhein"):
    open_phase(db, votes=False, comments=False, proposals=True, supports=True)
    proposal = proposals.submit(author, title, f"{title}: damit alle sitzen können.", "smart_city")
    db.session.commit()
    return proposal


def _comment_on_proposal(browser, proposal, text):
    page = f"/proposals/{proposal.id}"
    response = browser.submit(page, {"body": text}, action=f"{page}/comments")
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    from participation.comments.models import Comment

    return _db_newest(Comment)


def _db_newest(model):
    from participation.extensions import db

    return db.session.scalar(select(model).order_by(model.id.desc()).limit(1))


# --- replies ---------------------------------------------------------------------------------------


def test_a_reply_mails_the_author_of_the_comment_in_their_language_never_for_their_own(app, db, people):
    proposal = _proposal(db, people["cara"])
    ben, anna = logged_in(app, "ben@example.org"), logged_in(app, "anna@example.org")
    first = _comment_on_proposal(ben, proposal, "Gute Idee, aber wo genau?")
    assert _reply(ben, first.id, "Ich antworte mir selbst.").status_code == 303
    assert _mails_to("ben@example.org", "comment_reply") == []  # never for one's own reply
    assert _reply(anna, first.id, f"Am Rheinufer in Deutz. {HOSTILE}").status_code == 303
    [mail] = _mails_to("ben@example.org", "comment_reply")
    assert mail.subject == "A reply to your comment"  # Ben reads English
    assert "Anna has replied to your comment on the proposal “Mehr Bänke am Rhein”." in mail.body_text
    assert "Deutz" not in mail.body_text and HOSTILE not in mail.body_text  # where, not the text
    reply_id = _db_newest(type(first)).id
    assert f"/comments/{reply_id}" in mail.body_text and mail.unsubscribe_url in mail.body_text
    assert "/mail/stop/" in mail.unsubscribe_url


def test_a_held_reply_mails_only_once_approved_and_a_hidden_one_never(app, db, people):
    proposal = _proposal(db, people["cara"])
    ben = logged_in(app, "ben@example.org")
    first = _comment_on_proposal(ben, proposal, "Erster Kommentar")
    change_settings(people["mod"], {"premoderation": "all"})
    db.session.commit()
    anna = logged_in(app, "anna@example.org")
    assert _reply(anna, first.id, "Wartet auf die Moderation").status_code == 303
    assert _reply(anna, first.id, "Wird versteckt").status_code == 303
    held, hidden = [c for c in _all_comments() if c.parent_id == first.id]
    assert held.status == hidden.status == "pending"
    assert _mails_to("ben@example.org", "comment_reply") == []
    assert moderation.decide(people["mod"], hidden, moderation.Decision("new", "hide", "spam")) is None
    db.session.commit()
    assert _mails_to("ben@example.org", "comment_reply") == []
    assert moderation.decide(people["mod"], held, moderation.Decision("new", "approve")) is None
    db.session.commit()
    [mail] = _mails_to("ben@example.org", "comment_reply")
    assert f"/comments/{held.id}" in mail.body_text and f"/comments/{hidden.id}" not in mail.body_text
    # Anna corrects her reply: it waits again, and its approval tells nobody a second time
    page = f"/comments/{held.id}/edit"
    assert anna.submit(page, {"body": "Wartet auf die Moderation (korrigiert)"}).status_code == 303
    db.session.refresh(held)
    assert held.status == "pending"
    assert moderation.decide(people["mod"], held, moderation.Decision("new", "approve")) is None
    db.session.commit()
    assert len(_mails_to("ben@example.org", "comment_reply")) == 1


def _all_comments():
    from participation.comments.models import Comment
    from participation.extensions import db

    return list(db.session.scalars(select(Comment).order_by(Comment.id)))


# --- one-click unsubscribe (RFC 8058) -------------------------------------------------------------


def _reply_mail(app, db, people):
    proposal = _proposal(db, people["cara"])
    first = _comment_on_proposal(logged_in(app, "anna@example.org"), proposal, "Mein Kommentar")
    ben = logged_in(app, "ben@example.org")
    assert _reply(ben, first.id, "Eine Antwort").status_code == 303
    [mail] = _mails_to("anna@example.org", "comment_reply")
    return first, ben, mail


def test_one_click_post_without_cookies_or_csrf_stops_the_kind_and_get_only_asks(app, db, people):
    first, ben, mail = _reply_mail(app, db, people)
    path = _path(mail.unsubscribe_url)
    scanner = app.test_client()  # a mail scanner opening the link: shows the question, stops nothing
    asked = scanner.get(path)
    assert asked.status_code == 200 and "Diese E-Mails abbestellen?" in asked.get_data(as_text=True)
    assert 'name="List-Unsubscribe" value="One-Click"' in asked.get_data(as_text=True)
    assert db.session.scalar(select(func.count(MailOptOut.id))) == 0
    mail_program = app.test_client(use_cookies=False)
    done = mail_program.post(path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert db.session.scalar(select(MailOptOut.kind)) == "replies"
    assert mail_program.post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200  # twice: same
    assert db.session.scalar(select(func.count(MailOptOut.id))) == 1
    # the next reply brings no mail; the page now offers to undo it
    assert _reply(ben, first.id, "Noch eine Antwort").status_code == 303
    assert len(_mails_to("anna@example.org", "comment_reply")) == 1
    visitor = Browser(app.test_client())
    assert "Rückgängig" in visitor.get(path).get_data(as_text=True)
    assert visitor.submit(path, {}, action=path.replace("/stop/", "/resume/")).status_code == 303
    assert db.session.scalar(select(func.count(MailOptOut.id))) == 0


def test_a_forged_or_foreign_link_or_a_post_without_the_one_click_body_changes_nothing(app, db, people):
    _first, _ben, mail = _reply_mail(app, db, people)
    path = _path(mail.unsubscribe_url)
    client = app.test_client(use_cookies=False)
    token = path.rsplit("/", 1)[1]
    for forged in ("/mail/stop/forged-token", f"/mail/stop/{token[:-3]}abc", f"/mail/stop/{token}x"):
        assert client.post(forged, data={"List-Unsubscribe": "One-Click"}).status_code == 404, forged
    assert client.post(path, data={}).status_code == 400  # not the RFC 8058 body
    assert client.post(path, data={"List-Unsubscribe": "One-Click-Please"}).status_code == 400
    # a kind that does not exist, signed by someone who does not know the key
    from itsdangerous import URLSafeSerializer

    other = URLSafeSerializer("not-the-key", salt="mail-opt-out").dumps([people["anna"].id, "replies", "x"])
    assert client.post(f"/mail/stop/{other}", data={"List-Unsubscribe": "One-Click"}).status_code == 404
    # the link of another kind or person stops only that
    with app.test_request_context("/"):
        bens = opt_out_token(people["ben"], "answers")
    assert client.post(f"/mail/stop/{bens}", data={"List-Unsubscribe": "One-Click"}).status_code == 200
    assert set(db.session.execute(select(MailOptOut.user_id, MailOptOut.kind))) == {(people["ben"].id, "answers")}
    # the undo still needs its CSRF token
    assert client.post(path.replace("/stop/", "/resume/")).status_code == 400


def test_every_notification_carries_list_unsubscribe_and_list_unsubscribe_post(app, db, people, monkeypatch):
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

    _first, _ben, mail = _reply_mail(app, db, people)
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    app.config.update(MAIL_BACKEND="smtp", MAIL_USE_TLS=False, MAIL_USERNAME="")
    assert mail_services.deliver_pending()[0] >= 1
    by_recipient = {message["To"]: message for message in sent}
    message = by_recipient["anna@example.org"]
    assert message["List-Unsubscribe"] == f"<{mail.unsubscribe_url}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


# --- following -------------------------------------------------------------------------------------


def test_followers_of_a_chapter_hear_of_new_comments_and_answers_there(app, db, people, draft):
    chapter = draft.chapters[0]
    page = f"/masterplan/chapters/{chapter.id}"
    cara = logged_in(app, "cara@example.org")
    html = cara.get(page).get_data(as_text=True)
    assert "Diesem Kapitel folgen" in html
    assert cara.submit(page, {"choice": "follow"}, action=f"{page}/follow").status_code == 303
    assert cara.submit(page, {"choice": "follow"}, action=f"{page}/follow").status_code == 303  # still one
    assert db.session.scalar(select(func.count(ChapterFollow.id))) == 1
    assert "Sie folgen diesem Kapitel." in cara.get(page).get_data(as_text=True)
    anna = logged_in(app, "anna@example.org")
    paragraph = chapter.paragraphs[0]
    on_paragraph = f"/masterplan/paragraphs/{paragraph.id}/comments"
    assert anna.submit(page, {"body": "Zum Absatz"}, action=on_paragraph).status_code == 303
    comment = _db_newest(type(_all_comments()[0]))
    [mail] = _mails_to("cara@example.org", "comment_followed")
    assert "Anna hat einen neuen Kommentar zu Absatz" in mail.body_text and f"/comments/{comment.id}" in mail.body_text
    # an answer there: Cara as follower, Anna as the one answered (once each, never both kinds)
    ben = logged_in(app, "ben@example.org")
    assert _reply(ben, comment.id, "Antwort").status_code == 303
    assert len(_mails_to("cara@example.org", "comment_followed")) == 2
    assert len(_mails_to("anna@example.org")) == 1 and _mails_to("anna@example.org", "comment_reply")
    # Cara's own comment does not mail Cara
    assert (
        cara.submit(page, {"body": "Selbst"}, action=f"/masterplan/chapters/{chapter.id}/comments").status_code == 303
    )
    assert len(_mails_to("cara@example.org", "comment_followed")) == 2
    assert cara.submit(page, {"choice": "unfollow"}, action=f"{page}/follow").status_code == 303
    assert db.session.scalar(select(func.count(ChapterFollow.id))) == 0
    assert "Diesem Kapitel folgen" in cara.get(page).get_data(as_text=True)


def test_followers_of_a_proposal_hear_of_comments_unless_they_stopped_that_kind(app, db, people):
    proposal = _proposal(db, people["cara"])
    for email in ("ben@example.org", "cara@example.org"):
        follower = logged_in(app, email)
        page = f"/proposals/{proposal.id}"
        assert follower.submit(page, {"choice": "follow"}, action=f"{page}/follow").status_code == 303
    logged_in(app, "cara@example.org").submit(
        "/account/", {"wanted": ["answers", "replies"]}, action="/account/mails"
    )  # Cara keeps everything but the comments on what she follows
    _comment_on_proposal(logged_in(app, "anna@example.org"), proposal, "Ein neuer Kommentar")
    [mail] = _mails_to("ben@example.org", "comment_followed")
    assert mail.subject == "A new comment on something you follow" and "the proposal “Mehr Bänke" in mail.body_text
    assert _mails_to("cara@example.org", "comment_followed") == []


def test_following_an_organisation_brings_its_statements(app, db, people):
    organisation = Organisation(name="RheinEnergie", kind="municipal_company")
    db.session.add(organisation)
    db.session.flush()
    db.session.add(Membership(user_id=people["anna"].id, organisation_id=organisation.id, status=VERIFIED))
    db.session.commit()
    proposal = _proposal(db, people["cara"])
    ben = logged_in(app, "ben@example.org")
    action = f"/organisations/{organisation.id}/follow"
    done = ben.submit("/", {"choice": "follow"}, action=action)
    assert done.status_code == 303 and done.headers["Location"].endswith(f"/organisations/{organisation.id}#follow")
    assert db.session.scalar(select(OrganisationFollow.user_id)) == people["ben"].id
    unconfirmed = Browser(app.test_client())
    assert unconfirmed.client.post(action, data={"choice": "follow"}).status_code == 400  # no CSRF token
    anna = logged_in(app, "anna@example.org")
    page = f"/proposals/{proposal.id}"
    data = {"body": "Unsere Stellungnahme", "organisation": str(organisation.id)}
    assert anna.submit(page, data, action=f"{page}/comments").status_code == 303
    [mail] = _mails_to("ben@example.org", "comment_followed")
    assert "RheinEnergie has written a new comment" in mail.body_text
    assert ben.submit("/", {"choice": "unfollow"}, action=action).status_code == 303
    assert db.session.scalar(select(func.count(OrganisationFollow.id))) == 0
    assert logged_in(app, "cara@example.org").submit("/", {"choice": "x"}, action=action).status_code == 400
    assert ben.submit("/", {"choice": "follow"}, action="/organisations/999999/follow").status_code == 404
