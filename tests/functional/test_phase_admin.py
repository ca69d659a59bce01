"""Admins manage the phases of the process: creating, changing, moving, ending and deleting them
through the pages, with the rules' messages at their fields, the audit log, and the effect on
what is open (comments and votes on one version, nothing kept stale in a cache)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from participation.core.audit import ModerationDecision
from participation.core.i18n import CITY_TIME
from participation.core.models import utcnow
from participation.drafts import services as drafts
from participation.drafts.importer import apply_draft, parse_markdown
from participation.drafts.models import DraftVote
from participation.phases.models import Phase
from tests.conftest import Browser, logged_in
from tests.drafting import DRAFT, first_paragraph

PHASE_PAGES = ["/admin/phases", "/admin/phases/new"]


@pytest.fixture
def admin(users, browser):
    user = users(email="admin@example.org", display_name="Die Admin", roles=("participant", "admin"))
    browser.login("admin@example.org")
    return user


def day(offset: int) -> str:
    """The day `offset` days from today, in Cologne, as the form's date field takes it."""
    return (utcnow().astimezone(CITY_TIME) + timedelta(days=offset)).date().isoformat()


def form(**values) -> dict:
    data = {
        "title_de": "Ideen sammeln",
        "title_en": "Collecting ideas",
        "description_de": "",
        "description_en": "",
        "start_date": day(10),
        "start_time": "",
        "end_date": day(20),
        "end_time": "",
        "opens": ["proposals"],
        "version_id": "",
    }
    data.update(values)
    return data


def create(browser, **values):
    return browser.submit("/admin/phases/new", form(**values))


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def text(response) -> str:
    return " ".join(soup(response).get_text().split())


def decisions(action: str) -> list[ModerationDecision]:
    from participation.extensions import db

    return list(
        db.session.scalars(
            select(ModerationDecision).where(ModerationDecision.action == action).order_by(ModerationDecision.id)
        )
    )


def phases_in_order(db) -> list[str]:
    return list(db.session.scalars(select(Phase.title_de).order_by(Phase.position)))


def make_version(db, copy_of=None, open_it=True):
    if copy_of is None:
        version = drafts.create_version(None, "Digitales Köln 2025")
        apply_draft(version, parse_markdown(DRAFT))
    else:
        version = drafts.copy_version(None, copy_of)
    if open_it:
        drafts.open_consultation(None, version)
    db.session.commit()
    return version


