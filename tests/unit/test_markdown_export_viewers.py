"""The version's Markdown export read by other Markdown viewers than ours: Python-Markdown (plain and
with its "extra" extensions), mistune and a CommonMark reader that passes HTML. None of them may show
an element, attribute or URL beyond a small safe set, whatever the planner's text holds."""

from __future__ import annotations

import markdown as python_markdown
import mistune
import pytest
from flask_babel import force_locale
from markdown_it import MarkdownIt

from participation.exports import document
from participation.exports.neutral import neutral_markdown
from tests.xss import payloads

PAYLOADS = payloads()
SAFE_TAGS = {"p", "br", "strong", "em", "s", "del", "code", "pre", "blockquote", "ul", "ol", "li", "a", "hr"}
SAFE_TAGS |= {"h1", "h2", "h3", "h4", "h5", "h6", "sup", "div", "table", "thead", "tbody", "tr", "th", "td"}
SAFE_TAGS |= {"dl", "dt", "dd", "abbr"}  # Python-Markdown's "extra": definition lists, abbreviations
SAFE_ATTRIBUTES = {"href", "title", "id", "class", "rel", "start", "rev", "align"}
DANGEROUS = ("javascript:", "data:", "vbscript:", "livescript:")

VIEWERS = {
    "commonmark-with-html": MarkdownIt("commonmark", {"html": True}).render,
    "python-markdown": python_markdown.markdown,
    "python-markdown-extra": lambda text: python_markdown.markdown(text, extensions=["extra"]),
    "mistune": mistune.create_markdown(escape=False, plugins=["strikethrough", "footnotes", "url"]),
}


def problems(html: str) -> list[str]:
    """What a viewer made of the text beyond plain formatting and http(s)/mailto links."""
    import html5lib

    found = []
    for element in html5lib.parseFragment(html, namespaceHTMLElements=False).iter():
        if not isinstance(element.tag, str):
            found.append("comment")
            continue
        if element.tag == "DOCUMENT_FRAGMENT":
            continue
        if element.tag not in SAFE_TAGS:
            found.append(f"<{element.tag}>")
        for name, value in element.attrib.items():
            if name not in SAFE_ATTRIBUTES:
                found.append(f"{element.tag}[{name}]")
            compact = "".join(ch for ch in value if ch.isprintable() and not ch.isspace()).lower()
            if (
                name == "href"
                and (":" in compact.split("/")[0])
                and not compact.startswith(("http:", "https:", "mailto:"))
            ):
                found.append(f"{element.tag}[href]={value!r}")
            if any(scheme in compact for scheme in DANGEROUS) and name in ("href", "src"):
                found.append(f"{element.tag}[{name}]={value!r}")
    return found


def wrappings(payload: str) -> list[str]:
    return [
        payload,
        f"[x]({payload})",
        f"![x]({payload})",
        f"[{payload}](https://example.org)",
        f"<{payload}>",
        f"[x][r]\n\n[r]: {payload}",
        f'Text {{: onclick="{payload}"}}',
    ]


@pytest.mark.parametrize("viewer", sorted(VIEWERS))
def test_the_corpora_stay_text_in_every_viewer(viewer):
    render = VIEWERS[viewer]
    found = {}
    for payload in PAYLOADS:
        for text in wrappings(payload):
            for written in (document.block_markdown(text), document.inline_markdown(text)):
                if bad := problems(render(written)):
                    found[text] = bad
    assert not found, list(found.items())[:5]


HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "\\<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](java&#x09;script:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x]( javascript:alert(1) )",
    "[x](<javascript:alert(1)>)",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox)",
    "![x](https://tracker.example/pixel.png)",
    "<javascript:alert(1)>",
    "[x][r]\n\n[r]: javascript:alert(1)",
    "[x]\n\n[x]: <javascript:alert(1)>",
    'Absatz {: onclick="alert(1)" }',
    "<!-- Kommentar --> und <?php echo 1; ?>",
    "```\n<script>alert(1)</script>\n\n<iframe src=//evil.example>\n```",
    "```\n```x\n<img src=x onerror=alert(1)>\n```",
    "- Punkt\n\n    ```\n    <img src=x onerror=alert(1)>\n    ```",
    "    <script>alert(1)</script>",
    "> <b>Zitat</b> <svg onload=alert(1)>",
]


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("viewer", sorted(VIEWERS))
def test_hostile_text_stays_text(viewer, text):
    assert problems(VIEWERS[viewer](document.block_markdown(text))) == []


def test_ordinary_text_keeps_its_formatting_and_plain_links():
    text = (
        "Die Kölner*innen und Expert*innen sind *wichtig* und **sehr** gefragt: A & B <3, siehe "
        "[den Plan](https://www.stadt-koeln.de/plan?a=1&b=2).\n\n> ein Zitat\n\n- eins\n- Bürger*innen-Dialog"
    )
    written = neutral_markdown(text)
    assert "[den Plan](https://www.stadt-koeln.de/plan?a=1&amp;b=2)" in written
    for viewer, render in VIEWERS.items():
        html = render(written)
        assert "Kölner*innen und Expert*innen" in html, viewer
        assert "Bürger*innen-Dialog" in html, viewer
        assert "<em>wichtig</em>" in html and "<strong>sehr</strong>" in html, viewer
        assert "A &amp; B &lt;3" in html, viewer
        assert 'href="https://www.stadt-koeln.de/plan?a=1&amp;b=2"' in html, viewer
        assert "<blockquote>" in html and "<li>eins</li>" in html, viewer


def test_a_whole_document_with_hostile_titles_and_text(app):
    figures = document.ParticipationFigures(0, 0, 0, 0, 0, None, None)
    paragraphs = [document.DocumentParagraph(f"1.{n}", "<b>Sub</b>", text, 0, 0, 0) for n, text in enumerate(HOSTILE)]
    chapter = document.DocumentChapter(1, "<script>alert(1)</script> Kölner*innen", "", "<i>x</i>", paragraphs)
    doc = document.VersionDocument(
        1, "Plan <img src=x>", "preparing", "in Vorbereitung", False, None, "", figures, [chapter]
    )
    with app.test_request_context("/"), force_locale("de"):
        written = document.markdown(doc)
    for viewer, render in VIEWERS.items():
        assert problems(render(written)) == [], viewer


def test_the_word_export_reads_gender_stars_as_text():
    runs = [run for block in document.blocks("Kölner*innen und *wichtig* für Expert*innen") for run in block.runs]
    assert [(run.text, run.italic) for run in runs] == [
        ("Kölner*innen und ", False),
        ("wichtig", True),
        (" für Expert*innen", False),
    ]


def test_code_blocks_keep_entities_because_not_every_viewer_reads_a_fence():
    """The cost of a safe export: a CommonMark viewer shows `&lt;` in code. Left literal, this code block
    would be raw HTML in plain Python-Markdown, which knows no fences: its inline code span ends at "```x"."""
    text = "```\n```x\n<img src=x onerror=alert(1)>\n```"
    assert "<img src=x onerror=alert(1)>" in python_markdown.markdown(text)  # the text as written: unsafe
    written = document.block_markdown(text)
    assert "&lt;img src=x onerror=alert(1)&gt;" in written
    for viewer, render in VIEWERS.items():
        assert problems(render(written)) == [], viewer
    assert "&amp;lt;img" in VIEWERS["commonmark-with-html"](written)  # shown as the entity, in code
