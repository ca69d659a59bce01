"""Markdown that every viewer reads as text, not only CommonMark ones: no raw HTML, no link that is not
plainly http(s) or mailto, no image, no reference definition or attribute block, and no emphasis from a
gender star."""

from __future__ import annotations

import re

_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
# Python-Markdown, mistune and CommonMark agree on what a backslash escapes among these signs
_ESCAPED = frozenset("[]{}")
# a link every reader parses the same way: its text without brackets, its address plainly http(s) or
# mailto with nothing a reader could take for a title, an entity or the end of the address
_PLAIN_LINK = re.compile(r"\[([^\[\]\\\n`<>&{}]{1,500})\]\(((?i:https?://|mailto:)[^\s()<>\"'\\`{}\[\]]{1,2000})\)")
_WORD_INNER_MARK = re.compile(r"(?<=[^\W\d_])([*_])(?=[^\W\d_])")


def neutral_markdown(text: str) -> str:
    """`text` (Markdown) with every sign that could become HTML, a script link or an image in some
    Markdown reader written so that each reader shows it as the sign: `<`, `>` and `&` as entities
    (a backslash before `<` is no escape in Python-Markdown), brackets and braces escaped outside
    plain links. Emphasis, lists, quotes and plain links keep working."""
    out: list[str] = []
    index, length = 0, len(text)
    line_start = True  # only spaces and quote marks so far on this line: a `>` there starts a quote
    while index < length:
        char = text[index]
        if char == "\\" and index + 1 < length:
            following = text[index + 1]
            # an escaped `<` shows the sign: the entity does that in every reader
            out.append(_ENTITIES.get(following, char + following))
            index += 2
            line_start = False
            continue
        if char == "[" and (link := _PLAIN_LINK.match(text, index)):
            if out and out[-1] == "!":
                out[-1] = "\\!"  # not an image: it would load from another host
            label = _WORD_INNER_MARK.sub(r"\\\1", link.group(1))
            out.append(f"[{label}]({link.group(2).replace('&', '&amp;')})")
            index = link.end()
            line_start = False
            continue
        if char == ">" and line_start:
            out.append(char)
        elif char in _ENTITIES:
            out.append(_ENTITIES[char])
        elif char in _ESCAPED:
            out.append("\\" + char)
        elif char in "*_" and 0 < index < length - 1 and text[index - 1].isalpha() and text[index + 1].isalpha():
            out.append("\\" + char)  # Kölner*innen: a gender star, not the start of emphasis
        else:
            out.append(char)
        if char == "\n":
            line_start = True
        elif char not in " >":
            line_start = False
        index += 1
    return "".join(out)