def test_create_change_move_end_and_delete(browser, admin, db):
    response = create(browser, title_de="Ideen für Köln-Mülheim", description_de="Bringen Sie Ideen ein.")
    assert response.status_code == 303 and response.headers["Location"].endswith("/admin/phases")
    first = db.session.scalar(select(Phase))
    assert first.slug == "ideen-fuer-koeln-muelheim" and first.description_de == "Bringen Sie Ideen ein."
    # the day is entered in Cologne's time and stored in UTC: 0:00 there, 22:00 or 23:00 UTC before
    assert first.starts_at.astimezone(CITY_TIME).hour == 0 and first.starts_at.utcoffset() == timedelta(0)
    assert first.ends_at.astimezone(CITY_TIME).date().isoformat() == day(21)  # until the end of the day
    create(browser, title_de="Ideen für Köln-Mülheim", start_date=day(30), end_date="", start_time="18:30")
    second = db.session.scalar(select(Phase).where(Phase.id != first.id))
    assert second.slug == "ideen-fuer-koeln-muelheim-2" and second.ends_at is None
    assert second.starts_at.astimezone(CITY_TIME).strftime("%H:%M") == "18:30"
    listing = text(browser.get("/admin/phases"))
    assert "kein geplantes Ende" in listing and "geplant" in listing

    # the form shows what is stored; a change keeps the slug (figures' addresses name it)
    page = soup(browser.get(f"/admin/phases/{second.id}"))
    assert page.find(id="start_time")["value"] == "18:30" and page.find(id="title_de")["value"] == second.title_de
    changed = browser.submit(
        f"/admin/phases/{second.id}",
        form(title_de="Auswertung", title_en="Evaluation", start_date=day(30), end_date="", opens=[]),
    )
    assert changed.status_code == 303
    db.session.refresh(second)
    assert second.title_de == "Auswertung" and second.slug == "ideen-fuer-koeln-muelheim-2"
    assert not second.opens_proposals
    [entry] = decisions("phase_changed")
    before, after = json.loads(entry.state_before), json.loads(entry.state_after)
    assert before["title_de"] == "Ideen für Köln-Mülheim" and after["title_de"] == "Auswertung"
    assert before["opens"] == ["proposals"] and after["opens"] == []

    token = browser.token("/admin/phases")
    browser.client.post(f"/admin/phases/{second.id}/move", data={"csrf_token": token, "direction": "up"})
    assert phases_in_order(db) == ["Auswertung", "Ideen für Köln-Mülheim"]
    assert json.loads(decisions("phase_moved")[0].state_after) == {"position": 1}

    # a planned phase can be deleted, and it cannot be ended
    ended = browser.client.post(f"/admin/phases/{first.id}/end", data={"csrf_token": token}, follow_redirects=True)
    assert "Nur eine laufende Phase kann beendet werden." in text(ended)
    browser.client.post(f"/admin/phases/{first.id}/delete", data={"csrf_token": token})
    assert phases_in_order(db) == ["Auswertung"]
    assert json.loads(decisions("phase_deleted")[0].state_before)["title_de"] == "Ideen für Köln-Mülheim"

    # a running phase can be ended now, and not deleted: it is history
    create(browser, title_de="Läuft", start_date=day(-1), end_date=day(5))
    running = db.session.scalar(select(Phase).where(Phase.title_de == "Läuft"))
    listing = soup(browser.get("/admin/phases"))
    row = listing.find("a", string="Läuft").find_parent("tr")
    buttons = [button.get_text() for button in row.find_all("button")]
    assert "Jetzt beenden: Läuft" in buttons and "Löschen: Läuft" not in buttons
    refused = browser.client.post(f"/admin/phases/{running.id}/delete", data={"csrf_token": token})
    assert refused.status_code == 303 and db.session.get(Phase, running.id) is not None
    browser.client.post(f"/admin/phases/{running.id}/end", data={"csrf_token": token})
    db.session.refresh(running)
    assert running.ends_at <= utcnow() and not running.is_running()
    [entry] = decisions("phase_ended")
    assert json.loads(entry.state_before)["ends_at"] != json.loads(entry.state_after)["ends_at"]
    assert entry.actor_id == admin.id and entry.target_type == "phase" and entry.target_id == running.id
    assert len(decisions("phase_created")) == 3
    assert "vorbei" in text(browser.get("/admin/phases"))


def test_admin_index_links_to_the_phases(browser, admin):
    assert soup(browser.get("/admin/")).find("a", href="/admin/phases")


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"title_de": ""}, "title_de", "Bitte geben Sie den deutschen Titel ein."),
        ({"title_en": "  "}, "title_en", "Bitte geben Sie den englischen Titel ein."),
        ({"title_de": "x" * 151}, "title_de", ""),
        ({"start_date": ""}, "start_date", "Bitte geben Sie den Tag ein, an dem die Phase beginnt."),
        ({"start_date": "morgen"}, "start_date", ""),
        ({"end_date": day(5)}, "end_date", "Das Ende muss nach dem Beginn liegen."),
        ({"end_date": day(10), "end_time": "00:00"}, "end_date", "Das Ende muss nach dem Beginn liegen."),
        ({"start_time": "25:99"}, "start_time", ""),
        ({"opens": ["draft_votes"]}, "version_id", "Bitte wählen Sie die Version"),
        ({"opens": ["draft_comments", "proposals"]}, "version_id", "Bitte wählen Sie die Version"),
        ({"opens": ["everything"]}, "opens", ""),
        ({"version_id": "999999"}, "version_id", ""),
    ],
)
def test_each_rule_speaks_at_its_field_and_keeps_the_input(browser, admin, db, values, field, message):
    data = form(**({"title_de": "Zwischenstand <b>fett</b>", "description_de": "Bleibt stehen."} | values))
    response = browser.submit("/admin/phases/new", data)
    assert response.status_code == 422
    page = soup(response)
    error = page.find(id=f"{field}-error")
    assert error is not None and message in error.get_text()
    assert page.find(class_="error-summary").find("a", href=f"#{field}")
    # what was typed stays
    assert page.find(id="title_de")["value"] == data["title_de"][:1000]
    assert page.find(id="description_de").get_text().strip() == "Bleibt stehen."
    assert page.find(id="start_date")["value"] == data["start_date"]
    assert db.session.scalar(select(func.count(Phase.id))) == 0


def test_a_version_without_comments_or_votes_is_cleared(browser, admin, db):
    version = make_version(db)
    assert create(browser, opens=["proposals"], version_id=str(version.id)).status_code == 303
    assert db.session.scalar(select(Phase)).version_id is None


