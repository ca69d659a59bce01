"""The XSS payload corpora (tests/data) and a parser-based check of rendered HTML."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import html5lib

DATA = Path(__file__).parent / "data"


def payloads() -> list[str]:
    strings = json.loads((DATA / "blns" / "blns.json").read_text(encoding="utf-8"))
    strings += [case["input"] for case in json.loads((DATA / "html5lib-sanitizer" / "tests1.dat").read_text())]
    for test in sorted((DATA / "bleach").glob("*.test")):
        strings.append(test.read_text(encoding="utf-8").split("\n--\n", 1)[0])
    return [s for s in dict.fromkeys(strings) if s]


def unsafe_parts(html: str, allowed_tags, allowed_attributes, allowed_schemes) -> list[str]:
    """Every element, attribute or URL scheme in `html` outside the allow-lists."""
    fragment = html5lib.parseFragment(html, namespaceHTMLElements=False)
    problems = []
    for element in fragment.iter():
        tag = element.tag
        if not isinstance(tag, str):  # comments
            problems.append("comment")
            continue
        if tag == "DOCUMENT_FRAGMENT":
            continue
        if tag not in allowed_tags:
            problems.append(f"<{tag}>")
        for name, value in element.attrib.items():
            if name not in allowed_attributes.get(tag, ()):
                problems.append(f"{tag}[{name}]")
            if name in ("href", "src"):
                scheme = urlsplit(value.strip()).scheme.lower()
                if scheme and scheme not in allowed_schemes:
                    problems.append(f"{tag}[{name}]={value!r}")
    return problems


# Every element the templates themselves use, plus what the Markdown helper may produce.
PAGE_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "link",
    "body",
    "header",
    "nav",
    "main",
    "footer",
    "section",
    "article",
    "div",
    "span",
    "a",
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "form",
    "fieldset",
    "legend",
    "label",
    "input",
    "select",
    "optgroup",  # the report's choice of round
    "option",
    "textarea",
    "button",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "strong",
    "em",
    "s",
    "del",
    "code",
    "pre",
    "blockquote",
    "ins",
    "details",
    "summary",
    "time",
    "hr",
    "br",
    "progress",  # the action concept's progress bars
}
# the server-drawn charts (participation.statistics.charts): shapes and text, no links, images or script
SVG = "{http://www.w3.org/2000/svg}"
PAGE_TAGS |= {
    SVG + tag for tag in ("svg", "title", "desc", "defs", "pattern", "g", "rect", "line", "path", "circle", "text")
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "srcset", "data", "poster", "background"}
SAFE_SCHEMES = {"", "http", "https", "mailto"}


def page_problems(html: str) -> list[str]:
    """What a whole page contains beyond what our templates make: foreign elements, any script,
    event handlers, inline styles, dangerous URL schemes. Parsed as a browser would (html5lib)."""
    document = html5lib.parse(html, namespaceHTMLElements=False)
    problems = []
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag not in PAGE_TAGS:
            problems.append(f"<{element.tag}>")
        for name, value in element.attrib.items():
            if name.startswith("on") or name == "style" or name == "srcdoc":
                problems.append(f"{element.tag}[{name}]")
            if name in URL_ATTRIBUTES:
                compact = "".join(ch for ch in value if ch.isprintable() and not ch.isspace())
                if urlsplit(compact).scheme.lower() not in SAFE_SCHEMES or compact.startswith("//"):
                    problems.append(f"{element.tag}[{name}]={value!r}")
        if element.tag == "meta" and set(element.attrib) - {"charset", "name", "content"}:
            problems.append(f"meta{sorted(element.attrib)}")
    return problems


def check(response, where):
    """The page `response` shows has no markup that hostile text put there."""
    problems = page_problems(response.get_data(as_text=True))
    assert problems == [], where
