"""Hidden means gone from the open data: hiding, deleting or withdrawing anything public puts the
open data out of date in the same transaction, the site never serves a ZIP that holds it, and every
app host serves the same ZIP from the database."""

from __future__ import annotations

import io
import itertools
import time
import zipfile

import pytest
from sqlalchemy import select

from participation import create_app
from participation.comments.services import add_comment
from participation.config import TESTING
from participation.exports import open_data, stored
from participation.exports.models import OpenDataFile, OpenDataState
from participation.proposals import services as proposals
from tests.conftest import Browser, IsolatedClient, logged_in
from tests.drafting import first_paragraph, open_phase

PRIVATE_TITLE = "Ruft mich an: 0221 4711 0815"
PRIVATE_COMMENT = "Ich wohne Venloer Straße 12"
WITHDRAWN_TITLE = "Doch lieber nicht"


@pytest.fixture
def site(db, users, draft):
    open_phase(db, votes=True, comments=True, proposals=True, supports=True)
    erika = users(email="erika@example.org", stakeholder_group="residents")
    for n in range(3):
        users(email=f"reporter{n}@example.org")
    hidden = proposals.submit(erika, PRIVATE_TITLE, "Bitte zurückrufen.", "education")
    withdrawn = proposals.submit(erika, WITHDRAWN_TITLE, "Schon erledigt.", "education")
    paragraph = first_paragraph(draft)
    comment = add_comment(erika, PRIVATE_COMMENT, "addition", paragraph.chapter, paragraph)
    db.session.commit()
    return {"hidden": hidden, "withdrawn": withdrawn, "comment": comment}


def _download(client) -> str:
    """The ZIP's text (every file), waiting while it is being made."""
    for _attempt in range(200):
        response = client.get("/open-data/open-data.zip")
        if response.status_code != 503:
            break
        time.sleep(0.1)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.headers["Content-Length"] == str(len(response.get_data()))
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        return " ".join(archive.read(name).decode("utf-8") for name in archive.namelist())


def _report_three_times(app, proposal_id: int) -> None:
    """Three people report it for personal data, as they would on the site: it is hidden."""
    for n in range(3):
        reporter = logged_in(app, f"reporter{n}@example.org")
        url = f"/proposals/{proposal_id}/report"
        assert reporter.submit(url, {"reason": "personal_data", "note": ""}).status_code == 303


def _delete_comment(app, comment_id: int) -> None:
    url = f"/comments/{comment_id}/delete"
    assert logged_in(app, "erika@example.org").submit(url, {}).status_code == 303


def _withdraw(app, proposal_id: int) -> None:
    url = f"/proposals/{proposal_id}/withdraw"
    assert logged_in(app, "erika@example.org").submit(url, {}).status_code == 303


TAKE_BACK = {
    "hidden by three reports": (lambda app, site: _report_three_times(app, site["hidden"].id), PRIVATE_TITLE),
    "comment deleted": (lambda app, site: _delete_comment(app, site["comment"].id), PRIVATE_COMMENT),
    "proposal withdrawn": (lambda app, site: _withdraw(app, site["withdrawn"].id), WITHDRAWN_TITLE),
}


@pytest.mark.parametrize("case", list(TAKE_BACK))
def test_what_is_taken_back_is_gone_from_the_next_download(app, db, site, case):
    take_back, text = TAKE_BACK[case]
    visitor = Browser(app.test_client())
    assert text in _download(visitor)
    before = db.session.scalar(select(OpenDataState.revision)) or 0
    take_back(app, site)
    assert db.session.scalar(select(OpenDataState.revision)) > before  # in the transaction that took it back
    again = _download(visitor)
    assert text not in again
    assert "Venloer" in again or case == "comment deleted"  # the rest is still there


