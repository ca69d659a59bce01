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
