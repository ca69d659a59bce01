"""A figure of the participation report: its table and the chart drawn from it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

from participation.core.spreadsheet import Sheet


@dataclass
class Figure:
    sheet: Sheet
    chart: Callable[[], Markup]  # drawn when the page is rendered
    note: str = ""  # said instead of the chart and table when the round has nothing of this kind

    @property
    def key(self) -> str:
        return self.sheet.key

    @property
    def title(self) -> str:
        return self.sheet.name
