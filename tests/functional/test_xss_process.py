"""Hostile text in what issue 18 added: phase titles and descriptions (typed by an admin and
shown on the home page, the phase pages and in refusals), version titles on the planners' open
question and copy form, and proposals, answers and input on the home page."""

from __future__ import annotations

from datetime import timedelta
from itertools import islice

from participation.core.models import utcnow
from tests.conftest import Browser
from tests.xss import check, payloads

PAYLOADS = payloads()


def test_home_page_with_hostile_phases_proposals_answers_and_input(app, db, users, sqlite_only):
    """Five at a time (what the home page lists): phase titles and descriptions, proposal titles
    with their answers (latest answers, one's own waiting ones, news on followed ones), comments
    on the draft (waiting ones, and taken into a published version)."""
    from datetime import timedelta

    from participation.comments.services import add_comment
    from participation.drafts import services as drafts
    from participation.drafts.importer import apply_draft, parse_markdown
    from participation.incorporation.services import incorporate
    from participation.phases.models import Phase
    from participation.proposals import services
    from participation.proposals.models import PUBLISHED
    from tests.conftest import logged_in
    from tests.drafting import DRAFT, open_phase

    planner = users(email="plan@example.org", roles=("participant", "planner"))
    author = users(email="author@example.org")
    fan = users(email="fan@example.org")
    version = drafts.create_version(None, "Digitales Köln 2025")
    apply_draft(version, parse_markdown(DRAFT))
    drafts.open_consultation(None, version)
    open_phase(db, proposals=True, supports=True, version=version)
    paragraph = version.chapters[0].paragraphs[0]
    db.session.commit()
    visitor = Browser(app.test_client())
    writer, follower = logged_in(app, "author@example.org"), logged_in(app, "fan@example.org")
    sample = list(islice(PAYLOADS, 0, len(PAYLOADS), 6))
    comments = []
    for start in range(0, len(sample), 5):
        for number, payload in enumerate(sample[start : start + 5], start):
            db.session.add(
                Phase(
                    slug=f"xss-{number}",
                    title_de=payload[:150] or "x",
                    title_en=payload[::-1][:150] or "x",
                    description_de=payload,
                    description_en=payload,
                    starts_at=utcnow() - timedelta(days=1),
                    ends_at=utcnow() + timedelta(days=number + 1),
                    opens_proposals=number % 2 == 0,
                    opens_supports=True,
                    version_id=version.id,
                    opens_draft_comments=number % 3 == 0,
                )
            )
            waiting = services.submit(author, payload.strip()[:150] or "x", payload or "x", "education")
            waiting.status = PUBLISHED
            answered = services.submit(author, (payload[::-1].strip() or "y")[:150], payload or "y", "education")
            answered.status = PUBLISHED
            services.follow(fan, answered)
            db.session.flush()
            services.answer(planner, answered, "partly_accepted", payload or "y")
            comments.append(add_comment(author, payload or "x", "addition", version.chapters[0], paragraph))
            add_comment(planner, payload or "x", None, proposal=answered)
        db.session.commit()
        for who, browser in (("visitor", visitor), ("author", writer), ("follower", follower)):
            check(browser.get("/"), ("home", who, start))
            check(browser.get("/", headers={"Accept-Language": "en"}), ("home en", who, start))
    for comment in comments:
        comment.answer_status = "accepted"
    drafts.close_consultation(None, version)
    copy = drafts.copy_version(None, version)
    target = copy.chapters[0].paragraphs[0]
    for comment in comments:
        incorporate(planner, target, comment, "partly", comment.body[:2000])
    drafts.open_consultation(None, copy)
    db.session.commit()
    check(visitor.get("/"), "home with hostile input taken into version 2")