def test_overlapping_phases_may_not_open_one_action_on_two_versions(browser, admin, db):
    first = make_version(db)
    second = make_version(db, copy_of=first)
    created = create(
        browser,
        title_de="Entwurf 1",
        start_date=day(1),
        end_date=day(10),
        opens=["draft_votes"],
        version_id=str(first.id),
    )
    assert created.status_code == 303
    # votes on version 2 while version 1's are open: refused, at the version, naming the other phase
    clash = create(
        browser,
        title_de="Entwurf 2",
        start_date=day(5),
        end_date=day(20),
        opens=["draft_votes"],
        version_id=str(second.id),
    )
    assert clash.status_code == 422
    said = soup(clash).find(id="version_id-error").get_text()
    assert "„Entwurf 1“" in said and "Abstimmung über eine andere Version" in said
    # an open end overlaps everything after the start
    open_ended = create(
        browser, title_de="Entwurf 2", start_date=day(-5), end_date="", opens=["draft_votes"], version_id=str(second.id)
    )
    assert open_ended.status_code == 422
    # the same version, another action, or times that do not overlap are fine
    for values in (
        {"start_date": day(5), "end_date": day(10), "opens": ["draft_votes"], "version_id": str(first.id)},
        {"start_date": day(5), "end_date": day(20), "opens": ["draft_comments"], "version_id": str(second.id)},
        {"start_date": day(11), "end_date": day(20), "opens": ["draft_votes"], "version_id": str(second.id)},
        {"start_date": day(2), "end_date": day(20), "opens": ["proposals", "supports"]},
    ):
        assert create(browser, title_de="Weitere", **values).status_code == 303, values
    # changing a phase checks it against the others, not against itself
    later = db.session.scalar(select(Phase).where(Phase.title_de == "Entwurf 1"))
    moved = browser.submit(
        f"/admin/phases/{later.id}",
        form(
            title_de="Entwurf 1", start_date=day(15), end_date=day(16), opens=["draft_votes"], version_id=str(first.id)
        ),
    )
    assert moved.status_code == 422 and "„Weitere“" in soup(moved).find(id="version_id-error").get_text()


def test_a_phase_may_start_today_after_one_on_the_other_version_ended_an_hour_ago(browser, admin, db):
    """What ran before now is history: the round changes today without waiting for midnight."""
    first = make_version(db)
    second = make_version(db, copy_of=first)
    db.session.add(
        Phase(
            slug="entwurf-1",
            title_de="Entwurf 1",
            title_en="Draft 1",
            starts_at=utcnow() - timedelta(days=10),
            ends_at=utcnow() - timedelta(hours=1),
            opens_draft_votes=True,
            version_id=first.id,
        )
    )
    db.session.commit()
    today = create(
        browser,
        title_de="Entwurf 2",
        start_date=day(0),
        end_date=day(20),
        opens=["draft_votes"],
        version_id=str(second.id),
    )
    assert today.status_code == 303
    # but not while the other still runs for the rest of the day
    db.session.get(Phase, db.session.scalar(select(Phase.id).where(Phase.slug == "entwurf-1"))).ends_at = (
        utcnow() + timedelta(hours=1)
    )
    db.session.commit()
    again = create(
        browser,
        title_de="Entwurf 3",
        start_date=day(0),
        end_date=day(20),
        opens=["draft_votes"],
        version_id=str(second.id),
    )
    assert again.status_code == 422


@pytest.mark.parametrize("roles", [("participant",), ("participant", "moderator"), ("participant", "planner")])
def test_only_admins_manage_phases(browser, users, db, roles):
    users(email="someone@example.org", roles=roles)
    phase = Phase(slug="x", title_de="X", title_en="X", starts_at=utcnow() + timedelta(days=3))
    db.session.add(phase)
    db.session.commit()
    visitor = Browser(browser.client.application.test_client())
    browser.login("someone@example.org")
    token = browser.token("/")
    for url in [*PHASE_PAGES, f"/admin/phases/{phase.id}"]:
        assert browser.get(url).status_code == 403, url
        response = visitor.get(url)
        assert response.status_code == 302 and "/login?next=" in response.headers["Location"]
    for action in ("", "/move", "/end", "/delete"):
        response = browser.client.post(f"/admin/phases/{phase.id}{action}", data={"csrf_token": token, **form()})
        assert response.status_code == 403, action
    assert browser.client.post("/admin/phases/new", data={"csrf_token": token, **form()}).status_code == 403
    assert db.session.scalar(select(func.count(Phase.id))) == 1
    assert db.session.scalar(select(func.count(ModerationDecision.id))) == 0


