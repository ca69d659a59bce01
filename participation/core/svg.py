"""Building blocks of the inline SVG charts (the participation report's, an indicator's line):
elements from escaped strings, presentation attributes instead of styles (the
Content-Security-Policy allows none inline), text cleaned of what XML cannot carry.

Every text that reaches a chart passes through `attrs`, `title` or the charts' own text
helpers, which escape it; each chart module declares its finished SVG safe in one place."""

from __future__ import annotations

import re
from collections.abc import Iterable

from markupsafe import escape

NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
SPACES = re.compile("[ \t\n\r]+")  # keeps the no-break space of format_percent ("34\u00a0%")


def element(name: str, children: str = "", **attributes: object) -> str:
    """An element from trusted child markup; text goes in through `title` or a text helper."""
    if children:
        return f"<{name}{attrs(**attributes)}>{children}</{name}>"
    return f"<{name}{attrs(**attributes)}/>"


def group(children: Iterable[str], **attributes: object) -> str:
    return element("g", "".join(children), **attributes)


def title(text: str) -> str:
    return f"<title>{escape(clean(text))}</title>"


def attrs(**attributes: object) -> str:
    """` name="value"` pairs; `class_` becomes class, `text_anchor` text-anchor; numbers are rounded."""
    pairs = []
    for name, value in attributes.items():
        if isinstance(value, int | float):
            value = number(value)
        pairs.append(f' {name.rstrip("_").replace("_", "-")}="{escape(clean(str(value)))}"')
    return "".join(pairs)


def number(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def clean(text: object) -> str:
    """One line of text without the characters XML cannot carry."""
    return SPACES.sub(" ", NOT_XML.sub("", str(text))).strip()


def with_unit(figure: str, unit: str) -> str:
    unit = clean(unit)
    return f"{figure} {unit}" if unit else figure
