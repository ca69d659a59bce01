"""Races against the unique constraints, with real parallel requests on PostgreSQL.
Setup is committed first: a transaction around the test would hide the race."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from participation.accounts.models import User
from tests.conftest import Browser
from tests.functional.test_auth import REGISTRATION


def at_once(target, calls: list[tuple]) -> None:
    """target(*arguments) for every tuple of arguments, in threads released at one instant."""
    start = threading.Barrier(len(calls))

    def run(*arguments):
        start.wait()
        target(*arguments)

    threads = [threading.Thread(target=run, args=arguments) for arguments in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


@pytest.fixture
def postgres_only(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": False}])
def test_parallel_registrations_with_one_name_create_one_account(app, db, postgres_only):
    clients = []
    for _ in range(12):
        browser = Browser(app.test_client())
        clients.append((browser, browser.token("/register")))
    statuses = []

    def register(browser, token, n):
        data = dict(REGISTRATION, email=f"racer{n}@example.org", display_name="Der Schnellste", csrf_token=token)
        statuses.append(browser.client.post("/register", data=data).status_code)

    at_once(register, [(b, t, n) for n, (b, t) in enumerate(clients)])
    assert sorted(statuses) == [302] + [422] * (len(clients) - 1)
    assert db.session.scalar(select(func.count(User.id))) == 1


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": False}])
def test_parallel_votes_keep_one_row_per_person_and_true_counters(app, db, users, postgres_only):
    from participation.drafts import services
    from participation.drafts.importer import apply_draft, parse_markdown
    from participation.drafts.models import DraftVote, Paragraph
    from tests.drafting import counters_match_rows, open_phase

    version = services.create_version(None, "Entwurf")
    apply_draft(version, parse_markdown("# Kapitel\n\nEin Absatz."))
    services.open_consultation(None, version)
    open_phase(db, version=version)
    people = [users(email=f"voter{n}@example.org") for n in range(8)]
    db.session.commit()
    paragraph_id = version.chapters[0].paragraphs[0].id
    requests = []
    for person in people:
        for choice in ("agree", "disagree", "agree", "neutral", "agree"):  # the same person, many clicks at once
            browser = Browser(app.test_client())
            browser.login(person.email)
            requests.append((browser, browser.token("/"), choice))
    statuses = []

    def vote(browser, token, choice):
        response = browser.client.post(
            f"/masterplan/paragraphs/{paragraph_id}/vote", data={"csrf_token": token, "choice": choice}
        )
        statuses.append(response.status_code)

    at_once(vote, requests)
    assert statuses == [303] * len(requests)
    db.session.expire_all()
    assert db.session.scalar(select(func.count(DraftVote.id))) == len(people)
    assert counters_match_rows(db, paragraph_id)
    paragraph = db.session.get(Paragraph, paragraph_id)
    assert paragraph.agree_count + paragraph.neutral_count + paragraph.disagree_count == len(people)


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": False}])
def test_parallel_votes_and_comments_in_one_chapter_neither_deadlock_nor_lose_a_revision(app, db, users, postgres_only):
    """Votes lock the chapter (its revision) before the paragraph, and so do comments, their
    deletion included; otherwise these requests would deadlock now and then."""
    from participation.comments.services import add_comment
    from participation.drafts import services
    from participation.drafts.importer import apply_draft, parse_markdown
    from participation.drafts.models import Chapter, Paragraph
    from tests.drafting import counters_match_rows, open_phase

    version = services.create_version(None, "Entwurf")
    apply_draft(version, parse_markdown("# Kapitel\n\nEin Absatz.\n\nNoch einer."))
    services.open_consultation(None, version)
    open_phase(db, version=version)
    people = [users(email=f"person{n}@example.org") for n in range(12)]
    chapter = version.chapters[0]
    own = [add_comment(person, "Zum Löschen", None, chapter, chapter.paragraphs[0]) for person in people[:4]]
    db.session.commit()
    before = db.session.get(Chapter, chapter.id).revision
    first, second = (p.id for p in chapter.paragraphs)
    requests = []
    for n, person in enumerate(people):
        browser = Browser(app.test_client())
        browser.login(person.email)
        token = browser.token("/")
        requests.append((browser, f"/masterplan/paragraphs/{first}/vote", {"choice": "agree"}, token))
        requests.append((browser, f"/masterplan/paragraphs/{second}/vote", {"choice": "disagree"}, token))
        requests.append((browser, f"/masterplan/paragraphs/{first}/comments", {"body": f"Gedanke {n}"}, token))
        if n < len(own):
            requests.append((browser, f"/comments/{own[n].id}/delete", {}, token))
    statuses = []

    def post(browser, url, data, token):
        statuses.append(browser.client.post(url, data={"csrf_token": token, **data}).status_code)

    at_once(post, requests)
    assert statuses == [303] * len(requests)
    db.session.expire_all()
    assert db.session.get(Chapter, chapter.id).revision == before + len(requests)
    assert counters_match_rows(db, first) and counters_match_rows(db, second)
    assert db.session.get(Paragraph, first).comment_count == len(people)


def test_parallel_supports_count_each_person_once(app, db, users, postgres_only):
    from participation.proposals import services
    from participation.proposals.models import Proposal, Support

    author = users(email="author@example.org")
    proposal_id = services.submit(author, "Schnelles WLAN an allen Schulen", "Glasfaser für jede Schule.").id
    fans = [users(email=f"fan{n}@example.org").id for n in range(6)]
    db.session.commit()
    attempts = [fan for fan in fans for _ in range(4)]  # each person clicks four times at once
    errors = []

    def support(user_id):
        with app.app_context():
            try:
                person = db.session.get(User, user_id)
                services.support(person, db.session.get(Proposal, proposal_id))
                db.session.commit()
            except Exception as error:  # collected and asserted below
                errors.append(error)

    at_once(support, [(fan,) for fan in attempts])
    assert errors == []
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Support.id))) == len(fans)
    assert db.session.get(Proposal, proposal_id).support_count == len(fans)


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": False}])
def test_a_preview_confirmed_many_times_at_once_imports_once(app, db, users, postgres_only):
    """A double click, or the confirmation sent from two tabs: each request finds the preview, but only
    the one that takes it imports; the others are sent to the list of versions to check."""
    import io

    from bs4 import BeautifulSoup

    from participation.drafts.models import MasterplanVersion, PendingImport

    users(email="plan@example.org", roles=("participant", "planner"))
    tabs = [Browser(app.test_client()) for _ in range(8)]
    for tab in tabs:
        tab.login("plan@example.org")
    data = {"file": (io.BytesIO(b"# Bildung\n\nEin Absatz.\n"), "entwurf.md"), "target": "new"}
    preview = tabs[0].submit("/planning/import", data, content_type="multipart/form-data")
    token = BeautifulSoup(preview.data, "html.parser").find("input", attrs={"name": "token"})["value"]
    requests = [(tab, tab.token("/planning/import")) for tab in tabs]  # committed: the view commits the preview
    answers = []

    def confirm(tab, csrf_token):
        response = tab.client.post(
            "/planning/import/confirm", data={"csrf_token": csrf_token, "token": token, "title": "Entwurf"}
        )
        answers.append((response.status_code, response.headers.get("Location")))

    at_once(confirm, requests)
    db.session.expire_all()
    assert db.session.scalar(select(func.count(MasterplanVersion.id))) == 1
    assert db.session.scalar(select(func.count(PendingImport.id))) == 0
    assert sorted(answers) == sorted([(303, "/planning/versions/1")] + [(303, "/planning/")] * 7)
    # the others are not told that it failed (the planner would upload again and get a second version),
    # but that it may have been confirmed, on the list of versions that shows the imported one
    told = []
    for tab, _ in requests:
        page = BeautifulSoup(tab.get("/planning/").data, "html.parser")
        message = page.find(class_="flash--info")  # the one that imported was told so on its version
        if message is not None:
            told.append(message.get_text())
            assert "nicht bestätigt werden" not in message.get_text()
            assert page.find("a", href="/planning/versions/1") is not None
    assert (
        told
        == [
            "Diese Vorschau wurde bereits bestätigt oder ist abgelaufen. Bitte prüfen Sie in der Liste der Versionen, "
            "ob der Entwurf schon importiert wurde, bevor Sie die Datei erneut hochladen."
        ]
        * 7
    )
