"""Open data: the ZIP holds what the public may read, anonymised, with a README for every column
and the licence; the command and the download make the same file."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest

from participation.accounts.blocking import block_user
from participation.comments.services import add_comment
from participation.drafts import services as drafts
from participation.incorporation import services as incorporation
from participation.proposals import services as proposals
from tests.conftest import Browser
from tests.drafting import first_paragraph, hide_as_spam, open_phase
from tests.measure_public import MEASURE_FILES

SECRET_NAME = "Erika Mustermann"


@pytest.fixture
def site(db, users, draft):
    open_phase(db, votes=True, comments=True, proposals=True, supports=True)
    planner = users(email="plan@example.org", display_name="Planerin Paula", roles=("participant", "planner"))
    mod = users(email="mod@example.org", display_name="Mona", roles=("participant", "moderator"))
    erika = users(email="erika@example.org", display_name=SECRET_NAME, stakeholder_group="residents")
    other = users(email="other@example.org", display_name="Otto", stakeholder_group="businesses")
    paragraph = first_paragraph(draft)
    accepted = proposals.submit(erika, "WLAN in allen Schulen", "Jede Schule bekommt WLAN.", "education")
    proposals.answer(planner, accepted, "accepted", "Ja, kommt.")
    hidden = proposals.submit(other, "Verstecktes Angebot", "Werbung", "open_data")
    hide_as_spam(mod, erika, hidden, note="Tel. 0221-555")
    proposals.submit(other, "Wartet noch", "Text", "education", held_because=["first"])
    comment = add_comment(other, "Auch Berufsschulen", "addition", paragraph.chapter, paragraph)
    add_comment(other, "Unter dem Versteckten", None, proposal=hidden)
    drafts.cast_vote(erika, paragraph, 1)
    drafts.cast_vote(other, paragraph, -1)
    incorporation.incorporate(planner, paragraph, accepted, "full", "Satz 2")
    block_user(mod, other, "beleidigt", None)
    db.session.commit()
    return {"accepted": accepted, "comment": comment}


def _files(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _csv(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8").lstrip("\ufeff"))))


def test_the_zip_holds_the_published_content_anonymised_with_readme_and_licence(app, site):
    response = Browser(app.test_client()).get("/open-data/open-data.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    files = _files(response.get_data())
    expected = {"proposals.csv", "comments.csv", "votes.csv", "incorporations.csv", "data.json", "README.md"}
    # and the action concept's tables (tests/functional/test_measure_open_data.py), empty here
    assert set(files) == expected | {"LICENSE.txt"} | MEASURE_FILES
    everything = b" ".join(files.values()).decode("utf-8")
    for private in (SECRET_NAME, "Otto", "Planerin Paula", "@example.org", "Verstecktes Angebot", "Wartet noch",
                    "Unter dem Versteckten", "0221-555", "beleidigt"):  # fmt: skip
        assert private not in everything, private
    proposals_rows = _csv(files["proposals.csv"])
    assert [row["title"] for row in proposals_rows] == ["WLAN in allen Schulen"]
    assert proposals_rows[0]["answer"] == "Ja, kommt." and proposals_rows[0]["stakeholder_group"] == "Einwohner*innen"
    assert "author" not in proposals_rows[0]
    comments = _csv(files["comments.csv"])
    assert [row["text"] for row in comments] == ["Auch Berufsschulen"]
    votes = {row["paragraph"]: row for row in _csv(files["votes.csv"])}
    assert (votes["1.1"]["agree"], votes["1.1"]["disagree"]) == ("1", "1")
    taken = _csv(files["incorporations.csv"])
    assert taken[0]["contribution_id"] == str(site["accepted"].id) and "recorded_by" not in taken[0]
    parsed = json.loads(files["data.json"])
    assert parsed["meta"]["licence"] == "https://www.govdata.de/dl-de/by-2-0"
    assert [row["id"] for row in parsed["proposals"]] == [site["accepted"].id]
    readme = files["README.md"].decode()
    for name in expected - {"data.json", "README.md"}:
        for column in _csv(files[name])[0]:
            assert f"| `{column}` |" in readme, (name, column)
    assert "Datenlizenz Deutschland – Namensnennung – Version 2.0" in files["LICENSE.txt"].decode()


def test_the_command_writes_the_file_the_site_then_serves(app, site, tmp_path, monkeypatch):
    from participation.exports import open_data

    result = app.test_cli_runner().invoke(args=["export", "open-data", str(tmp_path)])
    assert result.exit_code == 0, result.output
    made = tmp_path / "open-data.zip"
    assert "stored the open data" in result.output and "wrote" in result.output and made.exists()
    files = _files(made.read_bytes())
    assert _csv(files["proposals.csv"])[0]["url"].endswith(f"/proposals/{site['accepted'].id}")
    monkeypatch.setattr(open_data, "write", _must_not_be_made)  # the site serves the stored file
    page = Browser(app.test_client()).get("/open-data/").get_data(as_text=True)
    assert "Datenlizenz Deutschland" in page and 'href="/open-data/open-data.zip"' in page
    assert Browser(app.test_client()).get("/open-data/open-data.zip").get_data() == made.read_bytes()


def _must_not_be_made(target):
    raise AssertionError("the open data were made again")


def test_a_version_being_prepared_stays_out_of_the_open_data(app, db, site):
    from participation.drafts.models import MasterplanVersion

    version = db.session.scalar(db.select(MasterplanVersion))
    from participation.accounts.models import User

    author = db.session.scalar(db.select(User).where(User.email == "plan@example.org"))
    copy = drafts.copy_version(author, version, "Geheimer Entwurf")
    db.session.flush()
    incorporation.incorporate(author, copy.chapters[0].paragraphs[0], site["accepted"], "partly", "intern")
    db.session.commit()
    files = _files(Browser(app.test_client()).get("/open-data/open-data.zip").get_data())
    taken = _csv(files["incorporations.csv"])
    assert [row["version"] for row in taken] == ["1"]
    assert "Version 2" not in _csv(files["proposals.csv"])[0]["incorporations"]


def test_only_one_worker_makes_the_missing_file_the_others_say_when_to_come_back(app, site):
    from participation.exports import stored

    lock = stored.Lock()  # as another worker (on PostgreSQL: of any host) making it now
    lock.acquire()
    try:
        response = Browser(app.test_client()).get("/open-data/open-data.zip")
        assert response.status_code == 503 and response.headers["Retry-After"] == "60"
    finally:
        lock.release()
    assert Browser(app.test_client()).get("/open-data/open-data.zip").status_code == 200
