"""The Markdown of pages that need an outline (the page in easy language): headings of levels 2
to 4, and otherwise the same allow-list as all user text, for every payload of the corpus."""

from __future__ import annotations

import pytest

from participation.core.markdown import ALLOWED_ATTRIBUTES, ALLOWED_PROTOCOLS, ALLOWED_TAGS, render_page_text
from tests.xss import payloads, unsafe_parts

PAGE_TAGS = ALLOWED_TAGS | {"h2", "h3", "h4"}


@pytest.mark.parametrize("payload", payloads()[::3])
def test_payload_renders_inside_the_allow_list(payload):
    for text in (payload, f"## {payload}", f"# [x]({payload})", f"### [{payload}](https://example.org)"):
        assert unsafe_parts(render_page_text(text), PAGE_TAGS, ALLOWED_ATTRIBUTES, ALLOWED_PROTOCOLS) == []


def test_headings_stay_below_the_page_title_and_images_stay_text():
    html = render_page_text("# Eins\n\n## Zwei\n\n###### Sechs\n\n![Bild](https://example.org/a.png)")
    assert html.startswith("<h2>Eins</h2>\n<h2>Zwei</h2>\n<h4>Sechs</h4>")
    assert "<img" not in html
    assert render_page_text("") == "" and render_page_text(None) == ""
