"""Proposals as people use them (the list is in test_proposal_list.py):
writing one with similar proposals shown first; supporting, discussing, changing and
withdrawing; one's own contributions; the Atom feed."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import func, select

from participation.comments.models import Comment
from participation.proposals import services
from participation.proposals.models import PENDING, PUBLISHED, WITHDRAWN, Proposal, Support
from tests.conftest import Browser, csrf_token_from, logged_in
from tests.drafting import open_phase
from tests.proposing import propose, titles

ATOM = "{http://www.w3.org/2005/Atom}"


def parse_feed(data: bytes):
    return ET.fromstring(data)  # noqa: S314 (our own output, under test)


# --- writing ---------------------------------------------------------------------------------


def test_writing_shows_similar_proposals_and_a_preview_before_saving(app, db, people, phase):
    existing = propose(people["firma"], "Kostenloses WLAN in Bibliotheken", "WLAN in allen Stadtbibliotheken.")
    db.session.commit()
    anna = logged_in(app, "anna@example.org")
    form = {
        "title": "WLAN in der Bibliothek Ehrenfeld",
        "body": "Die **Bibliotheken** brauchen kostenloses WLAN.",
        "topic": "education",
        "district": "ehrenfeld",
        "action": "publish",  # pressing "publish" before any check only checks
    }
    checked = anna.submit("/proposals/new", form)
    html = checked.get_data(as_text=True)
    assert checked.status_code == 200
    assert db.session.scalar(select(func.count(Proposal.id))) == 1  # nothing saved yet
    assert f'href="/proposals/{existing.id}"' in html
    assert "<strong>Bibliotheken</strong>" in html  # the preview
    assert 'value="WLAN in der Bibliothek Ehrenfeld"' in html  # what she typed stays
    digest = re.search(r'name="checked" type="hidden" value="([0-9a-f]+)"', html).group(1)

    # changed after the check: shown the similar ones again, not saved
    changed = anna.submit("/proposals/new", dict(form, checked=digest, title="WLAN überall"))
    again = changed.get_data(as_text=True)
    assert changed.status_code == 200 and "Ähnliche Vorschläge" in again
    assert f'value="{digest}"' not in again  # the check now names the new wording
    assert db.session.scalar(select(func.count(Proposal.id))) == 1
    published = anna.submit("/proposals/new", dict(form, checked=digest))
    assert published.status_code == 303
    proposal = db.session.scalar(select(Proposal).where(Proposal.title == form["title"]))
    assert published.headers["Location"].endswith(f"/proposals/{proposal.id}")
    assert (proposal.status, proposal.district, proposal.author_group) == (PUBLISHED, "ehrenfeld", "residents")


def test_field_errors_keep_what_was_typed(app, db, people, phase):
    anna = logged_in(app, "anna@example.org")
    response = anna.submit("/proposals/new", {"title": "x" * 151, "body": "Mein langer Text", "topic": "bogus"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "höchstens 150 Zeichen" in html
    assert "Bitte wählen Sie das Thema" in html
    assert "Mein langer Text</textarea>" in html
    assert 'aria-invalid="true"' in html
    assert db.session.scalar(select(func.count(Proposal.id))) == 0


def _publish(person, **changes):
    form = dict({"title": "Mehr Sitzbänke", "body": "Bänke am Rhein.", "topic": "smart_city"}, **changes)
    html = person.submit("/proposals/new", form).get_data(as_text=True)
    digest = re.search(r'name="checked" type="hidden" value="([0-9a-f]+)"', html).group(1)
    return person.submit("/proposals/new", dict(form, checked=digest, action="publish"))


def test_honeypot_and_links_hold_a_proposal_for_review(app, db, people, phase):
    anna = logged_in(app, "anna@example.org")
    response = _publish(anna, website="http://spam.example")
    proposal = db.session.scalar(select(Proposal))
    assert proposal.status == PENDING and proposal.held_because == "honeypot"
    page = anna.get(response.headers["Location"]).get_data(as_text=True)
    assert "wartet auf prüfung" in page.lower()
    # nobody else sees it, in the list or by its address
    visitor = Browser(app.test_client())
    assert visitor.get(f"/proposals/{proposal.id}").status_code == 404
    assert titles(visitor.get("/proposals/")) == []
    assert logged_in(app, "mod@example.org").get(f"/proposals/{proposal.id}").status_code == 200
    _publish(anna, title="Links", body=" ".join(f"https://example.org/{n}" for n in range(5)))
    assert db.session.scalar(select(Proposal.held_because).where(Proposal.title == "Links")) == "links"


def test_submitting_is_refused_outside_the_phase_and_beyond_the_daily_limit(app, db, people):
    anna = logged_in(app, "anna@example.org")
    closed = anna.get("/proposals/new")
    assert closed.status_code == 403
    assert "nicht eingereicht werden" in closed.get_data(as_text=True)
    assert "Vorschlag einreichen" not in anna.get("/proposals/").get_data(as_text=True)
    open_phase(db, votes=False, comments=False, proposals=True)
    db.session.commit()
    for number in range(5):
        assert _publish(anna, title=f"Idee {number}", body=f"Text {number}").status_code == 303
    refused = _publish(anna, title="Die sechste", body="Noch eine")
    assert refused.status_code == 422
    assert "in den letzten 24 Stunden" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Proposal.id))) == 5


# --- supporting, discussing ------------------------------------------------------------------------


def test_support_and_withdraw(app, db, people, phase):
    proposal = propose(people["anna"], "Mehr Bänke", "Am Rhein.")
    db.session.commit()
    firma = logged_in(app, "firma@example.org")
    page = f"/proposals/{proposal.id}"
    action = f"/proposals/{proposal.id}/support"
    assert firma.submit(page, {"choice": "support"}, action=action).status_code == 303
    assert firma.submit(page, {"choice": "support"}, action=action).status_code == 303  # twice: still one
    db.session.refresh(proposal)
    assert proposal.support_count == 1
    assert db.session.scalar(select(Support.stakeholder_group)) == "businesses"
    assert "Unterstützung zurückziehen" in firma.get(page).get_data(as_text=True)
    firma.submit(page, {"choice": "withdraw"}, action=action)
    db.session.refresh(proposal)
    assert proposal.support_count == 0
    # not one's own
    anna = logged_in(app, "anna@example.org")
    own = anna.submit(page, {"choice": "support"}, action=action)
    assert own.status_code == 403
    assert "eigenen Vorschlag" in own.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Support.id))) == 0


def test_supports_refused_when_closed_or_answered(app, db, people):
    open_phase(db, votes=False, comments=False, proposals=True, supports=False)
    proposal = propose(people["anna"], "Mehr Bänke", "Am Rhein.")
    answered = propose(people["anna"], "Beantwortet", "Schon entschieden.", status="accepted")
    db.session.commit()
    firma = logged_in(app, "firma@example.org")
    closed = firma.submit(
        f"/proposals/{proposal.id}", {"choice": "support"}, action=f"/proposals/{proposal.id}/support"
    )
    assert closed.status_code == 403
    shown = firma.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "können derzeit nicht unterstützt werden" in shown
    assert f'action="/proposals/{proposal.id}/support"' not in shown
    open_phase(db, votes=False, comments=False, proposals=False, supports=True)
    db.session.commit()
    refused = firma.submit(
        f"/proposals/{answered.id}", {"choice": "support"}, action=f"/proposals/{answered.id}/support"
    )
    assert refused.status_code == 403
    assert db.session.scalar(select(func.count(Support.id))) == 0


def test_comments_and_replies_on_a_proposal(app, db, people, phase):
    proposal = propose(people["anna"], "Mehr Bänke", "Am Rhein.")
    db.session.commit()
    uni = logged_in(app, "uni@example.org")
    page = f"/proposals/{proposal.id}"
    posted = uni.submit(page, {"body": "Gute Idee, *wirklich*."}, action=f"{page}/comments")
    assert posted.status_code == 303
    comment = db.session.scalar(select(Comment))
    assert (comment.proposal_id, comment.chapter_id, comment.paragraph_id) == (proposal.id, None, None)
    assert posted.headers["Location"].endswith(f"page=last#comment-{comment.id}")
    anna = logged_in(app, "anna@example.org")
    reply = anna.submit(f"/comments/{comment.id}/reply", {"body": "Danke!"})
    assert reply.headers["Location"].endswith(f"/proposals/{proposal.id}#comment-{comment.id + 1}")
    db.session.refresh(proposal)
    assert proposal.comment_count == 2
    html = Browser(app.test_client()).get(page).get_data(as_text=True)
    assert "<em>wirklich</em>" in html and "Danke!" in html
    # the author's own actions appear for the author only
    assert f"/comments/{comment.id}/edit" in uni.get(page).get_data(as_text=True)
    assert f"/comments/{comment.id}/edit" not in anna.get(page).get_data(as_text=True)
    # empty comment: message at the field; a pending proposal cannot be discussed
    assert uni.submit(page, {"body": ""}, action=f"{page}/comments").status_code == 422
    pending = propose(people["anna"], "Wartet", "Noch nicht frei.", status=PENDING)
    db.session.commit()
    refused = anna.submit(f"/proposals/{pending.id}", {"body": "x"}, action=f"/proposals/{pending.id}/comments")
    assert refused.status_code == 403


# --- changing and withdrawing ----------------------------------------------------------------------------


def test_author_changes_a_proposal_and_the_earlier_wording_is_kept(app, db, people, phase):
    proposal = propose(people["anna"], "Mehr Bänke", "Am Rhein.")
    db.session.commit()
    anna = logged_in(app, "anna@example.org")
    edit = f"/proposals/{proposal.id}/edit"
    assert 'value="Mehr Bänke"' in anna.get(edit).get_data(as_text=True)
    saved = anna.submit(
        edit, {"title": "Mehr Bänke am Rhein", "body": "Zwischen Deutz und Mülheim.", "topic": "smart_city"}
    )
    assert saved.status_code == 303
    db.session.refresh(proposal)
    assert (proposal.title, proposal.topic, len(proposal.revisions)) == ("Mehr Bänke am Rhein", "smart_city", 1)
    assert proposal.revisions[0].title == "Mehr Bänke"
    revisions = f"/proposals/{proposal.id}/revisions"
    assert "Am Rhein." in logged_in(app, "mod@example.org").get(revisions).get_data(as_text=True)
    assert logged_in(app, "uni@example.org").get(revisions).status_code == 404
    # others may not change it; nor may the author once it has an answer
    assert logged_in(app, "uni@example.org").get(edit).status_code == 403
    proposal.status = "not_accepted"
    db.session.commit()
    assert anna.get(edit).status_code == 403
    assert anna.submit(f"/proposals/{proposal.id}", {}, action=f"/proposals/{proposal.id}/withdraw").status_code == 403


def test_withdrawing_asks_first_and_takes_the_proposal_out_of_the_list(app, db, people, phase):
    proposal = propose(people["anna"], "Mehr Bänke", "Am Rhein.")
    db.session.commit()
    anna = logged_in(app, "anna@example.org")
    url = f"/proposals/{proposal.id}/withdraw"
    asked = anna.get(url)
    assert "Ja, meinen Vorschlag zurückziehen" in asked.get_data(as_text=True)
    db.session.refresh(proposal)
    assert proposal.status == PUBLISHED  # following the link changed nothing
    assert anna.submit(url, {}).status_code == 303
    db.session.refresh(proposal)
    assert proposal.status == WITHDRAWN
    assert titles(Browser(app.test_client()).get("/proposals/")) == []
    assert Browser(app.test_client()).get(f"/proposals/{proposal.id}").status_code == 404
    assert "Mehr Bänke" in anna.get("/account/contributions").get_data(as_text=True)


def test_my_contributions_lists_proposals_and_comments_with_status_and_answer(app, db, people, phase):
    from participation.comments.services import add_comment

    answered = propose(people["anna"], "Echtzeitdaten", "Für Busse.", status="accepted")
    answered.answer = "Kommt in Kapitel 6."
    propose(people["anna"], "Wartet noch", "Prüfung.", status=PENDING)
    other = propose(people["uni"], "Fremder Vorschlag", "Nicht von Anna.")
    add_comment(people["anna"], "Mein Kommentar zum fremden Vorschlag", None, proposal=other)
    db.session.commit()
    html = logged_in(app, "anna@example.org").get("/account/contributions").get_data(as_text=True)
    assert "Echtzeitdaten" in html and "Kommt in Kapitel 6." in html and "angenommen" in html
    assert "Wartet noch" in html and "wartet auf Prüfung" in html
    assert "Mein Kommentar zum fremden Vorschlag" in html
    assert "Fremder Vorschlag" in html  # as the target of her comment
    assert "Echtzeitdaten" not in logged_in(app, "uni@example.org").get("/account/contributions").get_data(as_text=True)


# --- feed ----------------------------------------------------------------------------------------------


def test_atom_feed_overall_and_per_topic(app, db, people, phase):
    propose(people["anna"], "Schulen <ans> Netz & mehr", "Text mit <script>alert(1)</script> und **fett**.")
    propose(people["uni"], "Offene Daten", "Fahrpläne.", topic="open_data")
    propose(people["uni"], "Geheim", "Wartet.", status=PENDING)
    db.session.commit()
    response = Browser(app.test_client()).get("/proposals/feed.atom")
    assert response.mimetype == "application/atom+xml"
    feed = parse_feed(response.data)
    entries = [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]
    assert sorted(entries) == ["Offene Daten", "Schulen <ans> Netz & mehr"]
    # the text as escaped HTML (type="html"): Markdown rendered, the script tag only as text
    content = [entry.findtext(f"{ATOM}content") for entry in feed.iter(f"{ATOM}entry")][1]
    assert "<strong>fett</strong>" in content
    assert "<script>" not in content and "&lt;script&gt;" in content
    topic = parse_feed(Browser(app.test_client()).get("/proposals/feed.atom?topic=open_data").data)
    assert [entry.findtext(f"{ATOM}title") for entry in topic.iter(f"{ATOM}entry")] == ["Offene Daten"]
    assert Browser(app.test_client()).get("/proposals/feed.atom?topic=nonsense").status_code == 404


def test_a_changed_wording_goes_through_the_spam_signals_again(app, db, people, phase):
    proposal = propose(people["anna"], "Mehr Bänke", "Am Rhein.")
    db.session.commit()
    anna = logged_in(app, "anna@example.org")
    edit = f"/proposals/{proposal.id}/edit"
    # a new title over the same text is no repetition of itself
    anna.submit(edit, {"title": "Mehr Bänke am Rhein", "body": "Am Rhein.", "topic": "education"})
    db.session.refresh(proposal)
    assert proposal.status == PUBLISHED
    links = " ".join(f"https://shop.example/{n}" for n in range(5))
    anna.submit(edit, {"title": "Mehr Bänke am Rhein", "body": f"Am Rhein. {links}", "topic": "education"})
    db.session.refresh(proposal)
    assert (proposal.status, proposal.held_because) == (PENDING, "links")
    assert Browser(app.test_client()).get(f"/proposals/{proposal.id}").status_code == 404


def test_contributions_do_not_show_titles_of_proposals_that_left_the_public(app, db, people, phase):
    from participation.comments.services import add_comment

    other = propose(people["uni"], "Bald verborgen", "Text der Uni.")
    add_comment(people["anna"], "Mein Kommentar dazu", None, proposal=other)
    other.status = "hidden"
    db.session.commit()
    html = logged_in(app, "anna@example.org").get("/account/contributions").get_data(as_text=True)
    assert "Mein Kommentar dazu" in html
    assert "Bald verborgen" not in html and "nicht mehr öffentlich" in html


def test_one_letter_searches_match_whole_words_only(app, db, people, phase):
    propose(people["anna"], "Apfelbäume im Park", "Obst für alle.")
    propose(people["uni"], "Plan A für Schulen", "Variante a und b.")
    db.session.commit()
    assert titles(Browser(app.test_client()).get("/proposals/?q=a")) == ["Plan A für Schulen"]


@pytest.mark.parametrize("app_config", [{"LIST_CACHE_SECONDS": 60}])
def test_the_shared_list_shows_each_reader_only_their_own_supports(app, db, people, phase, app_config):
    first = propose(people["uni"], "Erste Idee", "Text eins.")
    second = propose(people["uni"], "Zweite Idee", "Text zwei.")
    services.support(people["anna"], first)
    services.support(people["firma"], second)
    db.session.commit()
    anna, firma = logged_in(app, "anna@example.org"), logged_in(app, "firma@example.org")

    def marked(person) -> list[str]:
        html = person.get("/proposals/").get_data(as_text=True)
        cards = re.findall(r'<li class="proposal-card">(.*?)</li>', html, re.S)
        return sorted(re.search(r">([^<]+)</a>", card).group(1) for card in cards if "Sie unterstützen ihn" in card)

    assert marked(anna) == ["Erste Idee"]
    assert marked(firma) == ["Zweite Idee"]  # from the part anna's request rendered
    assert marked(Browser(app.test_client())) == []
    # the shared part is reused: a new proposal shows once it has expired (here: cleared)
    propose(people["uni"], "Dritte Idee", "Text drei.")
    db.session.commit()
    assert "Dritte Idee" not in titles(anna.get("/proposals/"))
    app.extensions["cache"].store.clear()
    assert "Dritte Idee" in titles(anna.get("/proposals/"))


def test_the_shared_proposal_page_keeps_each_readers_own_parts_apart(app, db, people, phase):
    proposal = propose(people["anna"], "Mehr Bänke", "Am Rhein.")
    db.session.commit()
    page = f"/proposals/{proposal.id}"
    anna, firma, uni = (logged_in(app, f"{name}@example.org") for name in ("anna", "firma", "uni"))
    assert "Vorschlag ändern" in anna.get(page).get_data(as_text=True)
    firma.submit(page, {"choice": "support"}, action=f"{page}/support")
    firma.submit(page, {"choice": "follow"}, action=f"{page}/follow")
    mine = firma.get(page).get_data(as_text=True)
    theirs = uni.get(page).get_data(as_text=True)  # the same shared part
    assert "Meine Unterstützung zurückziehen" in mine and "Sie folgen diesem Vorschlag." in mine
    assert "Diesen Vorschlag unterstützen" in theirs and "Diesem Vorschlag folgen" in theirs
    assert "Vorschlag ändern" not in theirs and "1 Unterstützung" in theirs
    assert csrf_token_from(mine) != csrf_token_from(theirs)
    # the discussion and the status show at once, though the page is shared
    uni.submit(page, {"body": "Gute Sache"}, action=f"{page}/comments")
    assert "Gute Sache" in firma.get(page).get_data(as_text=True)
    anna.submit(f"{page}/withdraw", {})
    assert "zurückgezogen" in anna.get(page).get_data(as_text=True)