def test_votes_open_on_the_version_the_phase_names(app, browser, admin, users, db):
    first = make_version(db)
    second = make_version(db, copy_of=first, open_it=False)
    # planned ahead: a version being prepared may be named; the list says when it opens
    created = create(
        browser,
        title_de="Entwurf 2 bewerten",
        start_date=day(-1),
        end_date=day(3),
        opens=["draft_votes"],
        version_id=str(second.id),
    )
    assert created.status_code == 303
    row = soup(browser.get("/admin/phases")).find("a", string="Entwurf 2 bewerten").find_parent("tr")
    assert "zu Version 2" in row.get_text() and "erst, wenn sie zur Kommentierung geöffnet ist" in row.get_text()
    drafts.open_consultation(None, second)
    db.session.commit()

    users(email="kim@example.org", display_name="Kim")
    kim = logged_in(app, "kim@example.org")
    token = kim.token("/")
    on_second = kim.client.post(
        f"/masterplan/paragraphs/{first_paragraph(second).id}/vote", data={"csrf_token": token, "choice": "agree"}
    )
    assert on_second.status_code in (302, 303)
    on_first = kim.client.post(
        f"/masterplan/paragraphs/{first_paragraph(first).id}/vote", data={"csrf_token": token, "choice": "agree"}
    )
    said = text(on_first)
    assert on_first.status_code == 403
    assert "Abstimmen über Version 1 ist im Moment nicht möglich." in said
    assert "Jetzt geöffnet: „Entwurf 2 bewerten“ (bis " in said
    assert db.session.scalar(select(func.count(DraftVote.id))) == 1


def test_ending_a_phase_closes_votes_at_once_despite_the_cache(app, browser, admin, users, db, draft):
    """The chapter's shared part is kept for a while; whether votes are open is in its key, so the
    admin's change shows with the next request, not when the kept copy expires."""
    users(email="kim@example.org", display_name="Kim")
    kim = logged_in(app, "kim@example.org")
    paragraph = first_paragraph(draft)
    chapter_url = f"/masterplan/chapters/{paragraph.chapter_id}"
    assert soup(kim.get(chapter_url)).find("form", class_="vote-form")  # rendered and kept
    assert soup(kim.get(chapter_url)).find("form", class_="vote-form")
    running = db.session.scalar(select(Phase))
    token = browser.token("/admin/phases")
    assert browser.client.post(f"/admin/phases/{running.id}/end", data={"csrf_token": token}).status_code == 303
    page = soup(kim.get(chapter_url))
    assert page.find("form", class_="vote-form") is None
    vote = kim.client.post(
        f"/masterplan/paragraphs/{paragraph.id}/vote", data={"csrf_token": kim.token("/"), "choice": "agree"}
    )
    assert vote.status_code == 403 and "Abstimmen über Version 1 ist im Moment nicht möglich." in text(vote)
    assert "Im Moment läuft keine Phase des Verfahrens." in text(vote)


