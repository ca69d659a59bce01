"""Hostile text in what the import of measures shows back: the file's name, its headings (named
in the problems as the column) and its table names, on the preview."""

from __future__ import annotations

import csv
import io
from itertools import islice

from tests.conftest import logged_in
from tests.xss import check, payloads

PAYLOADS = payloads()
BASE = "/planning/measures/transfer/"


def _csv(headings: list[str]) -> bytes:
    text = io.StringIO()
    csv.writer(text).writerows([["external_id", "title_de", *headings], ["A-1", "x", *headings]])
    return text.getvalue().encode()


def test_the_preview_escapes_hostile_headings_and_file_names(app, db, users, sqlite_only):
    planner = users(roles=("participant", "planner"))
    person = logged_in(app, planner.email)
    batch = iter(PAYLOADS)
    while chunk := list(islice(batch, 100)):
        headings = [p.replace("\x00", "")[:300] for p in chunk]
        name = "".join(ch for ch in chunk[0] if ch not in '"\r\n\\')[:100] + ".csv"
        page = person.submit(BASE, {"file": (io.BytesIO(_csv(headings)), name)}, content_type="multipart/form-data")
        assert page.status_code == 422, chunk[0]
        check(page, chunk[0])
