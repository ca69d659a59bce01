"""Closing the loop: planners answer comments on the draft, take accepted input into the next
version, and once it is published every contribution shows where it went, and back."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from participation.comments.services import add_comment
from participation.core.audit import ModerationDecision
from participation.drafts import services as drafts
from participation.incorporation.models import Incorporation
from participation.mail.notifications import stop
from participation.proposals import services as proposals
from tests.conftest import Browser, logged_in, outbox
from tests.drafting import first_paragraph, open_phase


@pytest.fixture
def loop(db, users, draft):
    open_phase(db, votes=False, comments=False, proposals=True, supports=True)
    planner = users(email="plan@example.org", display_name="Paula Planerin", roles=("participant", "planner"))
    author = users(email="anna@example.org", display_name="Anna")
    fan = users(email="fan@example.org", display_name="Fan")
    quiet = users(email="quiet@example.org", display_name="Leise")
    chapter = draft.chapters[0]
    proposal = proposals.submit(author, "WLAN in allen Schulen", "Jede Schule bekommt WLAN.", "education", chapter.id)
    unassigned = proposals.submit(author, "Offene Daten für alle", "Ein Portal.", "open_data")
    for person in (fan, quiet):
        proposals.follow(person, proposal)
    stop(quiet.id, "answers")
    comment = add_comment(fan, "Auch die **Berufsschulen**!", "addition", chapter, first_paragraph(draft))
    db.session.commit()
    return {"planner": planner, "proposal": proposal, "unassigned": unassigned, "comment": comment, "draft": draft}


def test_planners_answer_comments_on_the_draft_and_the_author_is_told(app, db, loop):
    comment = loop["comment"]
    planner = logged_in(app, "plan@example.org")
    queue = planner.get("/planning/comments/").get_data(as_text=True)
    assert "Auch die" in queue and "Absatz 1.1" in queue
    assert "Auch die" not in planner.get("/planning/comments/?kind=question").get_data(as_text=True)
    url = f"/planning/comments/{comment.id}"
    refused = planner.submit(url, {"status": "not_accepted", "answer": ""})
    assert refused.status_code == 422
    assert planner.submit(url, {"status": "accepted", "answer": "Wird *ergänzt*."}).status_code == 303
    db.session.refresh(comment)
    assert (comment.answer_status, comment.answer) == ("accepted", "Wird *ergänzt*.")
    assert "Auch die" not in planner.get("/planning/comments/").get_data(as_text=True)
    page = Browser(app.test_client()).get(f"/masterplan/paragraphs/{comment.paragraph_id}").get_data(as_text=True)
    assert "Antwort der Stadt: angenommen" in page and "<em>ergänzt</em>" in page
    mail = outbox("comment_answered")[0]
    assert mail.recipient == "fan@example.org" and "angenommen" in mail.body_text
    logged = db.session.scalar(select(ModerationDecision).where(ModerationDecision.action == "answer_comment"))
    assert logged.target_id == comment.id and logged.actor_id == loop["planner"].id
    # only comments on the draft, and only published ones
    on_proposal = add_comment(loop["planner"], "Zum Vorschlag", None, proposal=loop["proposal"])
    db.session.commit()
    assert planner.get(f"/planning/comments/{on_proposal.id}").status_code == 404


def test_answering_a_proposal_tells_the_author_and_the_followers(app, db, loop):
    planner = logged_in(app, "plan@example.org")
    url = f"/planning/proposals/{loop['proposal'].id}"
    assert planner.submit(url, {"status": "accepted", "answer": "Kommt in Kapitel 1."}).status_code == 303
    told = sorted(m.recipient for m in outbox("proposal_answered"))
    assert told == ["anna@example.org", "fan@example.org"]  # "quiet" stopped these mails
    assert all("Kommt in Kapitel 1." in m.body_text and "/mail/stop/" in m.body_text for m in outbox())


def _accept(app, loop):
    planner = logged_in(app, "plan@example.org")
    for proposal in (loop["proposal"], loop["unassigned"]):
        planner.submit(f"/planning/proposals/{proposal.id}", {"status": "accepted", "answer": "Ja."})
    planner.submit(f"/planning/comments/{loop['comment'].id}", {"status": "partly_accepted", "answer": "Zum Teil."})
    return planner


def test_accepted_input_flows_into_the_next_version_and_shows_both_ways(app, db, loop):
    planner = _accept(app, loop)
    version = drafts.copy_version(loop["planner"], loop["draft"])
    db.session.commit()
    chapter = version.chapters[0]
    paragraph = chapter.paragraphs[0]
    editor = planner.get(f"/planning/chapters/{chapter.id}").get_data(as_text=True)
    for waiting in ("WLAN in allen Schulen", "Offene Daten für alle", f"Kommentar {loop['comment'].id}"):
        assert waiting in editor
    # the other chapter lists the unassigned proposal too, but not this chapter's input
    other = planner.get(f"/planning/chapters/{version.chapters[1].id}").get_data(as_text=True)
    assert "Offene Daten für alle" in other and "WLAN in allen Schulen" not in other
    item = f"proposal:{loop['proposal'].id}"
    action = f"/planning/chapters/{chapter.id}/incorporations/{item}"
    prefix = f"proposal-{loop['proposal'].id}-"
    page = f"/planning/chapters/{chapter.id}"
    missing = planner.submit(
        page, {f"{prefix}paragraph": str(paragraph.id), f"{prefix}note": "Absatz neu"}, action=action
    )
    assert missing.status_code == 422 and "Absatz neu</textarea>" in missing.get_data(as_text=True)
    foreign = planner.submit(
        page,
        {f"{prefix}paragraph": str(version.chapters[1].paragraphs[0].id), f"{prefix}extent": "full"},
        action=action,
    )
    assert foreign.status_code == 422  # a paragraph of another chapter
    data = {f"{prefix}paragraph": str(paragraph.id), f"{prefix}extent": "full", f"{prefix}note": "Satz 2 neu."}
    assert planner.submit(page, data, action=action).status_code == 303
    comment_item = f"comment:{loop['comment'].id}"
    comment_prefix = f"comment-{loop['comment'].id}-"
    planner.submit(
        page,
        {f"{comment_prefix}paragraph": str(paragraph.id), f"{comment_prefix}extent": "partly"},
        action=f"/planning/chapters/{chapter.id}/incorporations/{comment_item}",
    )
    assert (
        db.session.scalar(select(Incorporation.extent).where(Incorporation.comment_id == loop["comment"].id))
        == "partly"
    )
    editor = planner.get(page).get_data(as_text=True)
    assert "Nichts erfasst" not in editor and "Satz 2 neu." in editor
    # nothing shows to the public before the version is published
    public = Browser(app.test_client())
    assert "In den Masterplan übernommen" not in public.get(f"/proposals/{loop['proposal'].id}").get_data(as_text=True)
    assert outbox("incorporated") == []
    assert planner.submit(f"/planning/versions/{version.number}/open", {"close": "1"}).status_code == 303
    shown = public.get(f"/proposals/{loop['proposal'].id}").get_data(as_text=True)
    assert "Übernommen in Kapitel 1, Absatz 1.1 von Version 2 (vollständig)" in shown
    assert f'href="/masterplan/paragraphs/{paragraph.id}"' in shown
    assert (
        f"/masterplan/compare?to=2&amp;from=1#{paragraph.anchor}" in shown
        or f"/masterplan/compare?from=1&amp;to=2#{paragraph.anchor}" in shown
    )
    shaped = public.get(f"/masterplan/paragraphs/{paragraph.id}").get_data(as_text=True)
    assert "Geprägt von 2 Beiträgen" in shaped and "WLAN in allen Schulen" in shaped and "Satz 2 neu." in shaped
    assert f'id="{paragraph.anchor}"' in public.get("/masterplan/compare?from=1&to=2").get_data(as_text=True)
    told = {m.recipient: m.body_text for m in outbox("incorporated")}
    assert set(told) == {"anna@example.org", "fan@example.org"}
    assert "WLAN in allen Schulen" in told["anna@example.org"] and "1.1" in told["anna@example.org"]
    # once published, the record is closed
    row = db.session.scalar(select(Incorporation).where(Incorporation.proposal_id == loop["proposal"].id))
    assert planner.submit(page, {}, action=f"/planning/incorporations/{row.id}/remove").status_code == 403
    assert planner.submit(page, data, action=action).status_code == 403


def test_a_record_can_be_removed_while_the_version_is_prepared(app, db, loop):
    planner = _accept(app, loop)
    version = drafts.copy_version(loop["planner"], loop["draft"])
    db.session.commit()
    chapter = version.chapters[0]
    from participation.incorporation.services import incorporate

    row = incorporate(loop["planner"], chapter.paragraphs[0], loop["proposal"], "partly", "")
    db.session.commit()
    page = f"/planning/chapters/{chapter.id}"
    assert planner.submit(page, {}, action=f"/planning/incorporations/{row.id}/remove").status_code == 303
    assert db.session.scalar(select(Incorporation)) is None
    actions = set(db.session.scalars(select(ModerationDecision.action)))
    assert {"incorporate", "remove_incorporation"} <= actions
    # a proposal without an acceptance cannot be recorded
    other = proposals.submit(loop["planner"], "Noch offen", "Text", "education")
    db.session.commit()
    assert (
        planner.submit(
            page, {}, action=f"/planning/chapters/{chapter.id}/incorporations/proposal:{other.id}"
        ).status_code
        == 404
    )
    assert planner.submit(page, {}, action=f"/planning/chapters/{chapter.id}/incorporations/x:y").status_code == 404


def test_the_path_of_a_contribution_from_submission_into_the_plan(app, db, loop):
    planner = _accept(app, loop)
    version = drafts.copy_version(loop["planner"], loop["draft"])
    db.session.commit()
    from participation.incorporation.services import incorporate

    incorporate(loop["planner"], version.chapters[0].paragraphs[0], loop["proposal"], "partly", "Teil zwei.")
    incorporate(loop["planner"], version.chapters[0].paragraphs[0], loop["comment"], "full", "")
    drafts.open_consultation(loop["planner"], version)
    db.session.commit()
    public = Browser(app.test_client())
    path = public.get(f"/proposals/{loop['proposal'].id}/path").get_data(as_text=True)
    for step in (
        "Eingereicht",
        "Veröffentlicht am",
        "angenommen",
        "Übernommen in Kapitel 1, Absatz 1.1 von Version 2",
    ):
        assert step in path, step
    assert path.index("Eingereicht") < path.index("angenommen") < path.index("Übernommen in Kapitel")
    assert "Teil zwei." in path
    assert f'href="/proposals/{loop["proposal"].id}/path"' in public.get(f"/proposals/{loop['proposal'].id}").get_data(
        as_text=True
    )
    comment_path = public.get(f"/comments/{loop['comment'].id}/path").get_data(as_text=True)
    assert "teilweise angenommen" in comment_path and "Zum Teil." in comment_path
    # the personal overview: where each contribution went, with the path
    mine = logged_in(app, "anna@example.org").get("/account/contributions").get_data(as_text=True)
    assert "Version 2, Absatz 1.1" in mine and f"/proposals/{loop['proposal'].id}/path" in mine
    theirs = logged_in(app, "fan@example.org").get("/account/contributions").get_data(as_text=True)
    assert f"/comments/{loop['comment'].id}/path" in theirs and "Version 2, Absatz 1.1" in theirs
    assert planner.get("/proposals/999999/path").status_code == 404


def test_a_hidden_comments_path_is_only_for_its_author_and_staff(app, db, loop, users):
    from participation.moderation import services as moderation

    moderator = users(email="mod@example.org", roles=("participant", "moderator"))
    comment = loop["comment"]
    moderation.flag(loop["planner"], comment, "insult")
    assert (
        moderation.decide(moderator, comment, moderation.Decision("reported", "hide", "insult", "Zu scharf.")) is None
    )
    db.session.commit()
    url = f"/comments/{comment.id}/path"
    assert Browser(app.test_client()).get(url).status_code == 404
    assert logged_in(app, "anna@example.org").get(url).status_code == 404
    own = logged_in(app, "fan@example.org").get(url).get_data(as_text=True)
    assert "Ausgeblendet" in own and "Beleidigend oder diskriminierend" in own and "Zu scharf." in own


def test_the_comment_queue_and_the_path_issue_a_fixed_number_of_queries(app, db, loop, users):
    from tests.conftest import queries_for

    planner = logged_in(app, "plan@example.org")
    chapter, paragraph = loop["draft"].chapters[0], first_paragraph(loop["draft"])
    counts = []
    for batch in (2, 15):
        for n in range(batch):
            writer = users(email=f"w{batch}-{n}@example.org", display_name=f"Schreiberin {batch}-{n}")
            add_comment(writer, f"Kommentar {n}", "addition", chapter, paragraph if n % 2 else None)
        db.session.commit()
        counts.append(
            [
                queries_for(planner.client, "/planning/comments/"),
                queries_for(planner.client, f"/proposals/{loop['proposal'].id}/path"),
            ]
        )
    assert counts[0] == counts[1]


def test_the_planners_see_how_much_accepted_input_reached_the_plan(app, db, loop):
    from participation.incorporation.services import incorporate, reach

    planner = _accept(app, loop)
    assert reach() == {"proposals_accepted": 2, "proposals_taken": 0, "comments_accepted": 1, "comments_taken": 0}
    version = drafts.copy_version(loop["planner"], loop["draft"])
    db.session.commit()
    for paragraph in version.chapters[0].paragraphs:  # one proposal into two paragraphs counts once
        incorporate(loop["planner"], paragraph, loop["proposal"], "partly", "")
    db.session.commit()
    assert reach()["proposals_taken"] == 0  # not yet published
    drafts.open_consultation(loop["planner"], version)
    db.session.commit()
    assert reach() == {"proposals_accepted": 2, "proposals_taken": 1, "comments_accepted": 1, "comments_taken": 0}
    assert "Von 2 angenommenen Vorschlägen stehen 1 in einer veröffentlichten Version" in planner.get(
        "/planning/"
    ).get_data(as_text=True)


@pytest.mark.parametrize("app_config", [{"QUEUE_CACHE_SECONDS": 60}])
def test_the_shared_comment_queue_drops_an_answered_comment_at_once(app, db, loop):
    planner = logged_in(app, "plan@example.org")
    assert "Auch die" in planner.get("/planning/comments/").get_data(as_text=True)
    planner.submit(f"/planning/comments/{loop['comment'].id}", {"status": "accepted", "answer": "Ja."})
    assert "Auch die" not in planner.get("/planning/comments/").get_data(as_text=True)
