"""An indicator's measured values over time as a line chart: inline SVG from escaped strings, drawn
like the participation report's charts (participation.statistics.charts; both build on
participation.core.svg): `<svg role="img">` named by its `<title>` and `<desc>`, presentation attributes instead
of styles (the Content-Security-Policy allows none inline), text in `currentColor`. The page shows
the same figures in a table next to it.

Every text that reaches the SVG passes through `_attrs`, `_text` or `_title`, which escape it;
`_svg` is the one place that declares the result safe."""

from __future__ import annotations

import math
import uuid
from collections.abc import Sequence
from datetime import date

from flask_babel import format_date, format_number, ngettext
from flask_babel import gettext as _
from markupsafe import Markup, escape

from participation.core.svg import attrs as _attrs
from participation.core.svg import clean as _clean
from participation.core.svg import element as _element
from participation.core.svg import group as _group
from participation.core.svg import number as _number
from participation.core.svg import title as _title
from participation.core.svg import with_unit as _with_unit

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 16, 40
FONT_SIZE, SMALL_FONT_SIZE = 13, 12
LINE_COLOUR = "#1d4f91"  # 8.6:1 against white, as the report's first series
TARGET_COLOUR = "#b35900"  # 4.6:1 against white
GRID_COLOUR = "#8c8c8c"


def line_chart(
    title: str,
    points: Sequence[tuple[date, float]],
    *,
    unit: str = "",
    baseline: float | None = None,
    target: float | None = None,
    target_on: date | None = None,
) -> Markup:
    """Measured values joined by a line, the target as a dashed line (reaching to its date), the
    baseline as a dotted one; empty when nothing was measured yet."""
    points = sorted((day, float(value)) for day, value in points if math.isfinite(float(value)))
    if not points:
        return Markup("")
    levels = [value for _day, value in points]
    for extra in (baseline, target):
        if extra is not None and math.isfinite(extra):
            levels.append(float(extra))
    ticks = _ticks(min(0.0, min(levels)), max(levels))
    low, high = ticks[0], ticks[-1]
    first = points[0][0]
    last = max(points[-1][0], target_on or points[-1][0])
    days = max((last - first).days, 1)
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: date) -> float:
        return LEFT + plot_width * (day - first).days / days if len(points) > 1 or target_on else LEFT + plot_width / 2

    def y(value: float) -> float:
        return TOP + plot_height * (high - value) / (high - low)

    grid, labels = [], []
    for tick in ticks:
        grid.append(_element("line", x1=LEFT, x2=WIDTH - RIGHT, y1=y(tick), y2=y(tick)))
        labels.append(_text(_with_unit(format_number(tick), ""), x=LEFT - 8, y=y(tick), dy="0.35em"))
    axis_days = sorted({first, points[-1][0], last})
    axis = [
        _text(format_date(day, "short"), x=x(day), y=HEIGHT - BOTTOM + 20, text_anchor=anchor)
        for day, anchor in zip(axis_days, _anchors(len(axis_days)), strict=True)
    ]
    guides = []
    if baseline is not None and math.isfinite(baseline):
        guides.append(
            _element(
                "line",
                _title(_("Baseline: %(value)s", value=_with_unit(format_number(baseline), unit))),
                class_="chart-baseline",
                x1=LEFT,
                x2=WIDTH - RIGHT,
                y1=y(baseline),
                y2=y(baseline),
                stroke="currentColor",
                stroke_dasharray="2 4",
            )
        )
    if target is not None and math.isfinite(target):
        shown = _with_unit(format_number(target), unit)
        guides.append(
            _element(
                "line",
                _title(_("Target: %(value)s", value=shown)),
                class_="chart-target",
                x1=LEFT,
                x2=x(target_on) if target_on else WIDTH - RIGHT,
                y1=y(target),
                y2=y(target),
                stroke=TARGET_COLOUR,
                stroke_width=2,
                stroke_dasharray="8 4",
            )
        )
        guides.append(_text(_("Target: %(value)s", value=shown), x=LEFT + 4, y=y(target) - 6, fill=TARGET_COLOUR))
    path = " ".join(
        f"{'M' if index == 0 else 'L'}{_number(x(day))},{_number(y(value))}"
        for index, (day, value) in enumerate(points)
    )
    marks = [
        _element(
            "circle",
            _title(f"{format_date(day, 'medium')}: {_with_unit(format_number(value), unit)}"),
            cx=x(day),
            cy=y(value),
            r=4,
        )
        for day, value in points
    ]
    body = (
        _group(grid, class_="chart-grid", stroke=GRID_COLOUR)
        + _group(labels, class_="chart-ticks", fill="currentColor", font_size=SMALL_FONT_SIZE, text_anchor="end")
        + _group(axis, class_="chart-axis-labels", fill="currentColor", font_size=SMALL_FONT_SIZE)
        + _group(guides, class_="chart-guides")
        + _element("path", class_="chart-line", d=path, fill="none", stroke=LINE_COLOUR, stroke_width=3)
        + _group(marks, class_="chart-points", fill=LINE_COLOUR)
    )
    return _svg(title, _description(points, unit, target), body)


def _description(points, unit: str, target: float | None) -> str:
    (first_day, first_value), (last_day, last_value) = points[0], points[-1]
    text = ngettext(
        "Line chart with %(num)d measured value.",
        "Line chart with %(num)d measured values.",
        len(points),
    )
    moved = _(
        "From %(first)s on %(first_day)s to %(last)s on %(last_day)s.",
        first=_with_unit(format_number(first_value), unit),
        first_day=format_date(first_day, "medium"),
        last=_with_unit(format_number(last_value), unit),
        last_day=format_date(last_day, "medium"),
    )
    sentence = f"{text} {moved}"
    if target is not None:
        sentence += " " + _("Target: %(value)s", value=_with_unit(format_number(target), unit))
    return sentence


def _anchors(count: int) -> list[str]:
    return ["start", "middle", "end"][:count] if count == 3 else (["start", "end"] if count == 2 else ["middle"])


def _ticks(low: float, high: float) -> list[float]:
    """4 to 6 gridline values with a round step (1, 2 or 5 times a power of ten) around low..high."""
    span = high - low or abs(high) or 1.0
    step = 10 ** math.floor(math.log10(span / 4))
    for factor in (1, 2, 5, 10):
        if span / (step * factor) <= 5:
            step *= factor
            break
    start = math.floor(low / step) * step
    ticks = [start]
    while ticks[-1] < high or len(ticks) < 2:
        ticks.append(ticks[-1] + step)
    return [round(tick, 10) for tick in ticks]


def _svg(title: str, description: str, body: str) -> Markup:
    chart_id = f"chart-{uuid.uuid4().hex[:16]}"
    root = _attrs(
        xmlns="http://www.w3.org/2000/svg",  # a namespace name, never fetched
        role="img",
        aria_labelledby=f"{chart_id}-title {chart_id}-desc",
        viewBox=f"0 0 {WIDTH} {HEIGHT}",
        width="100%",
        class_="chart chart--line",
        font_family="inherit",
        font_size=FONT_SIZE,
    )
    return Markup(  # noqa: S704 (every text and attribute value above went through escape)
        f'<svg{root}><title id="{chart_id}-title">{escape(_clean(title) or "-")}</title>'
        f'<desc id="{chart_id}-desc">{escape(_clean(description))}</desc>{body}</svg>'
    )


def _text(text: str, **attributes: object) -> str:
    return f"<text{_attrs(**attributes)}>{escape(_clean(text))}</text>"
