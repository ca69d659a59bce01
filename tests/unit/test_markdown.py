"""The one Markdown helper: everything user text can become is inside the allow-list."""

from __future__ import annotations

from urllib.parse import unquote

import html5lib
import pytest
from markupsafe import Markup

from participation.core.markdown import ALLOWED_ATTRIBUTES, ALLOWED_PROTOCOLS, ALLOWED_TAGS, LINK_REL, render_markdown
from tests.xss import payloads, unsafe_parts

PAYLOADS = payloads()


def test_corpus_is_loaded():
    assert len(PAYLOADS) >= 600


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_renders_inside_the_allow_list(payload):
    html = render_markdown(payload)
    assert unsafe_parts(html, ALLOWED_TAGS, ALLOWED_ATTRIBUTES, ALLOWED_PROTOCOLS) == []
    # the same payload as a link target and as link text
    for text in (f"[x]({payload})", f"[{payload}](https://example.org)", f"<{payload}>"):
        assert unsafe_parts(render_markdown(text), ALLOWED_TAGS, ALLOWED_ATTRIBUTES, ALLOWED_PROTOCOLS) == []


@pytest.mark.parametrize(
    "source",
    [
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](java&#x09;script:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[click](vbscript:msgbox)",
        "<a href='javascript:alert(1)'>x</a>",
        "![img](javascript:alert(1))",
    ],
)
def test_dangerous_links_do_not_become_links(source):
    html = render_markdown(source)
    assert unsafe_parts(html, ALLOWED_TAGS, ALLOWED_ATTRIBUTES, ALLOWED_PROTOCOLS) == []
    for link in html5lib.parseFragment(html, namespaceHTMLElements=False).iter("a"):
        # a relative link such as "java%09script:..." is harmless; a decoded scheme is not
        target = "".join(ch for ch in unquote(link.get("href", "")) if ch.isprintable() and not ch.isspace())
        assert not target.lower().startswith(("javascript:", "data:", "vbscript:"))


def test_links_get_rel_and_bare_urls_are_linked():
    html = render_markdown("See [plan](https://www.stadt-koeln.de) and https://example.org/x")
    assert html.count(f'rel="{LINK_REL}"') == 2
    assert 'href="https://example.org/x"' in html


def test_markdown_basics_and_literal_html():
    html = render_markdown("**bold** and *em*\n\n- one\n- two\n\n<b>not bold</b>")
    assert "<strong>bold</strong>" in html and "<em>em</em>" in html
    assert "<li>one</li>" in html
    assert "&lt;b&gt;not bold&lt;/b&gt;" in html


def test_headings_and_images_stay_text():
    html = render_markdown("# Big\n\n![alt](https://tracker.example/pixel.png)")
    assert "<h1>" not in html and "<img" not in html


def test_result_is_markup_and_empty_input():
    assert isinstance(render_markdown("x"), Markup)
    assert render_markdown(None) == "" and render_markdown("") == ""


@pytest.mark.parametrize(
    "source, shown",
    [
        ("Kölner*innen und Expert*innen", "<p>Kölner*innen und Expert*innen</p>"),
        ("die Expert*innen und Kolleg*innen", "<p>die Expert*innen und Kolleg*innen</p>"),
        ("Bürger*innen-Dialog mit Anwohner*innen", "<p>Bürger*innen-Dialog mit Anwohner*innen</p>"),
        ("Kolleg_innen und Expert_innen", "<p>Kolleg_innen und Expert_innen</p>"),
        ("Kolleg:innen und Bürger:innen", "<p>Kolleg:innen und Bürger:innen</p>"),
        ("Student*innen\nund Lehrer*innen", "<p>Student*innen\nund Lehrer*innen</p>"),  # line end and start
        ("- Kölner*innen\n- Expert*innen", "<ul>\n<li>Kölner*innen</li>\n<li>Expert*innen</li>\n</ul>"),
        ("1. Ärzt*innen\n2. Pfleger*innen", "<ol>\n<li>Ärzt*innen</li>\n<li>Pfleger*innen</li>\n</ol>"),
        (
            "> Liebe Kölner*innen, liebe Gäst*innen",
            "<blockquote>\n<p>Liebe Kölner*innen, liebe Gäst*innen</p>\n</blockquote>",
        ),
    ],
)
def test_gender_stars_inside_words_are_text(source, shown):
    assert render_markdown(source) == shown


@pytest.mark.parametrize(
    "source, shown",
    [
        ("*wichtig* für Kölner*innen", "<p><em>wichtig</em> für Kölner*innen</p>"),
        (
            "**sehr** wichtig für Expert*innen und *alle*",
            "<p><strong>sehr</strong> wichtig für Expert*innen und <em>alle</em></p>",
        ),
        ("*Kölner*innen*", "<p><em>Kölner*innen</em></p>"),
        ("**Bürger*innen-Dialog**", "<p><strong>Bürger*innen-Dialog</strong></p>"),
        ("Kolleg*innen sind _sehr_ **wichtig**", "<p>Kolleg*innen sind <em>sehr</em> <strong>wichtig</strong></p>"),
        ("- *Expert*innen* zuerst", "<ul>\n<li><em>Expert*innen</em> zuerst</li>\n</ul>"),
    ],
)
def test_real_emphasis_next_to_gender_stars_still_works(source, shown):
    assert render_markdown(source) == shown
