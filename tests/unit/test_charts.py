"""Participation report charts: well-formed SVG, named for screen readers, true to the figures, safe with user text."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from flask_babel import gettext
from markupsafe import Markup

from participation.statistics.charts import (
    GRID_COLOUR,
    LABEL_CHARS,
    MARK_COLOUR,
    PALETTE,
    bar_chart,
    column_chart,
    stacked_bar_chart,
)

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert(1)</script> & "x"'
XML_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
SERIES = ["agree", "neutral", "disagree"]


@pytest.fixture
def german(app):
    with app.test_request_context():  # no Accept-Language: the default locale, German
        yield


@pytest.fixture
def english(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


def parse(chart: Markup) -> ET.Element:
    assert isinstance(chart, Markup)
    return ET.fromstring(str(chart))  # noqa: S314 (our own output; raises unless it is well-formed XML)


def name(element: ET.Element) -> str:
    return element.tag.removeprefix(SVG)


def elements(root: ET.Element, tag: str, css_class: str | None = None) -> list[ET.Element]:
    found = list(root.iter(SVG + tag))
    if css_class:
        found = [element for element in found if css_class in element.get("class", "").split()]
    return found


def group(root: ET.Element, css_class: str) -> ET.Element:
    (found,) = elements(root, "g", css_class)
    return found


def visible_text(element: ET.Element) -> str:
    """The text a text element shows, without its <title> tooltip."""
    return "".join([element.text or ""] + [child.tail or "" for child in element])


def tooltip(element: ET.Element) -> str | None:
    titles = element.findall(SVG + "title")
    return titles[0].text if titles else None


def floats(elements_: list[ET.Element], attribute: str) -> list[float]:
    return [float(element.get(attribute)) for element in elements_]


def viewbox_height(root: ET.Element) -> float:
    return float(root.get("viewBox").split()[3])


def all_charts(label: str = "Kapitel 1") -> list[Markup]:
    return [
        bar_chart("Beiträge je Kapitel", [(label, 3), ("Kapitel 2", 1)], unit="Beiträge"),
        stacked_bar_chart("Zustimmung je Absatz", [(label, [3, 1, 1]), ("Absatz 2", [0, 2, 1])], SERIES),
        column_chart("Beiträge je Woche", [(label, 3), ("KW 2", 5)]),
    ]


def assert_accessible_image(root: ET.Element, title: str) -> None:
    assert name(root) == "svg"
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert root.get("font-family") == "inherit"
    assert "chart" in root.get("class").split()
    assert [float(number) for number in root.get("viewBox").split()][:2] == [0, 0]
    ids = [element.get("id") for element in root.iter() if element.get("id")]
    assert len(ids) == len(set(ids))
    assert all(XML_ID.fullmatch(identifier) for identifier in ids)
    by_id = {element.get("id"): element for element in root.iter() if element.get("id")}
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root[0] is by_id[title_id] and name(root[0]) == "title" and root[0].text == title
    assert root[1] is by_id[desc_id] and name(root[1]) == "desc" and root[1].text.strip()


def assert_self_contained(chart: Markup, root: ET.Element) -> None:
    ids = {element.get("id") for element in root.iter()}
    for element in root.iter():
        assert name(element) not in {"script", "style", "foreignObject", "image", "a", "use", "iframe"}
        for attribute, value in element.attrib.items():
            assert not attribute.lower().startswith("on"), attribute  # no event handlers
            assert "href" not in attribute.lower() and attribute != "style", attribute
            if "url(" in value:
                reference = re.fullmatch(r"url\(#([\w-]+)\)", value)
                assert reference and reference.group(1) in ids, value
    assert str(chart).count("http") == 1  # the namespace name, which is never fetched


def test_every_chart_is_a_named_image(german):
    for chart, title in zip(
        all_charts(), ["Beiträge je Kapitel", "Zustimmung je Absatz", "Beiträge je Woche"], strict=True
    ):
        root = parse(chart)
        assert_accessible_image(root, title)
        assert_self_contained(chart, root)
        for text in elements(root, "text"):
            fill = text.get("fill") or next(g.get("fill") for g in root.iter(SVG + "g") if text in list(g))
            assert fill in {"currentColor", MARK_COLOUR}  # the page's text colour, or white on a bar


def test_ids_are_new_for_every_chart(german):
    first, second = (parse(stacked_bar_chart("Zustimmung", [("§ 1", [1, 1, 1])], SERIES)) for _ in range(2))
    first_ids = {element.get("id") for element in first.iter() if element.get("id")}
    second_ids = {element.get("id") for element in second.iter() if element.get("id")}
    assert len(first_ids) == 4  # title, desc and the patterns of the second and third series
    assert not first_ids & second_ids


def test_the_description_can_be_given_and_is_generated_otherwise(german):
    given = parse(bar_chart("Beiträge", [("A", 1)], description="Kapitel 3 hat die meisten Beiträge."))
    assert given[1].text == "Kapitel 3 hat die meisten Beiträge."
    generated = parse(bar_chart("Beiträge", [("Kapitel 1", 12), ("Kapitel 3", 1234)], unit="Beiträge"))
    assert gettext("Largest value: %(label)s with %(value)s.", label="Kapitel 3", value="1.234 Beiträge") in (
        generated[1].text
    )


def test_bars_are_proportional_to_the_values(german):
    values = [40, 10, 25, 0, 2.5]
    root = parse(bar_chart("Beiträge", [(f"Kapitel {index}", value) for index, value in enumerate(values)]))
    widths = floats(elements(root, "rect", "chart-bar"), "width")
    assert widths[0] > 300
    assert widths == pytest.approx([widths[0] * value / 40 for value in values], abs=0.02)
    starts = set(floats(elements(root, "rect", "chart-bar"), "x"))
    assert len(starts) == 1


def test_values_are_formatted_in_german(german):
    root = parse(bar_chart("Beiträge", [("A", 1234), ("B", Decimal("2.5"))], unit="Beiträge"))
    assert [visible_text(text) for text in group(root, "chart-values")] == ["1.234 Beiträge", "2,5 Beiträge"]


def test_values_are_formatted_in_english(english):
    root = parse(bar_chart("Contributions", [("A", 1234), ("B", 2.5)]))
    assert [visible_text(text) for text in group(root, "chart-values")] == ["1,234", "2.5"]
    stacked = parse(stacked_bar_chart("Agreement", [("§ 1", [1, 1, 1])], SERIES))
    assert [visible_text(text) for text in group(stacked, "chart-percentages").findall(SVG + "text")] == [
        "34%",
        "33%",
        "33%",
    ]
    assert stacked[1].text.startswith("Stacked bar chart with 1 row, each split into: agree, neutral, disagree.")


def test_user_text_is_escaped_everywhere(german):
    charts = [
        bar_chart(HOSTILE, [(HOSTILE, 3)], unit=HOSTILE, description=HOSTILE),
        stacked_bar_chart(HOSTILE, [(HOSTILE, [1, 2])], [HOSTILE, "neutral"], description=HOSTILE),
        column_chart(HOSTILE, [(HOSTILE, 3)], description=HOSTILE),
        *all_charts(HOSTILE),
    ]
    for chart in charts:
        assert "<script" not in chart
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; " in chart
        root = parse(chart)
        assert_self_contained(chart, root)
        assert not elements(root, "script")
        assert HOSTILE in [element.text for element in root.iter() if name(element) in {"title", "desc"}]
    assert parse(charts[0])[0].text == HOSTILE
    assert visible_text(group(parse(charts[0]), "chart-values")[0]) == "3 " + HOSTILE  # the unit, short enough


def test_characters_xml_cannot_carry_are_dropped(german):
    label = "Kapitel\x00 1\x1b\n\t2\ufffe"
    for chart in all_charts(label):
        root = parse(chart)
        assert "Kapitel 1 2" in [visible_text(text) for text in elements(root, "text")]


def test_nothing_to_show_is_an_empty_markup(german):
    for chart in (bar_chart("Beiträge", []), stacked_bar_chart("Zustimmung", [], SERIES), column_chart("Woche", [])):
        assert isinstance(chart, Markup)
        assert chart == ""


def test_all_zero_values_draw_empty_charts(german):
    bars = parse(bar_chart("Beiträge", [("A", 0), ("B", 0)]))
    assert floats(elements(bars, "rect", "chart-bar"), "width") == [0, 0]
    assert gettext("All values are zero.") in bars[1].text

    stacked = parse(stacked_bar_chart("Zustimmung", [("§ 1", [0, 0, 0]), ("§ 2", [0, 1, 0])], SERIES))
    assert len(elements(stacked, "rect", "chart-segment")) == 1
    assert [visible_text(text) for text in group(stacked, "chart-notes")] == [gettext("No data")]

    columns = parse(column_chart("Woche", [("KW 1", 0), ("KW 2", 0)]))
    assert floats(elements(columns, "rect", "chart-column"), "height") == [0, 0]
    assert [visible_text(tick) for tick in elements(columns, "text", "chart-tick")] == ["0", "1", "2"]


def test_two_hundred_rows(german):
    rows = [(f"Absatz {index}", index) for index in range(200)]
    bars = parse(bar_chart("Beiträge je Absatz", rows))
    assert len(elements(bars, "rect", "chart-bar")) == 200
    assert viewbox_height(bars) > viewbox_height(parse(bar_chart("Beiträge", rows[:10]))) * 15
    tops = floats(elements(bars, "rect", "chart-bar"), "y")
    assert tops == sorted(tops) and max(tops) < viewbox_height(bars)

    stacked = parse(stacked_bar_chart("Zustimmung", [(label, [value, 3, 1]) for label, value in rows], SERIES))
    assert len(group(stacked, "chart-outlines")) == 200
    assert viewbox_height(stacked) > 200 * 18


def test_long_labels_are_shortened_with_the_full_label_as_tooltip(german):
    long_label = "Kapitel 7: Digitale Verwaltung für alle Kölner*innen, barrierefrei und mehrsprachig"
    root = parse(bar_chart("Beiträge", [(long_label, 5), ("Kapitel 8", 3)]))
    long_text, short_text = group(root, "chart-labels")
    assert visible_text(long_text).endswith("…")
    assert len(visible_text(long_text)) <= LABEL_CHARS
    assert long_label.startswith(visible_text(long_text).removesuffix("…"))
    assert tooltip(long_text) == long_label
    assert visible_text(short_text) == "Kapitel 8" and tooltip(short_text) is None


def percentages_by_row(root: ET.Element) -> list[list[int]]:
    rows: dict[str, list[int]] = {}
    for segment in elements(root, "rect", "chart-segment"):
        percent = re.search(r"(\d+)\s*%", tooltip(segment))
        rows.setdefault(segment.get("y"), []).append(int(percent.group(1)))
    return list(rows.values())


def test_stacked_percentages_add_up_to_100(german):
    rows = [[1, 1, 1], [1, 1, 4], [1, 2, 4], [2, 2, 2], [0, 0, 5], [7, 0, 0], [1, 998, 1], [333, 333, 334]]
    root = parse(stacked_bar_chart("Zustimmung", [(f"§ {i}", row) for i, row in enumerate(rows)], SERIES))
    shares = percentages_by_row(root)
    assert all(sum(row) == 100 for row in shares)
    assert shares[:3] == [[34, 33, 33], [17, 17, 66], [14, 29, 57]]
    assert shares[4:6] == [[100], [100]]  # empty series draw no segment
    # the figures shown on the bars are the same, where a segment is wide enough
    shown = [visible_text(text) for text in group(root, "chart-percentages").findall(SVG + "text")]
    assert shown[:3] == ["34\u00a0%", "33\u00a0%", "33\u00a0%"]


def test_stacked_segments_fill_the_bar_in_proportion(german):
    root = parse(stacked_bar_chart("Zustimmung", [("§ 1", [1, 2, 5])], SERIES))
    (outline,) = group(root, "chart-outlines")
    segments = elements(root, "rect", "chart-segment")
    widths = floats(segments, "width")
    assert sum(widths) == pytest.approx(float(outline.get("width")), abs=0.05)
    assert widths == pytest.approx([widths[0] * count for count in (1, 2, 5)], abs=0.05)
    assert float(segments[0].get("x")) == float(outline.get("x"))


def test_series_differ_in_pattern_as_well_as_colour(german):
    root = parse(stacked_bar_chart("Zustimmung", [("§ 1", [1, 1, 1, 1, 1, 1])], [f"Gruppe {n}" for n in range(6)]))
    patterns = {pattern.get("id"): pattern for pattern in elements(root, "pattern")}
    fills = [segment.get("fill") for segment in elements(root, "rect", "chart-segment")]
    assert fills[0] == PALETTE[0]  # the first series is plain colour
    assert len(set(fills)) == 6
    for fill in fills[1:]:
        pattern = patterns[re.fullmatch(r"url\(#(.+)\)", fill).group(1)]
        assert len(list(pattern.iter())) > 2  # a background and marks on it
    markings = [ET.tostring(pattern[1]) for pattern in patterns.values()]
    assert len(set(markings)) == 5  # five different patterns, not one pattern in five colours
    swatches = elements(root, "rect", "chart-swatch")
    assert [swatch.get("fill") for swatch in swatches] == fills  # the legend shows the same fills
    assert [visible_text(text) for text in group(root, "chart-legend").findall(SVG + "text")] == [
        f"Gruppe {n}" for n in range(6)
    ]
    with pytest.raises(ValueError):
        stacked_bar_chart("Zustimmung", [("§ 1", [1] * 7)], [f"Gruppe {n}" for n in range(7)])
    with pytest.raises(ValueError):
        stacked_bar_chart("Zustimmung", [("§ 1", [1, 2])], SERIES)


def relative_luminance(colour: str) -> float:
    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(colour[start : start + 2], 16) for start in (1, 3, 5))
    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast_ratio(colour: str, background: str = "#ffffff") -> float:
    lighter, darker = sorted((relative_luminance(colour), relative_luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_ratio_matches_known_values():
    assert contrast_ratio("#000000") == pytest.approx(21)
    assert contrast_ratio("#ffffff") == pytest.approx(1)
    assert contrast_ratio("#767676") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("colour", PALETTE)
def test_series_colours_contrast_with_white(colour):
    assert contrast_ratio(colour) >= 3  # WCAG 1.4.11: bars against the page
    assert contrast_ratio(colour) >= 4.5  # WCAG 1.4.3: the white percentages drawn on the bars


def test_gridlines_contrast_with_white():
    assert contrast_ratio(GRID_COLOUR) >= 3


def test_every_colour_drawn_is_one_of_the_tested(german):
    rows = [("§ 1", [1, 1, 1, 1, 1, 1])]
    charts = [*all_charts(), stacked_bar_chart("Gruppen", rows, [f"Gruppe {n}" for n in range(6)])]
    drawn = {colour.lower() for chart in charts for colour in re.findall(r"#[0-9a-fA-F]{6}\b", chart)}
    assert drawn - {MARK_COLOUR} <= {*PALETTE, GRID_COLOUR}


def test_weekly_axis_labels_are_thinned_and_never_overlap(german):
    weeks = [(f"KW {week % 52 + 1:02d}/{2024 + week // 52}", week % 17) for week in range(104)]
    root = parse(column_chart("Beiträge je Woche", weeks))
    assert len(elements(root, "rect", "chart-column")) == 104
    labels = elements(root, "text", "chart-axis-label")
    assert 2 <= len(labels) <= 12
    assert visible_text(labels[0]) == "KW 01/2024"
    font_size = float(group(root, "chart-axis-labels").get("font-size"))
    widths = [len(visible_text(label)) * font_size * 0.6 for label in labels]  # about the average glyph width
    centres = floats(labels, "x")
    for left, right, width in zip(centres, centres[1:], widths, strict=False):
        assert right - left >= width
    chart_width = float(root.get("viewBox").split()[2])
    assert centres[0] - widths[0] / 2 >= 0 and centres[-1] + widths[-1] / 2 <= chart_width

    few = parse(column_chart("Beiträge je Woche", weeks[:5]))
    assert [visible_text(label) for label in elements(few, "text", "chart-axis-label")] == [
        label for label, _ in weeks[:5]
    ]


@pytest.mark.parametrize("largest", [0, 1, 2, 3, 4, 5, 7, 10, 99, 100, 101, 1234, 999_999, 1_000_000])
def test_the_value_axis_has_three_to_five_round_gridlines(german, largest):
    root = parse(column_chart("Beiträge je Woche", [("KW 1", 0), ("KW 2", largest)]))
    ticks = [int(visible_text(tick).replace(".", "")) for tick in elements(root, "text", "chart-tick")]
    assert 3 <= len(ticks) <= 5
    step = ticks[1]
    assert ticks == [step * index for index in range(len(ticks))]
    assert re.fullmatch(r"[125]0*", str(step))
    assert ticks[-1] >= largest and (ticks[-2] < largest or len(ticks) == 3)
    assert ticks[-1] <= max(2, 1.5 * largest)  # no room wasted above the highest column
    assert len(elements(root, "line", None)) >= len(ticks)  # gridlines, axis and marks


@pytest.mark.parametrize(
    ("largest", "expected"),
    [(0, [0, 1, 2]), (3, [0, 1, 2, 3]), (5, [0, 2, 4, 6]), (7, [0, 2, 4, 6, 8]), (101, [0, 50, 100, 150])],
)
def test_gridline_values_for_known_maxima(german, largest, expected):
    root = parse(column_chart("Beiträge je Woche", [("KW 1", largest)]))
    assert [int(visible_text(tick)) for tick in elements(root, "text", "chart-tick")] == expected


def test_columns_are_proportional_to_the_values(german):
    values = [3, 12, 0, 7, 16]
    root = parse(column_chart("Beiträge je Woche", [(f"KW {n}", value) for n, value in enumerate(values)]))
    columns = elements(root, "rect", "chart-column")
    heights = floats(columns, "height")
    assert heights == pytest.approx([heights[-1] * value / 16 for value in values], abs=0.02)
    bottoms = {round(float(column.get("y")) + float(column.get("height")), 1) for column in columns}
    assert len(bottoms) == 1  # all stand on the axis
    assert [tooltip(column) for column in columns][1] == "KW 1: 12"


def test_bad_input_is_refused(german):
    with pytest.raises(ValueError):
        bar_chart("", [("A", 1)])
    with pytest.raises(ValueError):
        bar_chart("Beiträge", [("A", -1)])
    with pytest.raises(ValueError):
        column_chart("Beiträge", [("A", float("nan"))])
    with pytest.raises(TypeError):
        bar_chart("Beiträge", [("A", "12")])