def test_the_form_with_errors_and_the_list_are_valid_html(browser, admin, db, database_url, tmp_path):
    """The site map's suites see the pages as a GET shows them; the form with its messages and the
    list with a phase on a version being prepared are checked here."""
    if not database_url.startswith("sqlite"):
        pytest.skip("markup does not depend on the database; validated once, on SQLite")
    from tests.functional.test_html_validity import run_vnu

    version = make_version(db, open_it=False)
    create(browser, start_date=day(-1), opens=["draft_votes", "draft_comments"], version_id=str(version.id))
    pages = {
        "errors": create(browser, title_de="", end_date=day(1), opens=["draft_votes"]),
        "list": browser.get("/admin/phases"),
        "list-en": browser.get("/admin/phases", headers={"Accept-Language": "en"}),
    }
    assert pages["errors"].status_code == 422
    paths = []
    for name, response in pages.items():
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.get_data())
        paths.append(path)
    assert [f"{m['url'].rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in run_vnu(paths)] == []


def test_the_downloads_filter_shows_a_changed_or_deleted_phase_at_once(browser, admin, db):
    """The downloads' page is shared for a while, keyed by the phases; a renamed or deleted phase
    shows with the next request."""
    create(browser, title_de="Erste Phase")
    create(browser, title_de="Zweite Phase", start_date=day(40), end_date=day(50))
    first = db.session.scalar(select(Phase).order_by(Phase.position))

    def choices():
        return [option.get_text() for option in soup(browser.get("/planning/exports/")).find(id="phase")("option")]

    assert choices() == ["alle", "Erste Phase", "Zweite Phase"]
    assert browser.submit(f"/admin/phases/{first.id}", form(title_de="Umbenannt")).status_code == 303
    assert choices() == ["alle", "Umbenannt", "Zweite Phase"]
    token = browser.token("/admin/phases")
    assert browser.client.post(f"/admin/phases/{first.id}/delete", data={"csrf_token": token}).status_code == 303
    assert choices() == ["alle", "Zweite Phase"]


def test_a_started_phase_keeps_its_start_and_saving_changes_only_what_changed(browser, admin, db):
    create(browser, title_de="Läuft", start_date=day(-2), end_date=day(5))
    phase = db.session.scalar(select(Phase))
    token = browser.token("/admin/phases")
    browser.client.post(f"/admin/phases/{phase.id}/end", data={"csrf_token": token})
    db.session.refresh(phase)
    ended_at = phase.ends_at
    # the form shows the stored moments to the minute; sent back, they stay exactly as stored
    page = soup(browser.get(f"/admin/phases/{phase.id}"))
    values = {name: page.find(id=name)["value"] for name in ("start_date", "start_time", "end_date", "end_time")}
    saved = browser.submit(f"/admin/phases/{phase.id}", form(title_de="Lief", **values))
    assert saved.status_code == 303
    db.session.refresh(phase)
    assert phase.title_de == "Lief" and phase.ends_at == ended_at
    [entry] = decisions("phase_changed")
    before, after = json.loads(entry.state_before), json.loads(entry.state_after)
    assert [name for name in after if after[name] != before[name]] == ["title_de"]
    # moving the start of a phase that has started would rewrite what happened
    moved = browser.submit(f"/admin/phases/{phase.id}", form(title_de="Lief", **(values | {"start_date": day(3)})))
    assert moved.status_code == 422
    assert "Beginn bleibt, wie er war" in soup(moved).find(id="start_date-error").get_text()
    assert soup(moved).find(id="start_date")["value"] == day(3)


def test_the_audit_log_names_and_filters_the_phase_decisions(app, browser, admin, db):
    """Every registered action and target has its place in the audit log's menus, the phases' too."""
    from participation.admin.forms import ACTION_MENU, TARGET_MENU
    from participation.core.audit import ACTION_LABELS, TARGET_LABELS

    assert set(ACTION_LABELS) <= set(ACTION_MENU) and set(TARGET_LABELS) <= set(TARGET_MENU)
    create(browser, title_de="Ins Protokoll")
    listed = browser.get("/admin/audit", query_string={"action": "phase_created", "target_type": "phase"})
    row = soup(listed).find("tbody").find("tr")
    assert "Phase angelegt" in row.get_text() and "Ins Protokoll" in row.get_text()


def test_buttons_without_a_valid_token_change_nothing_and_say_why(browser, admin, db):
    create(browser, title_de="Läuft", start_date=day(-1), end_date=day(5))
    create(browser, title_de="Geplant", start_date=day(9), end_date=day(12))
    running, planned = db.session.scalars(select(Phase).order_by(Phase.position))
    for url, data in (
        (f"/admin/phases/{running.id}/end", {"csrf_token": "forged"}),
        (f"/admin/phases/{planned.id}/delete", {}),
        (f"/admin/phases/{planned.id}/move", {"direction": "up"}),
    ):
        response = browser.client.post(url, data=data)
        assert response.status_code == 400 and "Das Formular ist abgelaufen" in text(response), url
    token = browser.token("/")
    sideways = browser.client.post(f"/admin/phases/{planned.id}/move", data={"csrf_token": token, "direction": "x"})
    assert sideways.status_code == 400 and phases_in_order(db) == ["Läuft", "Geplant"]
    db.session.refresh(running)
    assert running.is_running() and db.session.get(Phase, planned.id) is not None
    assert decisions("phase_ended") == decisions("phase_deleted") == decisions("phase_moved") == []


def test_a_version_that_is_no_number_is_a_message_not_a_crash(browser, admin, db):
    for value in ("abc", "1.5", "99999"):
        response = create(browser, opens=["draft_comments"], version_id=value)
        assert response.status_code == 422, value
        assert soup(response).find(id="version_id-error") is not None, value
    assert db.session.scalar(select(func.count(Phase.id))) == 0
