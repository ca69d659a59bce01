"""Hostile text in announcements (issue 21, point 2): titles and texts typed by a planner, echoed in
the form, shown in the preview (site and mail), on the public list and page, on the home page, in
the planners' list and in the Atom feed."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import islice

import pytest

from participation.announcements import sending, services
from tests.conftest import Browser, logged_in
from tests.xss import check, page_problems, payloads

PAYLOADS = payloads()
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": False}])
def test_hostile_announcements_on_every_page_that_shows_them(app, db, users, sqlite_only):
    planner_account = users(email="plan@example.org", roles=("participant", "planner"))
    planner = logged_in(app, "plan@example.org")
    visitor = Browser(app.test_client())
    sample = list(islice(PAYLOADS, 0, len(PAYLOADS), 8))
    published = []
    for number, payload in enumerate(sample):
        title = payload.strip()[:150] or "x"
        # typed into the form with an error (the German text missing): echoed back
        check(planner.submit("/planning/announcements/new", {"title_de": title, "title_en": title}), ("form", number))
        announcement = services.create(
            planner_account,
            {"title_de": title, "title_en": payload[::-1].strip()[:150], "body_de": payload or "x", "body_en": payload},
        )
        db.session.commit()
        check(planner.get(f"/planning/announcements/{announcement.id}"), ("preview", number))
        check(planner.get(f"/planning/announcements/{announcement.id}/publish"), ("confirm", number))
        if number % 4 == 0:
            services.publish(planner_account, announcement)
            published.append(announcement)
            db.session.commit()
            for headers in ({}, {"Accept-Language": "en"}):
                check(visitor.get(f"/announcements/{announcement.id}", headers=headers), ("page", number))
                check(visitor.get("/", headers=headers), ("home", number))
    check(planner.get("/planning/announcements/"), "planners' list")
    check(visitor.get("/announcements/"), "list")
    feed = ET.fromstring(visitor.get("/announcements/feed.xml").data)  # noqa: S314 (our own output, under test)
    assert {element.tag.removeprefix(ATOM) for element in feed.iter()} <= {
        "feed",
        "title",
        "id",
        "link",
        "updated",
        "author",
        "name",
        "entry",
        "published",
        "content",
    }
    contents = [entry.findtext(f"{ATOM}content") or "" for entry in feed.iter(f"{ATOM}entry")]
    assert contents and [page_problems(content) for content in contents if page_problems(content)] == []
    # the mail is plain text: its subject is one line, so that no title can add a header
    for announcement in published:
        for locale in ("de", "en"):
            assert not re.search(r"[\r\n]", sending.mail_texts(announcement, locale)[0])