def test_an_edited_title_and_a_changed_answer_leave_the_next_download(app, db, site, users):
    """The old wording is no longer public, so it must not stay in the file either."""
    planner = users(roles=("participant", "planner"))
    proposals.answer(planner, site["withdrawn"], "accepted", "Wir melden uns unter 0221 999.")
    db.session.commit()
    assert app.test_cli_runner().invoke(args=["export", "open-data"]).exit_code == 0  # the nightly run
    visitor = Browser(app.test_client())
    made = _download(visitor)
    assert PRIVATE_TITLE in made and "0221 999" in made
    hidden = site["hidden"]
    proposals.edit(hidden, "Bitte um Rückruf", hidden.body, hidden.topic, hidden.chapter_id, hidden.district)
    db.session.commit()
    assert PRIVATE_TITLE not in _download(visitor)
    proposals.answer(planner, site["withdrawn"], "accepted", "Wir melden uns.")
    db.session.commit()
    again = _download(visitor)
    assert "0221 999" not in again and "Wir melden uns." in again and "Bitte um Rückruf" in again


def test_a_new_contribution_does_not_put_the_file_out_of_date(app, db, site, users, monkeypatch):
    visitor = Browser(app.test_client())
    first = visitor.get("/open-data/open-data.zip").get_data()
    proposals.submit(users(), "Noch ein Vorschlag", "Text", "education")
    db.session.commit()
    monkeypatch.setattr(open_data, "write", _must_not_be_made)
    assert visitor.get("/open-data/open-data.zip").get_data() == first  # it joins with the next file


def test_an_out_of_date_file_is_never_served_while_the_new_one_is_made(app, db, site):
    visitor = Browser(app.test_client())
    assert PRIVATE_TITLE in _download(visitor)
    _report_three_times(app, site["hidden"].id)
    lock = stored.Lock()  # another worker of any host is making the new one
    lock.acquire()
    try:
        response = visitor.get("/open-data/open-data.zip")
        assert response.status_code == 503 and response.headers["Retry-After"] == "60"
        assert PRIVATE_TITLE.encode() not in response.get_data()
        assert response.get_data(as_text=True) == (
            "Die offenen Daten werden gerade neu erstellt. Bitte versuchen Sie es in einer Minute noch einmal."
        )
        english = visitor.get("/open-data/open-data.zip", headers={"Accept-Language": "en"}).get_data(as_text=True)
        assert english == "The open data are being made anew right now. Please try again in a minute."
        page = visitor.get("/open-data/").get_data(as_text=True)
        assert "Erstellt am" not in page  # no size or date of a file that is not served
    finally:
        lock.release()
    assert PRIVATE_TITLE not in _download(visitor)
    assert "Erstellt am" in visitor.get("/open-data/").get_data(as_text=True)


@pytest.mark.parametrize("app_config", [{"OPEN_DATA_WAIT_SECONDS": 0}])
def test_a_long_making_goes_on_after_the_request_answered(app, db, site):
    visitor = Browser(app.test_client())
    response = visitor.get("/open-data/open-data.zip")
    assert response.status_code == 503  # the thread makes it on
    assert PRIVATE_TITLE in _download(visitor)
    assert db.session.scalar(select(OpenDataFile.id).where(OpenDataFile.superseded_at.is_(None))) is not None


