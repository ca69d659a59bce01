"""Open data: what the public may read, anonymised, as one ZIP of CSV files, a JSON file, a README
that describes every column and the licence (Datenlizenz Deutschland – Namensnennung – 2.0).

The files are the planners' exports (participation.exports.datasets) without the people: no
display names, no organisation, no planner; authors only by stakeholder group. Then the action
concept's published measures and their parts (participation.exports.measure_data) and whatever
higher areas lend under "open_data.tables" (the published interim reports). Labels are German,
column names English and stable. The ZIP is written while its rows are read; where it is kept
and how it is served is participation.exports.stored.
"""

from __future__ import annotations

import zipfile
from dataclasses import replace
from datetime import UTC, datetime

from flask_babel import force_locale

from participation.core import composition
from participation.core.spreadsheet import Column, Sheet, csv_chunks, json_chunks
from participation.drafts.rounds import Round, version_rounds
from participation.exports import datasets, measure_data

FILE_NAME = "open-data.zip"
KINDS = ("proposals", "comments", "votes", "incorporations")
# columns that name people: never in open data
PERSONAL = {"author", "recorded_by"}
LICENCE_NAME = "Datenlizenz Deutschland – Namensnennung – Version 2.0"
LICENCE_URL = "https://www.govdata.de/dl-de/by-2-0"
ATTRIBUTION = "Stadt Köln, Beteiligungsplattform „Digitales Köln 2025“"
# what the headings alone do not say
NOTES = {
    "url": "Adresse des Beitrags auf der Plattform / the contribution's address on the platform",
    "stakeholder_group": "Gruppe, der sich die Autor*in zuordnet / the group the author belongs to (self-declared)",
    "chapter_paragraph": "Kapitel (3) oder Absatz (3.4) der Version / chapter (3) or paragraph (3.4) of the version",
    "agreement": "Anteil der Zustimmung an allen Stimmen in % / share of agree among all votes in %",
    "incorporations": "Version, Absatz und Umfang der Übernahme / version, paragraph and extent where it went",
    "extent": "vollständig oder teilweise übernommen / taken fully or partly",
    "parent": "Nr. des Kommentars, auf den geantwortet wird / number of the comment replied to",
    "round": (
        "Runde des Prozesses, benannt nach der Nummer der Version des Masterplans: Stimmen und Kommentare zum "
        "Entwurf gehören zur Runde ihrer Version, Vorschläge und Kommentare zu Vorschlägen zur Runde, in der sie "
        "geschrieben wurden (von der Veröffentlichung einer Version bis zu der der nächsten; Runde 1 umfasst auch "
        "alles vor Version 1); Übernahmen zur Runde des übernommenen Beitrags / the round of the process, named "
        "by the number of the masterplan version: votes and comments on the draft belong to the round of their "
        "version, proposals and comments on proposals to the round in which they were written (from one "
        "version's publication to the next one's; round 1 also holds everything before version 1); "
        "incorporations to the round of the contribution taken"
    ),
}


def tables() -> list[tuple[Sheet, dict[str, str]]]:
    """The open-data tables, with the people taken out, each with the descriptions of its columns
    (by "table.column" or by column)."""
    chosen = []
    for kind in KINDS:
        sheet = datasets.BUILDERS[kind](datasets.Filters(published_only=True))
        keep = [index for index, column in enumerate(sheet.columns) if column.key not in PERSONAL]
        columns = [sheet.columns[index] for index in keep]
        chosen.append((Sheet(sheet.key, sheet.name, columns, _only(sheet.rows, keep)), NOTES))
    chosen += [(sheet, measure_data.NOTES) for sheet in measure_data.sheets()]
    for part in composition.parts("open_data.tables"):
        chosen += part()
    return chosen


def sheets() -> list[Sheet]:
    return [sheet for sheet, _notes in tables()]


def _only(rows, keep: list[int]):
    for row in rows:
        yield tuple(row[index] for index in keep)


def _periods(rounds: list[Round]) -> list[dict]:
    """When each round ran (from the publication of its version until the next one's), for the JSON."""
    return [
        {
            "round": round_.number,
            "version": round_.number,
            "from": round_.starts_at.isoformat(timespec="seconds") if round_.starts_at else None,
            "until": round_.ends_at.isoformat(timespec="seconds") if round_.ends_at else None,
        }
        for round_ in rounds
    ]


