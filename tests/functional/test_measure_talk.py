"""Taking part on measures: following a measure (mail on its updates, in each follower's language,
never to someone who stopped them, never twice), and the threaded comments on published measures
while a phase opens them, with replies, changes, reports and the moderation queues."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from participation.comments.models import Comment
from participation.core.models import utcnow
from participation.extensions import db as _db
from participation.mail.models import MailOptOut
from participation.measures import services
from participation.measures.models import MeasureFollow
from participation.moderation import services as moderation
from participation.phases.models import Phase
from tests.conftest import Browser, logged_in, outbox
from tests.measuring import measure, measure_phase

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def people(users):
    return {
        "anna": users(email="anna@example.org", display_name="Anna"),
        "ben": users(email="ben@example.org", display_name="Ben", locale="en"),
        "cara": users(email="cara@example.org", display_name="Cara"),
        "mod": users(email="mod@example.org", display_name="Moderation", roles=("participant", "moderator")),
        "planner": users(email="plan@example.org", display_name="Planung", roles=("participant", "planner")),
    }


def _mails_to(address):
    return [message for message in outbox() if message.recipient == address]


# --- following ----------------------------------------------------------------------------------


def test_followers_hear_of_updates_in_their_language_once_unless_they_stopped(app, db, people):
    made = measure(db, people["planner"])
    db.session.commit()
    page = f"/measures/{made.id}"
    anna, ben, cara = (logged_in(app, f"{name}@example.org") for name in ("anna", "ben", "cara"))
    for person in (anna, ben, cara):
        done = person.submit(page, {}, action=f"{page}/follow")
        assert done.status_code == 303 and done.headers["Location"].endswith(f"{page}#follow")
    assert anna.submit(page, {}, action=f"{page}/follow").status_code == 303  # twice: still one row
    assert db.session.scalar(select(func.count()).select_from(MeasureFollow)) == 3
    assert "Sie folgen dieser Maßnahme." in anna.get(page).get_data(as_text=True)
    db.session.add(MailOptOut(user_id=people["cara"].id, kind="measures"))
    db.session.commit()

    with app.test_request_context("/"):
        services.post_update(people["planner"], made, "Der Bau hat begonnen.", "Construction has begun.")
        db.session.commit()
    to_anna, to_ben = _mails_to("anna@example.org"), _mails_to("ben@example.org")
    assert len(to_anna) == 1 and len(to_ben) == 1 and _mails_to("cara@example.org") == []
    assert "Glasfaser für alle Schulen" in to_anna[0].body_text and "Der Bau hat begonnen." in to_anna[0].body_text
    assert "Fibre for every school" in to_ben[0].body_text and "Construction has begun." in to_ben[0].body_text
    assert f"/measures/{made.id}" in to_anna[0].body_text and to_anna[0].unsubscribe_url

    # Anna stops following: the next update reaches Ben alone
    assert "Nicht mehr folgen" in anna.get(page).get_data(as_text=True)
    assert anna.submit(page, {}, action=f"{page}/unfollow").status_code == 303
    with app.test_request_context("/"):
        services.post_update(people["planner"], made, "Fertig.")
        db.session.commit()
    assert len(_mails_to("anna@example.org")) == 1 and len(_mails_to("ben@example.org")) == 2


def test_following_refusals(app, db, people):
    made = measure(db, people["planner"])
    draft = measure(db, people["planner"], public=False, title_de="Entwurf einer Maßnahme")
    db.session.commit()
    visitor = Browser(app.test_client())
    answer = visitor.client.post(f"/measures/{made.id}/follow", data={"csrf_token": visitor.token()})
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]
    assert "Anmelden" in visitor.get(f"/measures/{made.id}").get_data(as_text=True)
    anna = logged_in(app, "anna@example.org")
    assert anna.client.post(f"/measures/{made.id}/follow", data={}).status_code == 400  # no CSRF token
    assert anna.submit("/", {}, action=f"/measures/{draft.id}/follow").status_code == 404
    assert anna.submit("/", {}, action="/measures/999999/follow").status_code == 404
    # the planner sees the draft, yet nobody follows or discusses a draft
    assert logged_in(app, "plan@example.org").submit("/", {}, action=f"/measures/{draft.id}/follow").status_code == 404
    assert db.session.scalar(select(func.count()).select_from(MeasureFollow)) == 0


# --- comments -----------------------------------------------------------------------------------


def test_closed_without_a_phase_with_the_situation_sentence(app, db, people):
    made = measure(db, people["planner"])
    db.session.commit()
    measure_phase(db, running=False)
    anna = logged_in(app, "anna@example.org")
    page = anna.get(f"/measures/{made.id}").get_data(as_text=True)
    assert "Kommentare zu Maßnahmen sind derzeit nicht möglich." in page
    assert "Maßnahmen diskutieren" in page  # when the next phase starts
    assert f'action="/measures/{made.id}/comments"' not in page
    refused = anna.submit(f"/measures/{made.id}", {"body": "Gut so"}, action=f"/measures/{made.id}/comments")
    assert refused.status_code == 403
    text = refused.get_data(as_text=True)
    assert "Kommentare zu Maßnahmen sind derzeit nicht möglich." in text and "Die nächste Phase" in text
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 0


def test_comment_reply_edit_delete_on_a_measure(app, db, people):
    made = measure(db, people["planner"])
    draft = measure(db, people["planner"], public=False, title_de="Geheim")
    measure_phase(db)
    page = f"/measures/{made.id}"
    anna, ben = logged_in(app, "anna@example.org"), logged_in(app, "ben@example.org")
    assert "Diese Maßnahme kommentieren" in anna.get(page).get_data(as_text=True)

    empty = anna.submit(page, {"body": ""}, action=f"{page}/comments")
    assert empty.status_code == 422 and "Bitte schreiben Sie Ihren Kommentar." in empty.get_data(as_text=True)
    sent = anna.submit(page, {"body": "Bitte auch die Berufskollegs", "kind": "addition"}, action=f"{page}/comments")
    comment = db.session.scalar(select(Comment))
    assert sent.status_code == 303 and sent.headers["Location"].endswith(f"{page}?page=last#comment-{comment.id}")
    assert (comment.measure_id, comment.chapter_id, comment.proposal_id) == (made.id, None, None)
    shown = ben.get(page).get_data(as_text=True)
    assert "Bitte auch die Berufskollegs" in shown and f"/comments/{comment.id}/reply" in shown
    assert f"/comments/{comment.id}/report" in shown

    # a reply leads back to the measure's thread
    form = ben.get(f"/comments/{comment.id}/reply").get_data(as_text=True)
    assert "Back to the measure" in form and "Fibre for every school" in form
    replied = ben.submit(f"/comments/{comment.id}/reply", {"body": "Und die Förderschulen"})
    reply = db.session.scalar(select(Comment).where(Comment.parent_id == comment.id))
    assert replied.status_code == 303 and replied.headers["Location"].endswith(f"{page}#comment-{reply.id}")
    assert reply.measure_id == made.id and reply.root_id == comment.id
    assert ben.get(f"/comments/{reply.id}").headers["Location"].endswith(f"{page}#comment-{reply.id}")

    # the author edits (others may not) and deletes; the reply stays in the thread
    assert ben.get(f"/comments/{comment.id}/edit").status_code == 403
    assert f"/comments/{comment.id}/edit" in anna.get(page).get_data(as_text=True)
    assert f"/comments/{comment.id}/edit" not in ben.get(page).get_data(as_text=True)
    edited = anna.submit(f"/comments/{comment.id}/edit", {"body": "Auch Berufskollegs, bitte"})
    assert edited.status_code == 303 and edited.headers["Location"].endswith(f"#comment-{comment.id}")
    assert anna.submit(f"/comments/{comment.id}/delete", {}).status_code == 303
    shown = ben.get(page).get_data(as_text=True)
    assert "Auch Berufskollegs" not in shown and "Und die Förderschulen" in shown

    # the phase ends: no new comment, no reply, no change; deleting stays possible
    _db.session.execute(_db.update(Phase).values(ends_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    assert ben.submit(page, {"body": "Zu spät"}, action=f"{page}/comments").status_code == 403
    assert anna.get(f"/comments/{reply.id}/reply").status_code == 403
    assert ben.get(f"/comments/{reply.id}/edit").status_code == 403
    assert ben.submit(f"/comments/{reply.id}/delete", {}).status_code == 303

    # drafts are not discussed; anonymous visitors are sent to log in
    assert anna.submit(page, {"body": "x"}, action=f"/measures/{draft.id}/comments").status_code == 404
    visitor = Browser(app.test_client())
    answer = visitor.client.post(f"{page}/comments", data={"body": "x", "csrf_token": visitor.token()})
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]


def test_reports_premoderation_and_queues_show_the_measure(app, db, people):
    made = measure(db, people["planner"])
    measure_phase(db)
    page = f"/measures/{made.id}"
    admin_settings = {"hide_threshold": "3", "premoderation": "first", "premoderation_first": "1"}
    people["admin"] = _admin(app, db)
    assert logged_in(app, "admin@example.org").submit("/admin/settings", admin_settings).status_code == 303
    anna, ben = logged_in(app, "anna@example.org"), logged_in(app, "ben@example.org")
    anna.submit(page, {"body": "Erster Kommentar zur Glasfaser"}, action=f"{page}/comments")
    held = db.session.scalar(select(Comment))
    assert held.status == "pending" and "Erster Kommentar" not in ben.get(page).get_data(as_text=True)
    mod = logged_in(app, "mod@example.org")
    queue = mod.get("/moderation/new").get_data(as_text=True)
    assert "Erster Kommentar zur Glasfaser" in queue
    assert f'href="/measures/{made.id}#comment-{held.id}"' in queue and "Zur Maßnahme" in queue
    assert "Erster Kommentar" in mod.get("/moderation/new?topic=infrastructure").get_data(as_text=True)
    assert "Erster Kommentar" not in mod.get("/moderation/new?topic=education").get_data(as_text=True)
    assert mod.submit("/moderation/new", {"quick": f"comment:{held.id}"}, action="/moderation/new").status_code == 303
    assert "Erster Kommentar zur Glasfaser" in ben.get(page).get_data(as_text=True)

    # Ben reports it; the reported queue shows where it is
    reported = ben.submit(f"/comments/{held.id}/report", {"reason": "insult", "note": "unhöflich"})
    assert reported.status_code == 303 and reported.headers["Location"].endswith(f"{page}#comment-{held.id}")
    queue = mod.get("/moderation/reported").get_data(as_text=True)
    assert "Erster Kommentar zur Glasfaser" in queue and f'href="/measures/{made.id}#comment-{held.id}"' in queue
    # hidden by the moderation: a placeholder on the page, nothing in the API
    decision = moderation.Decision("reported", "hide", "insult")
    assert moderation.decide(people["mod"], db.session.get(Comment, held.id), decision) is None
    db.session.commit()
    assert "Erster Kommentar zur Glasfaser" not in ben.get(page).get_data(as_text=True)
    assert json.loads(ben.get("/api/v1/comments").get_data())["items"] == []
    # the author's contributions name the measure
    assert "zur Maßnahme" in anna.get("/account/contributions").get_data(as_text=True)


def _admin(app, db):
    from tests.factories import UserFactory

    admin = UserFactory(email="admin@example.org", display_name="Ada", roles=("participant", "admin"))
    db.session.commit()
    return admin


def test_published_comments_on_measures_in_the_api_and_not_in_the_draft_exports(app, db, people):
    made = measure(db, people["planner"])
    measure_phase(db)
    anna = logged_in(app, "anna@example.org")
    anna.submit(f"/measures/{made.id}", {"body": "Gute Sache"}, action=f"/measures/{made.id}/comments")
    items = json.loads(anna.get("/api/v1/comments").get_data())["items"]
    assert [(item["measure_id"], item["proposal_id"], item["chapter_id"]) for item in items] == [(made.id, None, None)]
    # the comments export holds comments on proposals and the draft only
    exported = logged_in(app, "plan@example.org").get("/planning/exports/comments.json")
    assert exported.status_code == 200 and json.loads(exported.get_data())["comments"] == []


def test_xss_in_a_comment_and_a_measure_title_is_escaped(app, db, people):
    made = measure(db, people["planner"], title_de=HOSTILE, title_en=HOSTILE)
    measure_phase(db)
    page = f"/measures/{made.id}"
    anna = logged_in(app, "anna@example.org")
    anna.submit(page, {"body": HOSTILE}, action=f"{page}/comments")
    comment = db.session.scalar(select(Comment))
    moderation.flag(people["ben"], comment, "spam")
    db.session.commit()
    for browser, url in (
        (anna, page),
        (anna, f"/comments/{comment.id}/reply"),
        (anna, f"/comments/{comment.id}/edit"),
        (logged_in(app, "mod@example.org"), "/moderation/reported"),
        (anna, "/account/contributions"),
    ):
        html = browser.get(url).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html, url


def test_the_phase_lists_name_comments_on_measures(app, db, people):
    measure_phase(db)
    _admin(app, db)
    admin = logged_in(app, "admin@example.org")
    assert "Kommentare zu Maßnahmen" in admin.get("/admin/phases").get_data(as_text=True)
    home = Browser(app.test_client()).get("/").get_data(as_text=True)
    assert "Maßnahmen kommentieren" in home and 'href="/measures/"' in home
    phases = json.loads(Browser(app.test_client()).get("/api/v1/phases").get_data())["items"]
    assert phases[0]["opens"] == ["measure_comments"]
