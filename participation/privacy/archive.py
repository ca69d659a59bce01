"""The ZIP of one person's data: data.json (everything in one document), a CSV file for each kind
that has rows, and README.txt (German and English) saying what each file holds.

One pass over each kind's rows, read in batches: each row goes into its CSV file (compressed
into the ZIP as it comes) and into the JSON document, which is gathered in a spooled temporary
file and copied into the ZIP at the end (a ZIP takes one file at a time). The ZIP itself goes
into a spooled temporary file as well: memory stays bounded (SPOOL each) whatever the person
wrote; more than that goes to disk.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import tempfile
import zipfile
from datetime import UTC, date, datetime

from flask import render_template
from flask_babel import force_locale

from participation.core.exports import cell
from participation.privacy.contents import GROUPS, KINDS, LEFT_OUT
from participation.privacy.kinds import Kind

SPOOL = 16 * 1024 * 1024  # bytes a temporary file keeps in memory before it moves to disk
CHUNK = 64 * 1024
README_LANGUAGES = ("de", "en")


def iso(value):
    """Dates as ISO 8601; times in UTC with their offset."""
    if isinstance(value, datetime):
        value = value if value.tzinfo else value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _as_it_is(value):
    return value


def _json_value(value):
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)  # a lazy string


class _Sheet:
    """One kind's CSV file in the ZIP: UTF-8 with a byte-order mark (spreadsheet programs then
    read umlauts right), formula-safe cells (core.exports.cell), headings in the person's language."""

    def __init__(self, archive: zipfile.ZipFile, kind: Kind):
        self.text = io.TextIOWrapper(
            archive.open(f"{kind.key}.csv", "w", force_zip64=True), encoding="utf-8", newline=""
        )
        self.text.write("\ufeff")
        self.writer = csv.writer(self.text)
        self.writer.writerow([cell(str(field.heading)) for field in kind.fields])

    def write(self, values: list) -> None:
        self.writer.writerow([cell(value) for value in values])

    def close(self) -> None:
        self.text.close()


def _write_kind(archive: zipfile.ZipFile, document, kind: Kind, person) -> int:
    """The kind's rows into its CSV file (made only when there is a row) and into the JSON
    document under its key; how many there were."""
    document.write(f", {json.dumps(kind.key)}: {'' if kind.single else '['}".encode())
    keys = [field.key for field in kind.fields]
    words = [field.words() or _as_it_is for field in kind.fields]
    count, sheet = 0, None
    try:
        for row in kind.rows(person):
            values = [iso(field.value(row)) for field in kind.fields]
            if sheet is None:
                sheet = _Sheet(archive, kind)
            sheet.write([say(value) for say, value in zip(words, values, strict=True)])
            record = dict(zip(keys, map(_json_value, values), strict=True))
            document.write(((", " if count else "") + json.dumps(record, ensure_ascii=False)).encode())
            count += 1
    finally:
        if sheet is not None:
            sheet.close()
    if kind.single:
        document.write(b"" if count else b"null")
    else:
        document.write(b"]")
    return count


def readme(person, counts: dict[str, int], prepared_at: datetime) -> str:
    """What each file holds and what is left out, in German, then in English."""
    parts = []
    for language in README_LANGUAGES:
        with force_locale(language):
            parts.append(
                render_template(
                    "privacy/readme.txt",
                    groups=GROUPS,
                    counts=counts,
                    left_out=LEFT_OUT,
                    prepared_at=iso(prepared_at),
                    account_id=person.id,
                )
            )
    return "\n\n".join(parts)


def write(person, target, prepared_at: datetime) -> dict[str, int]:
    """The whole ZIP into the binary file `target`; the number of rows of each kind."""
    counts: dict[str, int] = {}
    meta = {
        "platform": "Digitales Köln 2025",
        "account_id": person.id,
        "prepared_at": iso(prepared_at),
        "dates": "ISO 8601; times in UTC",
    }
    with (
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive,
        tempfile.SpooledTemporaryFile(SPOOL) as document,
    ):
        document.write(b'{"meta": ' + json.dumps(meta, ensure_ascii=False).encode())
        for kind in KINDS:
            counts[kind.key] = _write_kind(archive, document, kind, person)
        document.write(b"}\n")
        document.seek(0)
        with archive.open("data.json", "w", force_zip64=True) as member:
            shutil.copyfileobj(document, member, CHUNK)
        archive.writestr("README.txt", readme(person, counts, prepared_at))
    return counts
