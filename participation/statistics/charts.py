"""Charts for participation reports: inline SVG built from escaped strings, for screen, screen readers and print.

Every chart is an `<svg role="img">` named by its `<title>` and `<desc>`; the caller shows the same figures in a
table next to it. Nothing inside needs a style sheet, a script or another host (the Content-Security-Policy allows
no inline styles, so colours and fonts are presentation attributes): text follows the page through `currentColor`
and `font-family="inherit"`. Series are told apart by pattern as well as by colour (WCAG 1.4.1), and every colour
has at least 4.5:1 against white: enough for bars (1.4.11 asks 3:1) and for the white percentages drawn on them.

All text that reaches the SVG (titles, labels, series names, units) passes through `_attrs`, `_text` or `_title`,
which escape it; `_svg` is the one place that declares the result safe.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from flask_babel import format_number, format_percent, ngettext
from flask_babel import gettext as _
from markupsafe import Markup, escape

from participation.core.svg import attrs as _attrs
from participation.core.svg import clean as _clean
from participation.core.svg import element as _element
from participation.core.svg import group as _group
from participation.core.svg import number as _number
from participation.core.svg import title as _title
from participation.core.svg import with_unit as _with_unit

WIDTH = 640  # viewBox units: the chart scales to the width of its container
FONT_SIZE = 13
SMALL_FONT_SIZE = 12
GLYPH_WIDTH = 0.62  # average glyph width per font size, generous: the server cannot measure text
PADDING = 8
ROW_HEIGHT = 28
BAR_HEIGHT = 18
LEGEND_ROW_HEIGHT = 22
PLOT_HEIGHT = 200  # of a column chart, axis labels not included
LABEL_CHARS = 28  # longer labels end in an ellipsis (and keep the full text as their tooltip)
LEGEND_CHARS = 30
AXIS_LABEL_CHARS = 16
MAX_AXIS_LABELS = 12

# blue, orange, grey, purple, teal, red: each at least 4.5:1 against white (tests/unit/test_charts.py checks)
PALETTE = ("#1d4f91", "#b35900", "#595959", "#6a3d9a", "#0b6e69", "#b0002a")
PATTERNS = ("solid", "diagonal", "dots", "crosshatch", "horizontal", "vertical")  # one per colour, in order
GRID_COLOUR = "#8c8c8c"  # 3.4:1 against white
MARK_COLOUR = "#ffffff"  # the page's paper: pattern marks, gaps between segments, percentages on bars

_PATTERN_MARKS = {
    "diagonal": '<path d="M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2" stroke-width="1.4"/>',
    "dots": f'<circle cx="3" cy="3" r="1.4" stroke="none" fill="{MARK_COLOUR}"/>',
    "crosshatch": '<path d="M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2 M-1,5 l2,2 M0,0 l6,6 M5,-1 l2,2" stroke-width="1"/>',
    "horizontal": '<path d="M0,3 h6" stroke-width="2"/>',
    "vertical": '<path d="M3,0 v6" stroke-width="2"/>',
}
# characters XML 1.0 forbids even when escaped; a label containing one would break the whole page

Amount = int | float | Decimal


def bar_chart(title: str, rows: Sequence[tuple[str, Amount]], *, unit: str = "", description: str = "") -> Markup:
    """Horizontal bars, one per row, scaled to the largest value; the value stands at the end of each bar."""
    if not rows:
        return Markup("")
    labels = [_clean(label) for label, _value in rows]
    values = [_amount(value) for _label, value in rows]
    shown = [_with_unit(format_number(value), unit) for value in values]
    largest = float(max(values))
    left = _label_column(labels)
    value_width = _text_width(max(len(text) for text in shown), FONT_SIZE) + 2 * PADDING
    width = max(WIDTH, left + 160 + value_width)
    span = width - left - value_width
    height = 2 * PADDING + len(rows) * ROW_HEIGHT
    row_labels, bars, figures = [], [], []
    for index, (label, value, text) in enumerate(zip(labels, values, shown, strict=True)):
        middle = PADDING + (index + 0.5) * ROW_HEIGHT
        length = span * float(value) / largest if largest else 0.0
        row_labels.append(_text(label, LABEL_CHARS, x=left - PADDING, y=middle, dy="0.35em"))
        bars.append(
            _element("rect", class_="chart-bar", x=left, y=middle - BAR_HEIGHT / 2, width=length, height=BAR_HEIGHT)
        )
        figures.append(_text(text, None, x=left + length + 6, y=middle, dy="0.35em"))
    body = (
        _group(row_labels, class_="chart-labels", fill="currentColor", text_anchor="end")
        + _group(bars, class_="chart-bars", fill=PALETTE[0])
        + _group(figures, class_="chart-values", fill="currentColor")
        + _element(
            "line",
            class_="chart-axis",
            x1=left,
            x2=left,
            y1=PADDING / 2,
            y2=height - PADDING / 2,
            stroke="currentColor",
        )
    )
    if not description:
        counted = ngettext(
            "Bar chart with %(count)s bar.", "Bar chart with %(count)s bars.", len(rows), count=format_number(len(rows))
        )
        description = f"{counted} {_largest_sentence(labels, values, shown)}"
    return _svg("bar", width, height, title, description, body)


def stacked_bar_chart(
    title: str, rows: Sequence[tuple[str, Sequence[Amount]]], series: Sequence[str], *, description: str = ""
) -> Markup:
    """One 100 % bar per row, split into the series (agree / neutral / disagree …), with a legend above."""
    if not rows:
        return Markup("")
    if not 0 < len(series) <= len(PALETTE):
        raise ValueError(f"a stacked bar chart shows 1 to {len(PALETTE)} series, not {len(series)}")
    names = [_clean(name) for name in series]
    labels, counts = [], []
    for label, row in rows:
        if len(row) != len(series):
            raise ValueError(f"{len(series)} series but {len(row)} values in the row {label!r}")
        labels.append(_clean(label))
        counts.append([_amount(count) for count in row])
    chart_id = _new_id()
    fills, patterns = [], []
    for index, (colour, kind) in enumerate(zip(PALETTE[: len(series)], PATTERNS, strict=False)):
        if kind == "solid":
            fills.append(colour)
        else:
            pattern_id = f"{chart_id}-pattern-{index}"
            patterns.append(_pattern(pattern_id, kind, colour))
            fills.append(f"url(#{pattern_id})")
    legend, legend_height = _legend(names, fills)
    left = _label_column(labels)
    span = WIDTH - left - PADDING
    top = PADDING + legend_height + PADDING / 2
    height = top + len(rows) * ROW_HEIGHT + PADDING
    row_labels, segments, figures, outlines, notes = [], [], [], [], []
    for index, (label, row) in enumerate(zip(labels, counts, strict=True)):
        middle = top + (index + 0.5) * ROW_HEIGHT
        bar_top = middle - BAR_HEIGHT / 2
        row_labels.append(_text(label, LABEL_CHARS, x=left - PADDING, y=middle, dy="0.35em"))
        total = float(sum(row))
        if not total:
            notes.append(_text(_("No data"), None, x=left + PADDING, y=middle, dy="0.35em"))
        x = float(left)
        for series_index, (count, percent) in enumerate(zip(row, _percentages(row), strict=True)):
            if not count:
                continue
            length = span * float(count) / total
            share = format_percent(percent / 100)
            tooltip = _title(f"{names[series_index]}: {share} ({format_number(count)})")
            segments.append(
                _element(
                    "rect",
                    tooltip,
                    class_=f"chart-segment chart-series-{series_index}",
                    x=x,
                    y=bar_top,
                    width=length,
                    height=BAR_HEIGHT,
                    fill=fills[series_index],
                )
            )
            chip = _text_width(len(share), SMALL_FONT_SIZE) + 6
            if length >= chip + 4:  # the figure on a plain patch of the series' colour, clear of the pattern
                centre = x + length / 2
                figures.append(
                    _element(
                        "rect", x=centre - chip / 2, y=middle - 7, width=chip, height=14, fill=PALETTE[series_index]
                    )
                )
                figures.append(_text(share, None, x=centre, y=middle, dy="0.35em"))
            x += length
        outlines.append(_element("rect", x=left, y=bar_top, width=span, height=BAR_HEIGHT))
    body = (
        legend
        + _group(row_labels, class_="chart-labels", fill="currentColor", text_anchor="end")
        + _group(segments, class_="chart-segments", stroke=MARK_COLOUR)
        + _group(outlines, class_="chart-outlines", fill="none", stroke="currentColor")
        + _group(
            figures,
            class_="chart-percentages",
            fill=MARK_COLOUR,
            font_size=SMALL_FONT_SIZE,
            font_weight="bold",
            text_anchor="middle",
        )
        + _group(notes, class_="chart-notes", fill="currentColor")
    )
    if not description:
        description = _stacked_description(labels, counts, names)
    return _svg("stacked", WIDTH, height, title, description, body, defs="".join(patterns), chart_id=chart_id)


def column_chart(title: str, points: Sequence[tuple[str, Amount]], *, description: str = "") -> Markup:
    """Vertical columns in order (contributions per week …), at most ~12 axis labels, 3 to 5 gridlines."""
    if not points:
        return Markup("")
    labels = [_clean(label) for label, _value in points]
    values = [_amount(value) for _label, value in points]
    ticks = _ticks(float(max(values)))
    ceiling = ticks[-1]
    tick_texts = [format_number(tick) for tick in ticks]
    label_width = _text_width(max(len(_shorten(label, AXIS_LABEL_CHARS)) for label in labels), SMALL_FONT_SIZE)
    label_width += PADDING
    # the first and last axis labels are centred under their columns and must stay inside the chart
    left = max(_text_width(max(len(text) for text in tick_texts), SMALL_FONT_SIZE) + 2 * PADDING, label_width / 2)
    right = max(2 * PADDING, label_width / 2)
    plot_width = WIDTH - left - right
    slot = plot_width / len(points)
    # labels at least one label width apart: they never overlap, however many points there are
    every = math.ceil(len(points) / max(1, min(MAX_AXIS_LABELS, int(plot_width // label_width))))
    base = 2 * PADDING + PLOT_HEIGHT
    height = base + SMALL_FONT_SIZE + 3 * PADDING
    grid, tick_labels, columns, axis_labels, axis_marks = [], [], [], [], []
    for tick, text in zip(ticks, tick_texts, strict=True):
        y = base - PLOT_HEIGHT * tick / ceiling
        if tick:
            grid.append(_element("line", x1=left, x2=WIDTH - right, y1=y, y2=y))
        tick_labels.append(_text(text, None, class_="chart-tick", x=left - PADDING, y=y, dy="0.35em"))
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = left + index * slot
        length = PLOT_HEIGHT * float(value) / ceiling
        tooltip = _title(f"{label}: {format_number(value)}")
        columns.append(
            _element(
                "rect",
                tooltip,
                class_="chart-column",
                x=x + slot * 0.1,
                y=base - length,
                width=slot * 0.8,
                height=length,
            )
        )
        if index % every == 0:
            centre = x + slot / 2
            axis_marks.append(_element("line", x1=centre, x2=centre, y1=base, y2=base + 4))
            axis_labels.append(
                _text(label, AXIS_LABEL_CHARS, class_="chart-axis-label", x=centre, y=base + PADDING + SMALL_FONT_SIZE)
            )
    small_text = {"fill": "currentColor", "font_size": SMALL_FONT_SIZE}
    body = (
        _group(grid, class_="chart-grid", stroke=GRID_COLOUR)
        + _group(tick_labels, class_="chart-ticks", text_anchor="end", **small_text)
        + _group(columns, class_="chart-columns", fill=PALETTE[0])
        + _element("line", class_="chart-axis", x1=left, x2=WIDTH - right, y1=base, y2=base, stroke="currentColor")
        + _group(axis_marks, class_="chart-axis-marks", stroke="currentColor")
        + _group(axis_labels, class_="chart-axis-labels", text_anchor="middle", **small_text)
    )
    if not description:
        counted = ngettext(
            "Column chart with %(count)s column, from %(first)s to %(last)s.",
            "Column chart with %(count)s columns, from %(first)s to %(last)s.",
            len(points),
            count=format_number(len(points)),
            first=labels[0],
            last=labels[-1],
        )
        shown = [format_number(value) for value in values]
        description = f"{counted} {_largest_sentence(labels, values, shown)}"
    return _svg("column", WIDTH, height, title, description, body)


def _percentages(counts: Sequence[Amount]) -> list[int]:
    """Whole percentages that add up to 100 (largest remainder first), or all 0 when there is nothing."""
    total = sum(Fraction(count) for count in counts)
    if not total:
        return [0] * len(counts)
    exact = [Fraction(count) * 100 / total for count in counts]
    whole = [math.floor(share) for share in exact]
    by_remainder = sorted(range(len(counts)), key=lambda index: exact[index] - whole[index], reverse=True)
    for index in by_remainder[: 100 - sum(whole)]:
        whole[index] += 1
    return whole


def _ticks(largest: float) -> list[int]:
    """3 to 5 gridline values from 0: steps of 1, 2 or 5 times a power of ten, the last at least `largest`."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            intervals = max(math.ceil(largest / (step * factor)), 2)
            if intervals <= 4:
                return [step * factor * index for index in range(intervals + 1)]
        step *= 10