def test_version_titles_on_the_open_question_and_the_copy_form(app, db, users, sqlite_only):
    """Opening a version names the other open versions and the phases on it; copying suggests a
    title from the source's and echoes what was typed."""
    from participation.drafts import services
    from participation.drafts.models import Chapter, Paragraph
    from participation.phases.models import Phase

    users(email="plan@example.org", roles=("participant", "planner"))
    planner = Browser(app.test_client())
    planner.login("plan@example.org")
    for payload in PAYLOADS[:40]:
        version = services.create_version(None, payload.strip()[:200] or "x")
        version.chapters.append(Chapter(position=1, title="Kapitel", paragraphs=[Paragraph(position=1, text="Text")]))
        services.open_consultation(None, version)
    copy = services.copy_version(None, version, title=PAYLOADS[41].strip()[:200] or "y")
    copy.title = PAYLOADS[42][:200]
    db.session.flush()
    for number, payload in enumerate(PAYLOADS[-30:]):
        title = payload.strip()[:150] or "x"
        db.session.add(
            Phase(
                slug=f"phase-{number}",
                title_de=title,
                title_en=title,
                starts_at=utcnow() + timedelta(days=number - 15),
                ends_at=utcnow() + timedelta(days=number - 14) if number % 2 else None,
                opens_draft_comments=True,
                opens_draft_votes=bool(number % 3),
                version_id=copy.id,
            )
        )
    db.session.commit()
    check(planner.get(f"/planning/versions/{copy.number}/open"), "open question")
    check(planner.get(f"/planning/versions/{copy.number}"), "version page")
    check(planner.get("/planning/versions/copy"), "copy form with a suggestion")
    check(planner.get("/planning/"), "index")
    token = planner.token("/planning/versions/copy")
    for payload in PAYLOADS:
        # a control character keeps the form from succeeding: the typed text comes back
        response = planner.client.post("/planning/versions/copy", data={"csrf_token": token, "title": payload + "\x07"})
        assert response.status_code == 422
        check(response, ("copy form", payload))


def test_phase_titles_and_descriptions_typed_and_stored(app, db, users, sqlite_only):
    """Hostile phase texts, typed into the admins' form (shown again with an error) and stored:
    on the home page, the admins' list and form, the downloads' filter, and in the refusal that
    names the running and the next phase."""
    from datetime import timedelta

    from participation.phases.models import Phase
    from tests.conftest import logged_in

    users(email="root@example.org", roles=("participant", "admin"))
    users(email="kim@example.org")
    admin = logged_in(app, "root@example.org")
    token = admin.token("/admin/phases/new")
    for payload in islice(PAYLOADS, 0, None, 3):
        data = {"csrf_token": token, "title_de": payload, "title_en": payload, "description_de": payload}
        data |= {"description_en": payload, "start_date": "", "start_time": payload, "opens": [payload]}
        response = admin.client.post("/admin/phases/new", data=data)
        assert response.status_code == 422
        check(response, ("phase form", payload))
    now = utcnow()
    for number, payload in enumerate(PAYLOADS):
        db.session.add(
            Phase(
                slug=f"p{number}",
                position=number,
                title_de=payload.strip()[:150] or "x",
                title_en=payload.strip()[:150] or "x",
                description_de=payload,
                description_en=payload,
                # a few run now (opening nothing), the others follow
                starts_at=now + timedelta(days=number - 3),
                ends_at=now + timedelta(days=number + 1),
            )
        )
    db.session.commit()
    check(admin.get("/"), "home")
    check(admin.get("/", headers={"Accept-Language": "en"}), "home en")
    check(admin.get("/admin/phases"), "phase list")
    check(admin.get("/exports/?phase=1"), "export filters")
    for phase_id in db.session.scalars(db.select(Phase.id).limit(len(PAYLOADS) // 10)):
        check(admin.get(f"/admin/phases/{phase_id}"), ("phase form", phase_id))
    kim = logged_in(app, "kim@example.org")
    refusal = kim.get("/proposals/new")
    assert refusal.status_code == 403 and "Jetzt geöffnet" in refusal.get_data(as_text=True)
    check(refusal, "refusal naming the phases")
