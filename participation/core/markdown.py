"""The one way user text becomes HTML: Markdown, then bleach with a strict allow-list."""

from __future__ import annotations

from functools import lru_cache, partial
from urllib.parse import unquote, urlsplit

import bleach
from bleach.linkifier import LinkifyFilter
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = frozenset(
    {"p", "br", "strong", "em", "s", "del", "code", "pre", "blockquote", "ul", "ol", "li", "a", "hr"}
)
ALLOWED_ATTRIBUTES = {"a": ["href", "rel"], "ol": ["start"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"

# Raw HTML is escaped, not passed; headings would break the page outline and images would
# load from other hosts, so both stay literal text.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.enable("strikethrough")
_markdown.disable(["heading", "lheading", "image", "html_block", "html_inline"])


def _word_inner_mark(state, silent: bool) -> bool:
    """A `*` or `_` between two letters is text: German writes Kölner*innen and Kolleg_innen, and
    CommonMark would read the stars of "Kölner*innen und Expert*innen" as emphasis."""
    pos = state.pos
    src = state.src
    if src[pos] not in "*_" or pos == 0 or pos + 1 >= state.posMax:
        return False
    if not (src[pos - 1].isalpha() and src[pos + 1].isalpha()):
        return False
    if not silent:
        state.pending += src[pos]
    state.pos = pos + 1
    return True


def keep_word_inner_marks(parser: MarkdownIt) -> MarkdownIt:
    """Teach a Markdown parser that gender stars and underscores inside words are not emphasis; the
    Word and document exports read Markdown the same way the site shows it."""
    parser.inline.ruler.before("emphasis", "word_inner_mark", _word_inner_mark)
    return parser


keep_word_inner_marks(_markdown)


def _link_allowed(url: str) -> bool:
    """Absolute http(s) and mailto links, paths on this site and anchors; nothing else, even
    when it is harmless only thanks to how browsers parse it."""
    decoded = "".join(ch for ch in unquote(url) if ch.isprintable() and not ch.isspace()).lower()
    if decoded.startswith(("/", "#")) and not decoded.startswith(("//", "/\\")):
        return True
    scheme = urlsplit(decoded).scheme
    return scheme in ALLOWED_PROTOCOLS and decoded.startswith(f"{scheme}:")


_markdown.validateLink = _link_allowed


def _set_rel(attrs, new=False):
    href_key = (None, "href")
    if href_key not in attrs:
        return attrs
    attrs[(None, "rel")] = LINK_REL
    return attrs


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[partial(LinkifyFilter, callbacks=[_set_rel], skip_tags=["pre", "code"], parse_email=False)],
)


def render_markdown(text: str | None) -> Markup:
    """Render user Markdown as safe HTML; the result may go into a template unescaped."""
    if not text:
        return Markup("")
    return _render(str(text))


@lru_cache(maxsize=8192)
def _render(text: str) -> Markup:
    # Parsing and cleaning cost about a millisecond per paragraph, and a chapter page shows
    # dozens of paragraphs and comments that rarely change: the same text renders once per worker.
    html = _markdown.render(text)
    return Markup(_cleaner.clean(html).strip())  # noqa: S704 (bleach's allow-list made it safe)


# Pages that admins write and that explain something step by step (the page in easy language)
# need headings for their outline: levels 2 to 4 under the page's own title, a "#" counting as "##".
_page_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_page_markdown.enable("strikethrough")
_page_markdown.disable(["lheading", "image", "html_block", "html_inline"])
_page_markdown.validateLink = _link_allowed
keep_word_inner_marks(_page_markdown)
_page_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS | {"h2", "h3", "h4"},
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[partial(LinkifyFilter, callbacks=[_set_rel], skip_tags=["pre", "code"], parse_email=False)],
)


def render_page_text(text: str | None) -> Markup:
    """Like render_markdown, with headings of levels 2 to 4."""
    if not text:
        return Markup("")
    tokens = _page_markdown.parse(str(text))
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(max(int(token.tag[1]), 2), 4)}"
    html = _page_markdown.renderer.render(tokens, _page_markdown.options, {})
    return Markup(_page_cleaner.clean(html).strip())  # noqa: S704 (bleach's allow-list made it safe)
