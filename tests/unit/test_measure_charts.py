"""An indicator's line chart: well-formed SVG, named for screen readers, safe with hostile text,
true to the values it is given."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import pytest

from participation.measures.charts import line_chart

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert(1)</script> & "x"'


@pytest.fixture
def german(app):
    with app.test_request_context():
        yield


def parse(chart) -> ET.Element:
    return ET.fromstring(str(chart))  # noqa: S314 (our own output; raises unless it is well-formed XML)


def test_a_line_through_the_values_with_target_and_baseline(german):
    points = [(date(2026, 1, 1), 25), (date(2026, 7, 1), 38.5), (date(2026, 4, 1), 30)]
    root = parse(line_chart("Schulen", points, unit="%", baseline=12, target=100, target_on=date(2027, 12, 31)))
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id and root.find(f"{SVG}desc").get("id") == desc_id
    assert root.find(f"{SVG}title").text == "Schulen"
    assert "3 Messwerten" in root.find(f"{SVG}desc").text and "38,5 %" in root.find(f"{SVG}desc").text
    circles = list(root.iter(f"{SVG}circle"))
    assert [c.find(f"{SVG}title").text.split(": ")[1] for c in circles] == ["25 %", "30 %", "38,5 %"]
    xs = [float(c.get("cx")) for c in circles]
    assert xs == sorted(xs)  # in the order of their dates
    ys = [float(c.get("cy")) for c in circles]
    assert ys[0] > ys[1] > ys[2]  # higher values higher up
    path = root.find(f".//{SVG}path")
    assert path.get("d").count("L") == 2
    assert "Ziel: 100 %" in str(line_chart("x", points, unit="%", target=100))


def test_hostile_text_is_escaped_and_no_values_draw_nothing(german):
    chart = line_chart(HOSTILE, [(date(2026, 1, 1), -5.0), (date(2026, 1, 2), float("nan"))], unit=HOSTILE, target=3)
    root = parse(chart)
    assert root.find(f"{SVG}title").text == HOSTILE.strip()
    assert "<script>" not in str(chart)
    assert not list(root.iter(f"{SVG}script"))
    assert len(list(root.iter(f"{SVG}circle"))) == 1  # NaN is left out; a negative value is drawn
    assert str(line_chart("x", [])) == ""