def _largest_sentence(labels: list[str], values: list[Amount], shown: list[str]) -> str:
    largest = max(values)
    if not largest:
        return _("All values are zero.")
    index = values.index(largest)
    return _("Largest value: %(label)s with %(value)s.", label=labels[index], value=shown[index])


def _stacked_description(labels: list[str], counts: list[list[Amount]], names: list[str]) -> str:
    counted = ngettext(
        "Stacked bar chart with %(count)s row, each split into: %(series)s.",
        "Stacked bar chart with %(count)s rows, each split into: %(series)s.",
        len(labels),
        count=format_number(len(labels)),
        series=", ".join(names),
    )
    answered = [index for index, row in enumerate(counts) if sum(row)]
    if not answered:
        return counted
    best = max(answered, key=lambda index: Fraction(counts[index][0]) / sum(Fraction(c) for c in counts[index]))
    share = format_percent(_percentages(counts[best])[0] / 100)
    highest = _(
        "Highest share of %(series)s: %(label)s with %(percent)s.", series=names[0], label=labels[best], percent=share
    )
    return f"{counted} {highest}"


def _legend(names: list[str], fills: list[str]) -> tuple[str, float]:
    """Swatches with the series' own fills, wrapped onto as many lines as needed; returns it and its height."""
    entries, x, y = [], float(PADDING), float(PADDING)
    for index, (name, fill) in enumerate(zip(names, fills, strict=True)):
        advance = 20 + _text_width(len(_shorten(name, LEGEND_CHARS)), FONT_SIZE) + 2 * PADDING
        if x > PADDING and x + advance > WIDTH - PADDING:
            x, y = float(PADDING), y + LEGEND_ROW_HEIGHT
        swatch_class = f"chart-swatch chart-series-{index}"
        entries.append(_element("rect", class_=swatch_class, x=x, y=y + 4, width=14, height=14, fill=fill))
        entries.append(_text(name, LEGEND_CHARS, x=x + 20, y=y + 11, dy="0.35em", stroke="none"))
        x += advance
    legend = _group(entries, class_="chart-legend", fill="currentColor", stroke="currentColor")
    return legend, y - PADDING + LEGEND_ROW_HEIGHT


