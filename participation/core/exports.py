"""Building blocks for downloads: spreadsheet-safe CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

# a cell starting with one of these is read as a formula by spreadsheet programs
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str:
    """A value as a CSV cell that no spreadsheet runs as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


def csv_text(header: Iterable[str], rows: Iterable[Iterable]) -> str:
    """UTF-8 CSV with a byte-order mark, so that spreadsheet programs read umlauts right."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([cell(name) for name in header])
    for row in rows:
        writer.writerow([cell(value) for value in row])
    return out.getvalue()