def _readme(described: list[tuple[Sheet, dict[str, str]]], made: datetime, rounds: list[Round]) -> str:
    lines = [
        "# Offene Daten: Digitales Köln 2025 / Open data: Digital Cologne 2025",
        "",
        f"Stand / as of: {made:%Y-%m-%d %H:%M} UTC",
        "",
        "Veröffentlichte Vorschläge, Kommentare und Antworten der Stadt, die Stimmen zum Entwurf je Absatz",
        "(zusammengezählt) und die Übernahmen von Beiträgen in den Masterplan. Keine Namen, keine",
        "E-Mail-Adressen; nichts, was noch auf Freigabe wartet oder von der Moderation ausgeblendet wurde.",
        "Dazu das Maßnahmenkonzept: veröffentlichte Maßnahmen mit Meilensteinen, Indikatoren und Messwerten,",
        "Neuigkeiten, den Absätzen des Plans, die sie umsetzen, und den öffentlichen Beiträgen, aus denen sie",
        "entstanden; und die veröffentlichten Zwischenberichte mit dem Stand jeder Maßnahme zum Stichtag.",
        "Entwürfe von Maßnahmen und Berichten sind nicht enthalten.",
        "",
        "Published proposals, comments and the city's answers, the votes on the draft per paragraph",
        "(counted), and the contributions taken into the masterplan. No names, no email addresses; nothing",
        "waiting for approval or hidden by moderation. Also the action concept: published measures with",
        "their milestones, indicators and measured values, updates, the paragraphs of the plan they",
        "implement and the public contributions they grew from; and the published interim reports with",
        "each measure as it stood at the reporting date. Drafts of measures and reports are not included.",
        "",
        f"Lizenz / licence: {LICENCE_NAME}, {LICENCE_URL}",
        f"Namensnennung / attribution: {ATTRIBUTION}",
        "",
        "Dateien / files: each table as `<name>.csv` (UTF-8 with BOM, comma-separated) and all of them in",
        "`data.json` (one object, a list of rows per table, the same column names).",
        "",
        "## Runden / rounds",
        "",
        "Jede Version des Masterplans eröffnet eine Runde; sie reicht bis zur Veröffentlichung der nächsten.",
        "Each version of the masterplan opens a round; it lasts until the next one is published.",
        "",
        "| Runde / round | von / from | bis / until |",
        "|---|---|---|",
    ]
    for period in _periods(rounds):
        lines.append(f"| {period['round']} | {period['from'] or '–'} | {period['until'] or '–'} |")
    for table, notes in described:
        lines += ["", f"## {table.key}.csv", "", "| Spalte / column | Bedeutung / meaning |", "|---|---|"]
        for column in table.columns:
            note = notes.get(f"{table.key}.{column.key}") or notes.get(column.key, "")
            lines.append(f"| `{column.key}` | {column.heading}{' – ' + note if note else ''} |")
    return "\n".join(lines) + "\n"


def _licence() -> str:
    return (
        f"{LICENCE_NAME}\n{LICENCE_URL}\n\n"
        f"Bitte nennen Sie als Quelle / please attribute: {ATTRIBUTION}\n\n"
        "Jede Nutzung ist zulässig, wenn die Quelle genannt und auf die Lizenz verwiesen wird.\n"
        "Any use is permitted provided the source is attributed and the licence is referenced.\n"
    )


def write(target) -> None:
    """The whole dataset as a ZIP into the binary file `target`."""
    made = datetime.now(UTC)
    with force_locale("de"), zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        chosen = tables()
        rounds = version_rounds()
        described = [(Sheet(t.key, t.name, t.columns, []), notes) for t, notes in chosen]
        for table, _notes in chosen:
            table.columns = [_as_heading(column) for column in table.columns]
            with archive.open(f"{table.key}.csv", "w", force_zip64=True) as part:
                for chunk in csv_chunks(table):
                    part.write(chunk)
        with archive.open("data.json", "w", force_zip64=True) as part:
            for chunk in json_chunks(
                sheets(), meta={"licence": LICENCE_URL, "as_of": made.isoformat(), "rounds": _periods(rounds)}
            ):
                part.write(chunk)
        archive.writestr("README.md", _readme(described, made, rounds))
        archive.writestr("LICENSE.txt", _licence())


def _as_heading(column: Column) -> Column:
    return replace(column, heading=column.key)
