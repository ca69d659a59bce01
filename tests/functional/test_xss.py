"""XSS: the naughty-strings corpus goes through every field that holds user text, and every
page showing it is parsed for anything our templates would not make."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from itertools import islice

import openpyxl
import pytest
from sqlalchemy import select

from participation.accounts.models import canonical_display_name
from participation.auth.services import create_user
from participation.comments.models import Comment
from participation.core.models import utcnow
from participation.pages.models import Page
from tests.conftest import Browser
from tests.xss import check, page_problems, payloads

PAYLOADS = payloads()
ATOM_ELEMENTS = {
    "feed",
    "title",
    "id",
    "link",
    "updated",
    "entry",
    "published",
    "author",
    "name",
    "category",
    "content",
}


def test_page_checker_catches_injected_markup():
    assert page_problems('<p><img src=x onerror="alert(1)"></p>') == ["<img>", "img[onerror]"]
    assert page_problems('<a href="javascript:alert(1)">x</a>') == ["a[href]='javascript:alert(1)'"]
    assert page_problems('<a href=" java\tscript:x">x</a>')
    assert page_problems("<p style='x'>x</p><svg><script>1</script></svg>")
    assert page_problems('<p>&lt;script&gt;</p><a href="/x">y</a>') == []


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": False}])  # else a 429 page after 5 posts
def test_typed_text_echoed_back_in_forms(app, db, users, sqlite_only):
    users(email="root@example.org", roles=("participant", "admin"))
    visitor = Browser(app.test_client())
    token = visitor.token("/register")
    admin = Browser(app.test_client())
    admin.login("root@example.org")
    for payload in PAYLOADS:
        response = visitor.client.post(
            "/register",
            data={
                "csrf_token": token,
                "email": payload,
                "display_name": payload,
                "stakeholder_group": payload,
                "password": "x",
                "password_confirm": "y",
            },
        )
        assert response.status_code == 422, ("register", payload, response.status_code)  # the form, not a 429
        check(response, ("register", payload))
        check(
            visitor.client.post(
                "/login", data={"csrf_token": token, "email": payload, "password": "x", "next": payload}
            ),
            ("login", payload),
        )
        check(
            visitor.client.post("/password/forgot", data={"csrf_token": token, "email": payload}), ("forgot", payload)
        )
        check(admin.get("/admin/users", query_string={"q": payload}), ("search", payload))


def test_stored_text_on_every_page_that_shows_it(app, db, users, sqlite_only):
    users(email="root@example.org", roles=("participant", "admin"))
    seen = set()
    stored = []
    for number, payload in enumerate(PAYLOADS):
        name = payload.strip()[:40] or "x"
        if canonical_display_name(name) in seen or len(canonical_display_name(name)) == 0:
            name = f"{number}{name}"[:40]
        seen.add(canonical_display_name(name))
        user = create_user(f"user{number}@example.org", name, "password-irrelevant", "residents", confirmed=True)
        user.display_name, user.display_name_canonical = name, canonical_display_name(name)  # as stored, unvalidated
        user.blocked_at, user.blocked_reason = utcnow(), payload[:500]
        db.session.add(
            Page(slug=f"p{number}", title_de=payload[:150], title_en=payload[:150], body_de=payload, body_en=payload)
        )
        stored.append(user)
    db.session.commit()

    admin = Browser(app.test_client())
    admin.login("root@example.org")
    pages = admin.get("/admin/users")
    check(pages, "user list")
    for page in range(2, len(PAYLOADS) // 25 + 2):
        check(admin.get(f"/admin/users?page={page}"), ("user list", page))
    check(admin.get("/admin/pages"), "page list")
    for number, user in enumerate(stored):
        check(admin.get(f"/admin/users/{user.id}"), ("user", PAYLOADS[number]))
        check(admin.get(f"/pages/p{number}"), ("page", PAYLOADS[number]))
        check(admin.get(f"/pages/p{number}", headers={"Accept-Language": "en"}), ("page en", PAYLOADS[number]))
    # the header and the blocked banner show one's own name and block reason
    for user in islice(stored, 0, None, 20):
        person = Browser(app.test_client())
        assert person.login(user.email, "password-irrelevant").status_code == 302
        check(person.get("/"), ("own header", user.display_name))
        check(person.get("/account/"), ("own profile", user.display_name))


def test_draft_texts_and_comments_on_every_page_that_shows_them(app, db, users, sqlite_only):
    from participation.comments.services import add_comment
    from participation.drafts import services
    from participation.drafts.models import Chapter, Paragraph
    from tests.drafting import open_phase

    open_phase(db)
    users(email="plan@example.org", roles=("participant", "planner"))
    author = users(email="author@example.org")
    version = services.create_version(None, PAYLOADS[0][:200])
    for number, payload in enumerate(PAYLOADS):
        chapter = Chapter(position=number + 1, title=payload.strip()[:200] or "x", introduction=payload)
        chapter.paragraphs.append(Paragraph(position=1, text=payload, subheading=payload.strip()[:200] or None))
        version.chapters.append(chapter)
    version.summary_of_changes = PAYLOADS[1]
    services.open_consultation(None, version)
    db.session.flush()
    for chapter, payload in zip(version.chapters, PAYLOADS, strict=True):
        paragraph = chapter.paragraphs[0]
        parent = add_comment(author, payload, None, chapter, paragraph)
        add_comment(author, payload, None, chapter, parent=parent)
        add_comment(author, payload, None, chapter)
    copy = services.copy_version(None, version)
    for chapter in copy.chapters:
        chapter.paragraphs[0].text = chapter.paragraphs[0].text[::-1]
    services.open_consultation(None, copy)
    db.session.commit()

    reader = Browser(app.test_client())
    reader.login("author@example.org")
    check(reader.get(f"/masterplan/{version.number}/"), "contents")
    check(reader.get(f"/masterplan/compare?from={version.number}&to={copy.number}"), "comparison")
    planner = Browser(app.test_client())
    planner.login("plan@example.org")
    check(planner.get(f"/planning/versions/{version.number}"), "planning version")
    check(planner.get("/planning/exports/"), "exports, chapter titles as filter options")
    check(reader.get("/report/"), "the public report: chapter titles in a chart and a table")
    check(planner.get("/planning/report/"), "the planners' report")
    for payload in PAYLOADS[:50]:
        check(planner.get("/planning/exports/", query_string={"topic": payload, "chapter": payload}), "filters")
    # the same texts in the downloads: the files still open and hold them as text
    book = openpyxl.load_workbook(io.BytesIO(planner.get("/planning/exports/all.xlsx").get_data()))
    assert book["Stimmen je Absatz"].max_row == 1 + 2 * len(PAYLOADS)  # both versions' paragraphs
    assert len(json.loads(planner.get("/planning/exports/comments.json").get_data())["comments"]) == 3 * len(PAYLOADS)
    for number, chapter in enumerate(version.chapters):
        paragraph = chapter.paragraphs[0]
        check(reader.get(f"/masterplan/chapters/{chapter.id}"), ("chapter", PAYLOADS[number]))
        check(reader.get(f"/masterplan/paragraphs/{paragraph.id}"), ("paragraph", PAYLOADS[number]))
        if number % 10 == 0:
            check(reader.get(f"/masterplan/chapters/{chapter.id}/opinions"), ("opinions", PAYLOADS[number]))
            check(planner.get(f"/planning/chapters/{chapter.id}"), ("planning chapter", PAYLOADS[number]))
            check(planner.get(f"/planning/paragraphs/{paragraph.id}"), ("planning paragraph", PAYLOADS[number]))
            comment = db.session.scalar(select(Comment).where(Comment.paragraph_id == paragraph.id).limit(1))
            check(reader.get(f"/comments/{comment.id}/reply"), ("reply form", PAYLOADS[number]))


def test_proposals_typed_and_stored_on_every_page_that_shows_them(app, db, users, sqlite_only):
    from participation.comments.services import add_comment
    from participation.proposals import services
    from participation.proposals.models import PUBLISHED, Proposal
    from tests.drafting import open_phase

    open_phase(db, votes=False, comments=False, proposals=True, supports=True)
    author = users(email="author@example.org")
    users(email="mod@example.org", roles=("participant", "moderator"))
    users(email="plan@example.org", roles=("participant", "planner"))
    db.session.commit()
    writer = Browser(app.test_client())
    writer.login("author@example.org")
    token = writer.token("/proposals/new")
    for payload in PAYLOADS:
        # typed: the check step echoes every field and renders the preview
        data = {"csrf_token": token, "title": payload[:150], "body": payload, "topic": payload, "district": payload}
        check(writer.client.post("/proposals/new", data=data), ("new proposal", payload))
        check(writer.get("/proposals/", query_string={"q": payload, "topic": payload}), ("search", payload))

    proposals = []
    for number, payload in enumerate(PAYLOADS):
        proposal = services.submit(author, payload.strip()[:150] or "x", payload or "x", "education")
        proposal.status = PUBLISHED  # also the ones the spam signals held back
        proposal.answer = payload
        services.edit(proposal, (payload[::-1].strip() or "y")[:150], payload[::-1] or "y", "education", None, "")
        parent = add_comment(author, payload or "x", None, proposal=proposal)
        add_comment(author, payload or "x", None, parent=parent)
        proposals.append(proposal)
        if number % 100 == 99:
            db.session.commit()
    db.session.commit()

    moderator = Browser(app.test_client())
    moderator.login("mod@example.org")
    planner = Browser(app.test_client())
    planner.login("plan@example.org")
    for page in range(1, len(PAYLOADS) // 20 + 2):
        check(writer.get(f"/proposals/?page={page}"), ("list", page))
    for page in range(1, len(PAYLOADS) // 25 + 2):
        check(planner.get(f"/planning/proposals/?page={page}"), ("answer queue", page))
    check(writer.get("/account/contributions"), "contributions")
    for number, proposal in enumerate(proposals):
        check(writer.get(f"/proposals/{proposal.id}"), ("proposal", PAYLOADS[number]))
        if number % 10 == 0:
            check(writer.get(f"/proposals/{proposal.id}/edit"), ("edit", PAYLOADS[number]))
            check(writer.get(f"/proposals/{proposal.id}/withdraw"), ("withdraw", PAYLOADS[number]))
            check(moderator.get(f"/proposals/{proposal.id}/revisions"), ("revisions", PAYLOADS[number]))
            check(moderator.get(f"/proposals/{proposal.id}/report"), ("report", PAYLOADS[number]))
            check(planner.get(f"/planning/proposals/{proposal.id}"), ("answer form", PAYLOADS[number]))
            comment_id = db.session.scalar(select(Comment.id).where(Comment.proposal_id == proposal.id).limit(1))
            check(moderator.get(f"/comments/{comment_id}/report"), ("report comment", PAYLOADS[number]))
    # the feed is XML: it parses, and its text carries no markup outside its escaped content
    feed = ET.fromstring(writer.get("/proposals/feed.atom").data)  # noqa: S314 (our own output, under test)
    atom = "{http://www.w3.org/2005/Atom}"
    assert {element.tag.removeprefix(atom) for element in feed.iter()} == ATOM_ELEMENTS
    contents = [entry.findtext(f"{atom}content") for entry in feed.iter(f"{atom}entry")]
    assert len(contents) == 50
    assert [page_problems(content) for content in contents if page_problems(content)] == []
    assert db.session.query(Proposal).count() == len(PAYLOADS)


def test_organisation_names_and_notes_on_every_page_that_shows_them(app, db, users, sqlite_only):
    from participation.comments.services import add_comment
    from participation.organisations.models import VERIFIED, Membership, Organisation
    from participation.proposals import services
    from tests.conftest import logged_in
    from tests.drafting import open_phase

    open_phase(db, votes=False, comments=False, proposals=True, supports=True)
    users(email="root@example.org", roles=("participant", "admin"))
    member = users(email="member@example.org")
    organisations, seen = [], set()
    for number, payload in enumerate(PAYLOADS):
        name = payload.strip()[:140] or "x"
        if name in seen:  # names are unique
            name = f"{number} {name}"[:150]
        seen.add(name)
        organisation = Organisation(name=name, kind="association", description=payload)
        db.session.add(organisation)
        db.session.flush()
        status = VERIFIED if number % 10 == 0 else "requested"
        db.session.add(
            Membership(user_id=member.id, organisation_id=organisation.id, status=status, note=payload[:500])
        )
        organisations.append(organisation)
    statements = []
    for organisation in organisations[::60]:
        proposal = services.submit(member, "Stellungnahme", "Text", "education", organisation_id=organisation.id)
        proposal.status = "published"
        add_comment(member, "Kommentar", None, proposal=proposal, organisation_id=organisation.id)
        statements.append(proposal)
    db.session.commit()

    admin = logged_in(app, "root@example.org")
    writer = logged_in(app, "member@example.org")
    check(admin.get("/admin/organisations"), "organisations")
    for number, organisation in enumerate(organisations[::10]):
        check(admin.get(f"/admin/organisations/{organisation.id}"), ("organisation", PAYLOADS[number * 10]))
    check(writer.get("/account/"), "profile with memberships")
    check(writer.get("/proposals/new"), "write as")
    check(writer.get("/proposals/"), "list with statements")
    for proposal in statements:
        check(writer.get(f"/proposals/{proposal.id}"), ("statement", proposal.organisation_id))


def test_moderation_queues_reports_and_notes(app, db, users, sqlite_only):
    """What the moderation reads (titles, texts, report notes, held reasons) and writes (notes
    to the author), on the queues, the hidden item's page and the author's contributions."""
    from participation.comments.services import add_comment
    from participation.moderation import services as moderation
    from participation.proposals import services
    from tests.conftest import logged_in
    from tests.drafting import open_phase

    open_phase(db, votes=False, comments=False, proposals=True, supports=True)
    author = users(email="author@example.org")
    reporters = [users(email=f"r{n}@example.org") for n in range(3)]
    users(email="root@example.org", roles=("participant", "admin"))
    sample = list(islice(PAYLOADS, 0, len(PAYLOADS), 7))
    proposal = services.submit(author, "Ein Vorschlag", "Text", "education")
    hidden = []
    for number, payload in enumerate(sample):
        title = payload.strip()[:150] or "x"
        services.submit(author, title, payload or "x", "education", held_because=["first"])
        comment = add_comment(author, payload or "x", None, proposal=proposal, held_because=["all"])
        reported = services.submit(author, title, payload or "x", "education")
        moderation.flag(reporters[number % 3], reported, "other", payload[:1000])
        if number % 5 == 0:
            moderation.decide(reporters[0], comment, moderation.Decision("new", "hide", "other", payload[:2000]))
            hidden.append(reported)
            moderation.decide(reporters[0], reported, moderation.Decision("reported", "hide", "other", payload[:2000]))
    db.session.commit()
    admin = logged_in(app, "root@example.org")
    for queue in ("new", "reported", "hidden"):
        for page in range(1, 2 * len(sample) // 25 + 2):
            check(admin.get(f"/moderation/{queue}?page={page}"), (queue, page))
    # typed into the decision form and echoed back with the error (no reason chosen)
    token = admin.token("/moderation/new")
    for payload in sample[:40]:
        data = {"csrf_token": token, "items": [payload], "action": "hide", "note": payload, "duplicate_of": payload}
        check(admin.client.post("/moderation/new", data=data), ("decision form", payload))
    writer = logged_in(app, "author@example.org")
    check(writer.get("/account/contributions"), "contributions")
    for proposal in hidden:
        check(writer.get(f"/proposals/{proposal.id}"), ("hidden proposal", proposal.id))


def test_answers_and_incorporation_notes_on_every_page_that_shows_them(app, db, users, sqlite_only):
    from participation.comments.services import add_comment
    from participation.drafts import services as drafts
    from participation.drafts.importer import apply_draft, parse_markdown
    from participation.evaluation.services import answer_comment
    from participation.incorporation.services import incorporate
    from participation.proposals import services
    from tests.conftest import logged_in
    from tests.drafting import DRAFT, open_phase

    open_phase(db, proposals=True, supports=True)
    planner = users(email="plan@example.org", roles=("participant", "planner"))
    author = users(email="author@example.org")
    version = drafts.create_version(None, "Digitales Köln 2025")
    apply_draft(version, parse_markdown(DRAFT))
    drafts.open_consultation(None, version)
    paragraph = version.chapters[0].paragraphs[0]
    sample = list(islice(PAYLOADS, 0, len(PAYLOADS), 9))
    taken = []
    for payload in sample:
        proposal = services.submit(
            author, payload.strip()[:150] or "x", payload or "x", "education", version.chapters[0].id
        )
        services.answer(planner, proposal, "accepted", payload)
        comment = add_comment(author, payload or "x", "addition", version.chapters[0], paragraph)
        answer_comment(planner, comment, "partly_accepted", payload)
        taken.append((proposal, comment))
    db.session.commit()
    browser = logged_in(app, "plan@example.org")
    for page in range(1, len(sample) // 25 + 2):
        check(browser.get(f"/planning/comments/?page={page}"), ("comment queue", page))
    for number, (_proposal, comment) in enumerate(taken):
        if number % 10 == 0:
            check(browser.get(f"/planning/comments/{comment.id}"), ("answer comment", number))
    check(browser.get(f"/masterplan/paragraphs/{paragraph.id}"), "answers in the thread")
    drafts.close_consultation(None, version)
    copy = drafts.copy_version(None, version)
    target = copy.chapters[0].paragraphs[0]
    for (proposal, comment), payload in zip(taken, sample, strict=True):
        incorporate(planner, target, proposal, "full", payload[:2000])
        incorporate(planner, target, comment, "partly", payload[::-1][:2000])
    db.session.commit()
    check(browser.get(f"/planning/chapters/{copy.chapters[0].id}"), "editor with records")
    check(browser.get(f"/planning/chapters/{copy.chapters[1].id}"), "editor with open input")
    drafts.open_consultation(None, copy)
    db.session.commit()
    check(browser.get(f"/masterplan/paragraphs/{target.id}"), "shaped paragraph")
    check(browser.get(f"/masterplan/chapters/{copy.chapters[0].id}"), "shaped chapter")
    for number, (proposal, _comment) in enumerate(taken):
        if number % 10 == 0:
            check(browser.get(f"/proposals/{proposal.id}"), ("taken into", number))


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": False}])  # hundreds of requests from one person
def test_a_new_email_address_typed_and_stored(app, db, users, sqlite_only):
    """The change of address shows the typed address back (the field, the answer, the waiting
    address on the account page) and the confirmation page shows the stored one."""
    from participation.accounts.models import User
    from participation.auth import address
    from tests.factories import PASSWORD

    user = users(email="mover@example.org")
    mover = Browser(app.test_client())
    mover.login("mover@example.org")
    token = mover.token("/account/")
    # the corpus is refused as addresses (and echoed in the field); these pass the form's check
    valid = ["x'onmouseover=alert`1`'@example.org", "'/autofocus/onfocus=alert`1`//@example.org"]
    valid += ["a&#60script&#62@example.org", "{{7*7}}@example.org"]
    for payload in [*PAYLOADS, *valid]:
        # the right password: an address the form takes is shown in the answer and as waiting
        data = {"csrf_token": token, "new_email": payload, "current_password": PASSWORD}
        response = mover.client.post("/account/email", data=data, follow_redirects=True)
        check(response, ("new address", payload))
        if payload in valid:
            assert response.status_code == 200 and payload.lower() in response.get_data(as_text=True).replace(
                "&#39;", "'"
            ).replace("&amp;", "&"), payload
    visitor = Browser(app.test_client())
    for number, payload in enumerate(PAYLOADS):
        user = db.session.get(User, user.id)
        user.pending_email, user.pending_email_requested_at = payload[:254], utcnow()  # as stored, unvalidated
        user.display_name = payload.strip()[:40] or "x"
        db.session.commit()
        link = f"/email/confirm/{address.change_token(user)}"
        check(visitor.get(link), ("confirmation page", payload))
        if number % 10 == 0:
            check(mover.get("/account/"), ("waiting address", payload))


def test_the_page_that_undoes_an_address_change_shows_stored_text_as_text(app, db, users, sqlite_only):
    """The undo page shows the account's display name and the address the link gives back (from
    the signed link, but written there from what the account once stored)."""
    from participation.accounts.models import User
    from participation.auth import revert
    from participation.core.audit import record_decision

    user = users(email="rueck@example.org")
    visitor = Browser(app.test_client())
    for number, payload in enumerate(PAYLOADS):
        user = db.session.get(User, user.id)
        user.display_name = payload.strip()[:40] or "x"
        user.display_name_canonical = f"xss-undo-{number}"
        change = record_decision(user, "change_email", user)
        db.session.commit()
        token = revert.revert_token(user, payload[:254], change)
        check(visitor.get(f"/email/revert/{token}"), ("undo page", payload))