@pytest.mark.parametrize("app_config", [{"OPEN_DATA_REBUILD_SECONDS": 50}])
def test_a_wait_under_a_minute_is_not_told_as_a_making(app, db, site):
    """Under a minute to the next making, nothing is being made either."""
    visitor = Browser(app.test_client())
    assert PRIVATE_TITLE in _download(visitor)
    _report_three_times(app, site["hidden"].id)
    response = visitor.get("/open-data/open-data.zip")
    assert response.status_code == 503 and 40 <= int(response.headers["Retry-After"]) <= 50
    assert response.get_data(as_text=True) == (
        "Die offenen Daten sind nicht mehr aktuell und werden in 1 Minute neu erstellt; "
        "bitte versuchen Sie es dann erneut."
    )
    english = visitor.get("/open-data/open-data.zip", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert english == "The open data are out of date and will be made anew in 1 minute; please try again then."


def _must_not_be_made(target):
    raise AssertionError("the open data were made again")


def test_two_app_hosts_serve_the_same_file_from_the_database(app, db, site, monkeypatch):
    other = create_app(dict(TESTING, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"]))
    other.test_client_class = IsolatedClient
    try:
        first = Browser(app.test_client()).get("/open-data/open-data.zip")
        assert first.status_code == 200
        with monkeypatch.context() as patched:
            patched.setattr(open_data, "write", _must_not_be_made)  # the other host makes none of its own
            second = Browser(other.test_client()).get("/open-data/open-data.zip")
            assert second.status_code == 200 and second.get_data() == first.get_data()
        _report_three_times(other, site["hidden"].id)  # hidden through the other host
        assert PRIVATE_TITLE not in _download(Browser(app.test_client()))
    finally:
        with other.app_context():
            from participation.extensions import db as _db

            _db.engine.dispose()


def test_a_worker_killed_while_making_it_does_not_block_the_others(app, db, site):
    """On PostgreSQL the lock belongs to the maker's database session: it ends with its process."""
    import signal
    import subprocess
    import sys

    if db.engine.dialect.name != "postgresql":
        pytest.skip("the advisory lock is PostgreSQL's; SQLite serves one host with a file lock")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, db.engine.url.render_as_string(hide_password=False), str(stored.LOCK_ID)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        assert Browser(app.test_client()).get("/open-data/open-data.zip").status_code == 503
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(10)
        holder.stdout.close()
    assert PRIVATE_TITLE in _download(Browser(app.test_client()))


HOLD_LOCK = """
import sys, time
from sqlalchemy import create_engine, text
connection = create_engine(sys.argv[1]).connect()
connection.execute(text("SELECT pg_advisory_lock(:id)"), {"id": int(sys.argv[2])})
connection.commit()
print("locked", flush=True)
time.sleep(120)
"""


@pytest.mark.parametrize("app_config", [{"OPEN_DATA_REBUILD_SECONDS": 2}])
def test_edits_and_downloads_in_a_loop_start_one_making_per_interval(app, db, site, monkeypatch):
    """An author editing their proposal in a loop while anyone downloads: the file is made anew at
    most once per OPEN_DATA_REBUILD_SECONDS, and no answer holds a title that was edited away."""
    starts = []
    write = open_data.write

    def counted(target):
        starts.append(time.monotonic())
        return write(target)

    monkeypatch.setattr(open_data, "write", counted)
    visitor = Browser(app.test_client())
    assert PRIVATE_TITLE in _download(visitor)
    proposal = site["hidden"]
    gone = [PRIVATE_TITLE]
    answers = []
    began = time.monotonic()
    edit = 0
    while time.monotonic() - began < 5:
        edit += 1
        proposals.edit(
            proposal, f"Neuer Titel {edit:03d}", proposal.body, proposal.topic, proposal.chapter_id, proposal.district
        )
        db.session.commit()
        for _ in range(3):
            response = visitor.get("/open-data/open-data.zip")
            answers.append(response.status_code)
            if response.status_code == 503:
                assert 1 <= int(response.headers["Retry-After"]) <= 2
                continue
            with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
                text = " ".join(archive.read(name).decode("utf-8") for name in archive.namelist())
            assert not [title for title in gone if title in text]  # nothing edited away is served
            assert f"Neuer Titel {edit:03d}" in text
        gone.append(f"Neuer Titel {edit:03d}")
        time.sleep(0.05)
    gaps = [later - earlier for earlier, later in itertools.pairwise(starts)]
    assert len(starts) <= 1 + 5 / 2 + 1 and all(gap >= 1.9 for gap in gaps), gaps
    assert edit >= 10 and 503 in answers and 200 in answers[3:]  # it does come back


@pytest.mark.parametrize("app_config", [{"OPEN_DATA_REBUILD_SECONDS": 300}])
def test_an_out_of_date_file_waits_for_the_interval_and_says_how_long(app, db, site):
    visitor = Browser(app.test_client())
    assert PRIVATE_TITLE in _download(visitor)
    _report_three_times(app, site["hidden"].id)
    response = visitor.get("/open-data/open-data.zip")
    assert response.status_code == 503 and 290 <= int(response.headers["Retry-After"]) <= 300
    assert PRIVATE_TITLE.encode() not in response.get_data()
    # nothing is being made while it waits: it must not say so
    assert response.get_data(as_text=True) == (
        "Die offenen Daten sind nicht mehr aktuell und werden in 5 Minuten neu erstellt; "
        "bitte versuchen Sie es dann erneut."
    )
    english = visitor.get("/open-data/open-data.zip", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert english == "The open data are out of date and will be made anew in 5 minutes; please try again then."
    assert app.test_cli_runner().invoke(args=["export", "open-data"]).exit_code == 0  # the command may
    assert PRIVATE_TITLE not in _download(visitor)
