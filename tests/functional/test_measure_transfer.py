"""Import and export of measures: an export imported again changes nothing, a changed cell is
exactly one change on the timeline, every problem is shown at its table, row and column and
stops the whole import, a preview is confirmed once, and the command does the same."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from participation.core.audit import ModerationDecision
from participation.measures import services
from participation.measures.models import Indicator, IndicatorValue, Measure, MeasureChange, MeasureImport, Milestone
from tests.conftest import logged_in
from tests.measuring import measure, organisation

BASE = "/planning/measures/transfer/"


@pytest.fixture
def planner(users):
    return users(roles=("participant", "planner"))


@pytest.fixture
def planner_browser(app, planner):
    return logged_in(app, planner.email)


def _changes(db) -> int:
    return db.session.scalar(select(func.count(MeasureChange.id)))


def _seed(db, planner):
    """A public measure with a formula-like title and Markdown list, a milestone, an indicator
    with a value, and a draft sub-measure with an external id."""
    made = measure(
        db, planner, title_de="=SUMME(A1:A3)", description_de="- erstens\n- zweitens\n", budget_eur=1500000.5
    )
    services.add_milestone(planner, made, {"title_de": "+49 Hotline", "planned_on": date(2026, 3, 1), "weight": 2})
    indicator = services.add_indicator(planner, made, {"title_de": "@Schulen", "target": 100, "unit_de": "%"})
    services.record_value(planner, indicator, date(2026, 1, 1), 12.5, "-Schulamt")
    measure(db, planner, public=False, title_de="Teilprojekt", parent_id=made.id, external_id="KOE-7")
    db.session.commit()
    return made


def _download(browser, fmt: str) -> bytes:
    response = browser.get(f"{BASE}measures.{fmt}")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    return response.get_data()


def _upload(browser, data: bytes, name: str):
    return browser.submit(BASE, {"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def _import_id(page) -> int:
    return int(re.search(r"/planning/measures/transfer/(\d+)/confirm", page.get_data(as_text=True)).group(1))


def _confirm(browser, import_id: int):
    return browser.submit(f"{BASE}{import_id}", {}, action=f"{BASE}{import_id}/confirm")


def _zip(tables: dict[str, list[list]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, rows in tables.items():
            text = io.StringIO()
            csv.writer(text).writerows(rows)
            archive.writestr(f"{name}.csv", text.getvalue())
    return out.getvalue()


def _tables_of(data: bytes) -> dict[str, list[list[str]]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            name[:-4]: list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
            for name in archive.namelist()
        }


@pytest.mark.parametrize("fmt", ["xlsx", "zip"])
def test_an_export_imported_again_changes_nothing(db, planner, planner_browser, fmt):
    made = _seed(db, planner)
    before, updated_at = _changes(db), made.updated_at
    page = _upload(planner_browser, _download(planner_browser, fmt), f"massnahmen.{fmt}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "The file holds no change" in text or "keine Änderung" in text
    assert "/confirm" not in text  # nothing to confirm
    db.session.expire_all()
    assert _changes(db) == before
    assert db.session.get(Measure, made.id).updated_at == updated_at
    assert (
        db.session.scalar(
            select(func.count(ModerationDecision.id)).where(ModerationDecision.action == "measure_imported")
        )
        == 0
    )


def test_the_csv_export_escapes_formulas_and_the_import_takes_the_escape_off(db, planner, planner_browser):
    _seed(db, planner)
    tables = _tables_of(_download(planner_browser, "zip"))
    assert tables["measures"][1][1] == "'=SUMME(A1:A3)"
    assert tables["milestones"][1][2] == "'+49 Hotline"
    assert tables["values"][1][3] == "'-Schulamt"
    # a new measure typed with the apostrophe, as Excel users do, gets the text without it
    tables["measures"].append(["", "'=neu", "", "", "", "education", "", "RheinEnergie AG", "ja", "planned"])
    page = _upload(planner_browser, _zip(tables), "m.zip")
    assert page.status_code == 200
    assert _confirm(planner_browser, _import_id(page)).status_code == 303
    assert db.session.scalar(select(Measure).where(Measure.title_de == "=neu")) is not None


def test_a_changed_cell_is_exactly_that_change_on_the_timeline(db, planner, planner_browser):
    made = _seed(db, planner)
    tables = _tables_of(_download(planner_browser, "zip"))
    header = tables["measures"][0]
    row = next(r for r in tables["measures"][1:] if r[0] == f"M-{made.id}")
    row[header.index("title_en")] = "Fibre for all schools, now"
    before = _changes(db)
    page = _upload(planner_browser, _zip(tables), "m.zip")
    assert page.status_code == 200
    assert re.search(r"<td>1</td><td>\d+</td>", page.get_data(as_text=True).replace("\n", ""))
    assert _confirm(planner_browser, _import_id(page)).status_code == 303
    db.session.expire_all()
    added = list(db.session.scalars(select(MeasureChange).where(MeasureChange.id > 0).order_by(MeasureChange.id)))[
        before:
    ]
    assert [(c.measure_id, c.field, c.after) for c in added] == [(made.id, "title_en", "Fibre for all schools, now")]
    decision = db.session.scalar(select(ModerationDecision).where(ModerationDecision.action == "measure_imported"))
    assert '"update": 1' in decision.state_after and decision.note == "m.zip"


def test_a_preview_is_confirmed_once(db, planner, planner_browser):
    made = _seed(db, planner)
    tables = _tables_of(_download(planner_browser, "zip"))
    tables["measures"][1][tables["measures"][0].index("weight")] = "3,5"
    page = _upload(planner_browser, _zip(tables), "m.zip")
    import_id = _import_id(page)
    assert _confirm(planner_browser, import_id).status_code == 303
    count = _changes(db)
    again = _confirm(planner_browser, import_id)
    assert again.status_code == 303
    assert _changes(db) == count
    assert db.session.get(Measure, made.id).weight == 3.5
    assert db.session.scalar(select(func.count(MeasureImport.id))) == 0


def _workbook(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "measures"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_error_in_row_37_is_shown_there_and_nothing_is_imported(db, planner, planner_browser):
    organisation(db)
    db.session.commit()
    rows = [["external_id", "title_de", "topic", "organisation", "status", "starts_on", "budget_eur"]]
    for number in range(2, 41):
        status = "kaputt" if number == 37 else "in Umsetzung" if number % 2 else "planned"
        rows.append(
            [f"K-{number}", f"Maßnahme {number}", "education", "RheinEnergie AG", status, "31.01.2026", "1.500,50"]
        )
    page = _upload(planner_browser, _workbook(rows), "fehler.xlsx")
    assert page.status_code == 422
    text = page.get_data(as_text=True)
    assert re.search(r"<td>measures</td><td>37</td><td>status</td><td>[^<]+</td>", text)
    assert "/confirm" not in text
    import_id = db.session.scalar(select(MeasureImport.id))
    assert _confirm(planner_browser, import_id).status_code == 422
    assert db.session.scalar(select(func.count(Measure.id))) == 0
    # corrected: all 39 are created, with the German label, date and number read
    rows[36][4] = "pausiert"
    page = _upload(planner_browser, _workbook(rows), "richtig.xlsx")
    assert page.status_code == 200
    assert _confirm(planner_browser, _import_id(page)).status_code == 303
    made = db.session.scalar(select(Measure).where(Measure.external_id == "K-3"))
    assert (made.status, made.starts_on, made.budget_eur) == ("implementing", date(2026, 1, 31), 1500.5)
    assert db.session.scalar(select(func.count(Measure.id))) == 39


def _problems(page) -> list[tuple[str, str, str]]:
    return re.findall(r"<td>(\w+)</td><td>(\d*)</td><td>([\w#]*)</td>", page.get_data(as_text=True))


def test_unknown_organisations_duplicate_ids_and_missing_reasons_are_refused(db, planner, planner_browser):
    made = _seed(db, planner)
    rows = [
        ["external_id", "title_de", "topic", "organisation", "status", "status_reason", "parent_external_id"],
        ["A-1", "Eins", "education", "Gibt es nicht GmbH", "planned", "", ""],
        ["A-2", "Zwei", "education", "rheinenergie ag", "planned", "", "A-9"],
        ["A-2", "Zwei again", "education", "RheinEnergie AG", "planned", "", ""],
        [f"M-{made.id}", "x", "infrastructure", "RheinEnergie AG", "stopped", "", ""],
        ["M-999999", "y", "education", "RheinEnergie AG", "planned", "", ""],
    ]
    page = _upload(planner_browser, _zip({"measures": rows}), "m.zip")
    assert page.status_code == 422
    assert set(_problems(page)) >= {
        ("measures", "2", "organisation"),
        ("measures", "3", "parent_external_id"),
        ("measures", "4", "external_id"),
        ("measures", "5", "status_reason"),
        ("measures", "6", "external_id"),
    }
    rows = [rows[0], [f"M-{made.id}", made.title_de, "infrastructure", "RheinEnergie AG", "stopped", "Kein Geld", ""]]
    page = _upload(planner_browser, _zip({"measures": rows}), "m.zip")
    assert _confirm(planner_browser, _import_id(page)).status_code == 303
    change = db.session.scalar(select(MeasureChange).where(MeasureChange.field == "status"))
    assert (change.before, change.after, change.reason) == ("planned", "stopped", "Kein Geld")


def test_new_measures_with_their_parts_come_in_one_file(db, planner, planner_browser):
    organisation(db, "Amt für Schulentwicklung", "city_office")
    db.session.commit()
    tables = {
        "measures": [
            ["external_id", "title_de", "topic", "organisation", "progress_mode", "parent_external_id", "published"],
            ["S-2", "Teil", "education", "Amt für Schulentwicklung", "milestones", "S-1", "nein"],
            ["S-1", "Ganzes", "education", "Amt für Schulentwicklung", "submeasures", "", "ja"],
        ],
        "milestones": [
            ["measure_external_id", "title_de", "planned_on", "achieved_on"],
            ["S-2", "Start", "2026-01-01", "02.01.2026"],
        ],
        "indicators": [["external_id", "measure_external_id", "title_de", "target"], ["S-I", "S-1", "Schulen", "120"]],
        "values": [["indicator_external_id", "measured_on", "value"], ["S-I", "2026-06-30", "12,5"]],
    }
    page = _upload(planner_browser, _zip(tables), "neu.zip")
    assert page.status_code == 200, _problems(page)
    assert _confirm(planner_browser, _import_id(page)).status_code == 303
    whole = db.session.scalar(select(Measure).where(Measure.external_id == "S-1"))
    part = db.session.scalar(select(Measure).where(Measure.external_id == "S-2"))
    assert part.parent_id == whole.id and whole.is_public and not part.is_public
    # the part's milestone is reached; as a draft it counts towards the whole once it is published
    assert (part.progress, whole.progress) == (100, 0)
    assert db.session.scalar(select(Milestone.measure_id)) == part.id
    assert db.session.scalar(select(IndicatorValue.value)) == 12.5
    assert db.session.scalar(select(Indicator.external_id)) == "S-I"


def test_only_planners_import_and_export(db, app, users, planner, planner_browser, client):
    participant = users(roles=("participant",))
    other = logged_in(app, participant.email)
    for url in (BASE, f"{BASE}measures.xlsx", f"{BASE}measures.zip"):
        assert client.get(url).status_code == 302  # to the login page
        assert "/login" in client.get(url).headers["Location"]
        assert other.get(url).status_code == 403
    kept = MeasureImport(user_id=planner.id, filename="a.csv", data=b"title_de\nx\n")
    db.session.add(kept)
    db.session.commit()
    assert other.get(f"{BASE}{kept.id}").status_code == 403
    second = logged_in(app, users(roles=("participant", "planner")).email)
    assert second.get(f"{BASE}{kept.id}").status_code == 404  # someone else's upload
    assert planner_browser.get(f"{BASE}{kept.id}").status_code in (200, 422)
    assert planner_browser.get(f"{BASE}measures.json").status_code == 404


def _bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("measures.csv", "w") as member:
        member.write(b"external_id,title_de\n")
        for _ in range(80):
            member.write(b"\0" * (1024 * 1024))
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"not a zip at all", "m.zip", "ZIP"),
        (b"PK\x03\x04" + bytes(range(256)) * 20, "m.xlsx", "Excel"),
        (_bomb(), "m.zip", "64 MB"),
        (bytes(range(256)) * 40, "m.csv", "CSV"),
        (b"a,b\n1,2\n", "m.exe", ".xlsx"),
        (b"", "m.csv", "Datei"),
    ],
)
def test_hostile_files_get_a_clear_message_at_the_field(db, planner_browser, data, name, message):
    page = _upload(planner_browser, data, name)
    assert page.status_code == 422
    shown = re.search(r'id="file-error">(.*?)</p>', page.get_data(as_text=True)).group(1)
    assert message in shown


def test_a_file_over_the_upload_limit_is_refused_at_the_field(planner_browser):
    token = planner_browser.token(BASE)
    body = (
        (
            f'--B\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
            '--B\r\nContent-Disposition: form-data; name="file"; filename="gross.csv"\r\n\r\n'
        ).encode()
        + b"x" * (10 * 1024 * 1024)
        + b"\r\n--B--\r\n"
    )
    page = planner_browser.client.post(BASE, data=body, content_type="multipart/form-data; boundary=B")
    assert page.status_code == 413
    assert "zu groß zum Hochladen" in re.search(r'id="file-error">(.*?)</p>', page.get_data(as_text=True)).group(1)


def test_the_command_previews_with_dry_run_and_imports(db, app, planner, tmp_path):
    made = _seed(db, planner)
    runner = app.test_cli_runner()
    path = tmp_path / "m.zip"
    assert runner.invoke(args=["measures", "export", str(path)]).exit_code == 0
    tables = _tables_of(path.read_bytes())
    tables["measures"][1][tables["measures"][0].index("title_en")] = "Changed by the command"
    path.write_bytes(_zip(tables))
    before = _changes(db)
    dry = runner.invoke(args=["measures", "import", "--dry-run", str(path)])
    assert dry.exit_code == 0, dry.output
    assert re.search(r"measures\s+0\s+1\s+1", dry.output) and "dry run" in dry.output
    db.session.expire_all()
    assert _changes(db) == before
    real = runner.invoke(args=["measures", "import", str(path)])
    assert real.exit_code == 0, real.output
    db.session.expire_all()
    assert db.session.get(Measure, made.id).title_en == "Changed by the command"
    assert _changes(db) == before + 1
    tables["measures"][1][tables["measures"][0].index("status")] = "kaputt"
    path.write_bytes(_zip(tables))
    wrong = runner.invoke(args=["measures", "import", str(path)])
    assert wrong.exit_code != 0
    assert "measures, row 2, column status" in wrong.output, wrong.output
