"""Hostile text in what issue 19 lets people write: comments on measures (typed and stored, on the
measure's page, the reply form and the moderation queues) and the advisory boards' statements
(typed and stored, on the form, with the version and with the report)."""

from __future__ import annotations

from itertools import islice

import pytest
from flask import render_template_string
from sqlalchemy import select

from participation.comments.models import Comment
from participation.comments.services import add_comment
from participation.core import composition
from participation.moderation import services as moderation
from participation.reporting import advice
from tests.conftest import logged_in
from tests.functional.test_statements import _report
from tests.measuring import measure, measure_phase, organisation, verified_member
from tests.xss import check, page_problems, payloads

PAYLOADS = payloads()


@pytest.fixture
def app_config():
    return {"RATELIMIT_ENABLED": False}  # hundreds of payloads from one person


def test_comments_on_measures_typed_and_stored(app, db, users, sqlite_only):
    author = users(email="kim@example.org")
    reader = users(email="lou@example.org")
    users(email="mod@example.org", roles=("participant", "moderator"))
    made = measure(db, title_de=PAYLOADS[0][:200] or "x", title_en=PAYLOADS[1][:200] or "x")
    measure_phase(db)
    kim = logged_in(app, "kim@example.org")
    page = f"/measures/{made.id}"
    token = kim.token(page)
    for payload in islice(PAYLOADS, 0, None, 7):  # typed: shown again with an error (too long)
        response = kim.client.post(f"{page}/comments", data={"csrf_token": token, "body": payload + "x" * 5001})
        assert response.status_code == 422
        check(response, ("comment form", payload))
    for payload in PAYLOADS:
        comment = add_comment(author, payload, None, measure=made)
        moderation.flag(reader, comment, "spam")
    db.session.commit()
    for number in range(1, 4):
        check(kim.get(f"{page}?page={number}"), ("measure page", number))
    first = db.session.scalar(select(Comment.id).order_by(Comment.id))
    check(kim.get(f"/comments/{first}/reply"), "reply form")
    mod = logged_in(app, "mod@example.org")
    check(mod.get("/moderation/reported"), "reported queue")


def test_statements_typed_and_stored(app, db, users, draft, sqlite_only):
    member = users(email="kim@example.org")
    board = organisation(db, PAYLOADS[2][:150] or "Beirat", kind="advisory_board")
    verified_member(db, member, board)
    report = _report(db)
    kim = logged_in(app, "kim@example.org")
    urls = (
        f"/statements/version/{draft.number}/board/{board.id}",
        f"/statements/report/{report.id}/board/{board.id}",
    )
    token = kim.token(urls[0])
    for payload in islice(PAYLOADS, 0, None, 7):
        for url in urls:
            response = kim.client.post(url, data={"csrf_token": token, "body": payload + "x" * 20_001})
            assert response.status_code == 422
            check(response, ("statement form", payload))
    for payload in islice(PAYLOADS, 0, None, 3):
        advice.publish_statement(member, board, payload or "x", version=draft)
        advice.publish_statement(member, board, payload or "x", report=report)
        db.session.commit()
        check(kim.get(urls[0]), ("statement form", payload))
        check(kim.get(f"/masterplan/{draft.number}/"), ("version", payload))
        with app.test_request_context("/"):
            html = render_template_string(
                '{% include "reporting/_statements.html" %}', **composition.gathered("reporting.report", report)
            )
        assert page_problems(html) == [], ("report", payload)
