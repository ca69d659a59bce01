"""The home page leads: what is open now with a direct action each and how long, the key figures,
what came of the input, and for a person logged in their own waiting input and news."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date

from participation.comments.services import add_comment
from participation.core.models import utcnow
from participation.drafts import services as drafts
from participation.drafts.models import DraftVote
from participation.incorporation.services import incorporate
from participation.phases.models import Phase
from participation.proposals import services as proposals
from participation.proposals.models import HIDDEN, WITHDRAWN
from tests.conftest import Browser, logged_in
from tests.drafting import first_paragraph, hide_as_spam, open_phase
from tests.proposing import propose

COLOGNE = ZoneInfo("Europe/Berlin")


def _page(browser, **headers) -> str:
    response = browser.get("/", headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _section(html: str, heading_id: str) -> str:
    """The HTML of the section labelled by `heading_id` (empty when there is none)."""
    match = re.search(rf'<section aria-labelledby="{heading_id}">(.*?)</section>', html, re.S)
    return match.group(1) if match else ""


def _phase(db, slug, start, end, **opens) -> Phase:
    phase = Phase(slug=slug, title_de=f"Phase {slug}", title_en=f"Phase {slug}", starts_at=start, ends_at=end, **opens)
    db.session.add(phase)
    db.session.commit()
    return phase


@pytest.fixture
def people(users):
    return {
        "anna": users(email="anna@example.org", display_name="Anna"),
        "ben": users(email="ben@example.org", display_name="Ben"),
        "plan": users(email="plan@example.org", display_name="Paula", roles=("participant", "planner", "moderator")),
    }


def test_a_visitor_is_led_to_each_open_action(app, db, draft):
    open_phase(db, votes=False, comments=False, proposals=True, supports=True)
    db.session.commit()
    html = _page(Browser(app.test_client()))
    now = _section(html, "open-now-title")
    assert 'href="/masterplan/1/">Version 1 lesen und kommentieren</a>' in now
    assert 'href="/login?next=/proposals/new">Vorschlag einreichen</a>' in now
    assert "Dazu melden Sie sich zuerst an oder registrieren sich." in now
    assert 'href="/proposals/">Vorschläge unterstützen</a>' in now
    assert "noch 2 Tage" in now  # today and tomorrow
    assert 'id="mine-title"' not in html and "Warten auf eine Antwort" not in html
    english = _page(Browser(app.test_client()), **{"Accept-Language": "en"})
    assert "Read and comment on version 1" in english and "Support proposals" in english
    assert "2 days left" in english


def test_a_participant_submits_directly(app, db, draft, people):
    open_phase(db, votes=False, comments=False, proposals=True, supports=False)
    db.session.commit()
    html = _page(logged_in(app, "anna@example.org"))
    now = _section(html, "open-now-title")
    assert 'href="/proposals/new">Vorschlag einreichen</a>' in now
    assert "Vorschläge unterstützen" not in now and "registrieren" not in now


def test_only_running_phases_open_actions_and_the_next_start_is_told(app, db):
    past = utcnow() - timedelta(days=20)
    _phase(db, "ideas", past, past + timedelta(days=5), opens_proposals=True, opens_supports=True)
    start = datetime(2031, 3, 5, 17, 0, tzinfo=UTC)  # 18:00 in Cologne
    _phase(db, "later", start, start + timedelta(days=30), opens_proposals=True)
    html = _page(Browser(app.test_client()))
    now = _section(html, "open-now-title")
    assert "Im Moment läuft keine Phase des Verfahrens." in now
    assert "Die nächste Phase, „Phase later“, beginnt am 5. März 2031, 18:00." in now
    assert "Vorschlag einreichen" not in now and "/proposals/new" not in html
    # the past phase still leads to where its input is
    process = _section(html, "phases-title")
    assert 'href="/proposals/">Zu den Vorschlägen</a>' in process


def test_actions_are_bound_to_the_version_the_phase_opens(app, db, draft):
    html = _page(Browser(app.test_client()))
    assert 'href="/masterplan/1/">Version 1 lesen und kommentieren</a>' in _section(html, "open-now-title")
    # the first round ends; version 2 opens and a new phase opens it
    for phase in db.session.query(Phase):
        phase.starts_at, phase.ends_at = utcnow() - timedelta(days=10), utcnow() - timedelta(days=2)
    drafts.close_consultation(None, draft)
    second = drafts.copy_version(None, draft)
    db.session.commit()
    preparing = _page(Browser(app.test_client()))
    assert "/masterplan/2/" not in preparing  # a version being prepared is linked nowhere
    drafts.open_consultation(None, second)
    open_phase(db, version=second)
    db.session.commit()
    html = _page(Browser(app.test_client()))
    now = _section(html, "open-now-title")
    assert 'href="/masterplan/2/">Version 2 lesen und kommentieren</a>' in now
    assert "/masterplan/1/" not in now
    # the past phase links to its version, which stays readable
    process = _section(html, "phases-title")
    assert 'href="/masterplan/1/">Version 1 lesen</a>' in process
    assert 'href="/masterplan/2/">Version 2 lesen und kommentieren</a>' in process


def test_days_left_are_counted_in_cologne(app, db):
    # ends at 23:30 UTC the day after tomorrow: already the next day in Cologne
    today = utcnow().astimezone(COLOGNE).date()
    end = datetime.combine(today + timedelta(days=2), datetime.min.time(), UTC).replace(hour=23, minute=30)
    _phase(db, "short", utcnow() - timedelta(days=1), end, opens_supports=True)
    html = _section(_page(Browser(app.test_client())), "open-now-title")
    local = end.astimezone(COLOGNE)
    assert f"bis {format_date(local.date(), 'long', locale='de')}, {local:%H:%M} – noch 4 Tage" in html
    english = _section(_page(Browser(app.test_client()), **{"Accept-Language": "en"}), "open-now-title")
    assert f"until {format_date(local.date(), 'long', locale='en')}" in english and "4 days left" in english


def test_days_left_thirty_and_the_last_day(app, db):
    # ends at midnight in Cologne: open until the day before, inclusive, counted with today
    day = utcnow().astimezone(COLOGNE).date() + timedelta(days=30)
    end = datetime.combine(day, datetime.min.time(), COLOGNE).astimezone(UTC)
    _phase(db, "long", utcnow() - timedelta(days=1), end, opens_supports=True)
    html = _page(Browser(app.test_client()))
    last = day - timedelta(days=1)
    assert f"bis {format_date(last, 'long', locale='de')} – noch 30 Tage</p>" in html
    assert f"bis {format_date(last, 'medium', locale='de')}</p>" in _section(html, "phases-title")
    english = _page(Browser(app.test_client()), **{"Accept-Language": "en"})
    assert f"until {format_date(last, 'long', locale='en')} — 30 days left</p>" in english
    db.session.query(Phase).delete()
    end = datetime.now(COLOGNE).replace(hour=23, minute=59, second=0, microsecond=0)
    if end.astimezone(UTC) <= utcnow():
        pytest.skip("run in the last minute of a Cologne day")
    _phase(db, "ends-today", utcnow() - timedelta(days=1), end.astimezone(UTC), opens_supports=True)
    assert "letzter Tag" in _page(Browser(app.test_client()))


def _figures(html: str) -> dict[str, str]:
    return dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", _section(html, "figures-title")))


def test_key_figures_count_public_input_only(app, db, draft, people, users):
    open_phase(db, votes=False, comments=False, proposals=True, supports=True)
    anna, ben, plan = people["anna"], people["ben"], people["plan"]
    hidden_author = users(email="hidden@example.org", display_name="Versteckt")
    shown = propose(anna, "WLAN in Schulen", "Überall.")
    answered = propose(ben, "Offene Daten", "Ein Portal.")
    proposals.answer(plan, answered, "accepted", "Ja.")
    hidden = propose(hidden_author, "Werbung", "Kaufen!")
    hidden.status = HIDDEN
    withdrawn = propose(hidden_author, "Zurückgezogen", "Doch nicht.")
    withdrawn.status = WITHDRAWN
    proposals.support(ben, shown)
    proposals.support(hidden_author, hidden)  # on a hidden proposal: not counted
    paragraph = first_paragraph(draft)
    add_comment(anna, "Gute Idee", None, draft.chapters[0], paragraph)
    gone = add_comment(hidden_author, "Spam", None, draft.chapters[0], paragraph)
    gone.status = "hidden"
    add_comment(hidden_author, "Zum versteckten", None, proposal=hidden)  # on a hidden proposal
    for person in (anna, ben, plan):
        drafts.cast_vote(person, paragraph, 1)
    db.session.commit()
    figures = _figures(_page(Browser(app.test_client())))
    assert figures == {
        "Teilnehmende": "3",  # anna, ben (proposals, support, comment), plan (vote); never the hidden author
        "Vorschläge": "2",
        "Kommentare": "1",
        "Stimmen zum Entwurf": "3",
        "Gegebene Antworten": "1",
    }
    assert db.session.query(DraftVote).count() == 3


def test_key_figures_are_shared_briefly_per_language(app, db, people):
    app.config["REPORT_CACHE_SECONDS"] = 300
    propose(people["anna"], "Eins", "Begründung Nummer 1, ausführlich.")
    db.session.commit()
    assert _figures(_page(Browser(app.test_client())))["Vorschläge"] == "1"
    propose(people["ben"], "Zwei", "Begründung Nummer 2, ausführlich.")
    db.session.commit()
    assert _figures(_page(Browser(app.test_client())))["Vorschläge"] == "1"  # kept for a while
    english = _page(Browser(app.test_client()), **{"Accept-Language": "en"})
    assert re.search(r"<dt>Proposals</dt><dd>2</dd>", english)  # its own key


def test_what_came_of_it_shows_only_public_outcomes(app, db, draft, people):
    anna, ben, plan = people["anna"], people["ben"], people["plan"]
    open_phase(db, votes=False, comments=False, proposals=True, supports=True)
    answered = propose(anna, "Glasfaser für Porz", "Schnell.")
    proposals.answer(plan, answered, "partly_accepted", "Teilweise.")
    later_hidden = propose(ben, "Versteckte Antwort", "Begründung Nummer 3, ausführlich.")
    proposals.answer(plan, later_hidden, "accepted", "Ja.")
    later_hidden.status = HIDDEN
    waiting = propose(ben, "Noch offen", "Begründung Nummer 4, ausführlich.")
    comment = add_comment(ben, "Mehr Bänke mit WLAN", "addition", draft.chapters[0], first_paragraph(draft))
    comment.answer_status = "accepted"
    db.session.commit()
    drafts.close_consultation(None, draft)
    second = drafts.copy_version(None, draft)
    target = second.chapters[0].paragraphs[0]
    incorporate(plan, target, answered, "partly", "Satz ergänzt.")
    incorporate(plan, target, comment, "full", "")
    db.session.commit()

    html = _section(_page(Browser(app.test_client())), "outcomes-title")
    assert "Glasfaser für Porz" in html and "teilweise angenommen" in html and "beantwortet am" in html
    assert "Versteckte Antwort" not in html and "Noch offen" not in html
    assert "übernommen in" not in html  # version 2 is being prepared
    assert f"/masterplan/paragraphs/{target.id}" not in html

    drafts.open_consultation(None, second)
    db.session.commit()
    html = _section(_page(Browser(app.test_client())), "outcomes-title")
    assert html.count(f'href="/masterplan/paragraphs/{target.id}">Absatz 1.1 von Version 2</a>') == 2
    assert "teilweise übernommen in" in html and "vollständig übernommen in" in html
    assert "Mehr Bänke mit WLAN" in html
    # input hidden by the moderation after it was taken in is no longer shown, though the page
    # was shared a moment ago
    hide_as_spam(plan, anna, comment)
    db.session.commit()
    html = _section(_page(Browser(app.test_client())), "outcomes-title")
    assert "Mehr Bänke mit WLAN" not in html and "Glasfaser für Porz" in html
    assert waiting.id  # published and waiting: on its author's page only (see below)


def test_personal_sections_show_only_ones_own_items(app, db, draft, people):
    anna, ben, plan = people["anna"], people["ben"], people["plan"]
    open_phase(db, votes=False, comments=False, proposals=True, supports=True)
    annas = propose(anna, "Annas Idee", "Begründung Nummer 5, ausführlich.")
    propose(anna, "Annas Entwurf im Wartezimmer", "Text.", status="pending")
    bens = propose(ben, "Bens Idee", "Begründung Nummer 6, ausführlich.")
    add_comment(anna, "Annas Anmerkung zum Absatz", None, draft.chapters[0], first_paragraph(draft))
    answered_comment = add_comment(
        anna, "Annas beantwortete Anmerkung", None, draft.chapters[0], first_paragraph(draft)
    )
    answered_comment.answer_status = "not_accepted"
    proposals.follow(ben, annas)
    db.session.commit()
    proposals.answer(plan, annas, "accepted", "Wird gemacht.")
    add_comment(anna, "Danke!", None, proposal=annas)
    add_comment(ben, "Bens eigener Kommentar", None, proposal=annas)  # his own: no news for him
    db.session.commit()

    annas_page = _section(_page(logged_in(app, "anna@example.org")), "mine-title")
    annas_waiting, annas_news = annas_page.split("Neues zu Vorschlägen, denen Sie folgen")
    assert "Annas Anmerkung zum Absatz" in annas_waiting
    assert "Ihr Kommentar zu Absatz 1.1 von Version 1" in annas_waiting
    assert "Annas Idee" not in annas_waiting  # answered
    assert "Annas beantwortete Anmerkung" not in annas_page and "Wartezimmer" not in annas_page
    assert "Bens Idee" not in annas_page
    assert 'href="/account/contributions"' in annas_page
    # an author follows her proposal: its answer and Ben's comment are news, her own comment is not
    assert "Annas Idee" in annas_news and "beantwortet: angenommen; 1 neuer Kommentar" in " ".join(annas_news.split())

    bens_page = _section(_page(logged_in(app, "ben@example.org")), "mine-title")
    assert f'href="/proposals/{bens.id}">Bens Idee</a>' in bens_page
    assert "Annas Anmerkung" not in bens_page
    assert f'href="/proposals/{annas.id}">Annas Idee</a>' in bens_page
    assert "beantwortet: angenommen" in bens_page and "1 neuer Kommentar" in bens_page  # Anna's "Danke!"

    visitor = _page(Browser(app.test_client()))
    assert 'id="mine-title"' not in visitor
    for private in ("Annas Anmerkung", "Bens Idee", "Wartezimmer", "/account/contributions"):
        assert private not in visitor


def test_news_only_since_following(app, db, people):
    anna, ben, plan = people["anna"], people["ben"], people["plan"]
    open_phase(db, votes=False, comments=False, proposals=True, supports=True)
    annas = propose(anna, "Früh beantwortet", "Begründung Nummer 7, ausführlich.")
    proposals.answer(plan, annas, "not_accepted", "Nein, weil.")
    add_comment(anna, "Schade", None, proposal=annas)
    db.session.commit()
    proposals.follow(ben, annas)
    db.session.commit()
    page = _section(_page(logged_in(app, "ben@example.org")), "mine-title")
    assert "Früh beantwortet" not in page and "In den letzten 30 Tagen gab es nichts Neues" in page


def test_the_home_page_takes_few_queries(app, db, draft, people):
    from tests.conftest import queries_for

    open_phase(db, votes=False, comments=False, proposals=True, supports=True)
    for number in range(8):
        proposal = propose(people["ben"], f"Vorschlag {number}", f"Begründung {number} Nummer 8, ausführlich.")
        proposals.answer(people["plan"], proposal, "accepted", "Ja.")
        proposals.follow(people["anna"], proposal)
        add_comment(people["anna"], f"Kommentar {number}", None, draft.chapters[0], first_paragraph(draft))
    db.session.commit()
    anna = logged_in(app, "anna@example.org")
    few = queries_for(anna.client, "/")
    for number in range(8, 16):
        proposal = propose(people["ben"], f"Vorschlag {number}", f"Begründung {number} Nummer 9, ausführlich.")
        proposals.answer(people["plan"], proposal, "accepted", "Ja.")
        proposals.follow(people["anna"], proposal)
    db.session.commit()
    assert queries_for(anna.client, "/") <= few


def test_a_phase_without_actions_leads_to_the_answers_once_it_has_begun(app, db):
    _phase(db, "evaluation", utcnow() - timedelta(days=1), utcnow() + timedelta(days=9))
    _phase(db, "adoption", utcnow() + timedelta(days=9), None)
    html = _page(Browser(app.test_client()))
    process = _section(html, "phases-title")
    assert process.count('href="/proposals/">Vorschläge und ihre Antworten</a>') == 1  # not yet for the adoption
    now = _section(html, "open-now-title")
    assert "Phase evaluation" in now and "noch 10 Tage" in now and "<a " not in now