def _pattern(pattern_id: str, kind: str, colour: str) -> str:
    return (
        f"<pattern{_attrs(id=pattern_id, width=6, height=6, patternUnits='userSpaceOnUse')}>"
        f"{_element('rect', width=6, height=6, fill=colour, stroke='none')}"
        f'<g stroke="{MARK_COLOUR}" fill="none">{_PATTERN_MARKS[kind]}</g></pattern>'
    )


def _svg(
    kind: str,
    width: float,
    height: float,
    title: str,
    description: str,
    body: str,
    *,
    defs: str = "",
    chart_id: str = "",
) -> Markup:
    title = _clean(title)
    if not title:
        raise ValueError("a chart needs a title: screen readers announce it as the chart's name")
    chart_id = chart_id or _new_id()
    root = _attrs(
        xmlns="http://www.w3.org/2000/svg",  # a namespace name, never fetched
        role="img",
        aria_labelledby=f"{chart_id}-title {chart_id}-desc",
        viewBox=f"0 0 {_number(width)} {_number(height)}",
        width="100%",
        class_=f"chart chart--{kind}",
        font_family="inherit",
        font_size=FONT_SIZE,
    )
    defs = f"<defs>{defs}</defs>" if defs else ""
    return Markup(  # noqa: S704 (every text and attribute value above went through escape)
        f'<svg{root}><title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(_clean(description))}</desc>{defs}{body}</svg>'
    )


def _new_id() -> str:
    """A fresh XML id (starts with a letter): charts rendered in different processes may share a page."""
    return f"chart-{uuid.uuid4().hex[:16]}"


def _text(text: str, max_chars: int | None, **attributes: object) -> str:
    """A text element, shortened with an ellipsis past `max_chars`; the full text is then its `<title>`."""
    shown = _shorten(text, max_chars) if max_chars else text
    tooltip = _title(text) if shown != text else ""
    return f"<text{_attrs(**attributes)}>{tooltip}{escape(shown)}</text>"


def _shorten(text: str, max_chars: int) -> str:
    return text if len(text) <= max_chars else text[: max_chars - 1].rstrip() + "…"


def _text_width(chars: int, font_size: float) -> float:
    return chars * font_size * GLYPH_WIDTH


def _label_column(labels: list[str]) -> float:
    longest = max(len(_shorten(label, LABEL_CHARS)) for label in labels)
    return max(_text_width(longest, FONT_SIZE), 40) + 2 * PADDING


def _amount(value: object) -> Amount:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TypeError(f"charts show numbers, not {value!r}")
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"charts show finite numbers from 0 up, not {value!r}")
    return value
