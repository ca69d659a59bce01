"""Parts of pages that are rendered once and shared, with each person's own bits filled in.

A chapter of the draft looks the same to everyone who may do the same things there: the text,
the tallies, the comments. Only a few bits are personal: the CSRF token in forms, which vote
button is pressed, and the edit and delete buttons under one's own comments. Templates render
those bits as slots, marks that carry a secret made when the worker starts, so no text a user
writes can forge one; `fill` puts each request's own bits into them.

A shared part is kept under a key that names everything it depends on (participation.core.cache.
registry declares it for each template): for a chapter its revision (which goes up with every
vote, comment and edit, in the same transaction: participation.core.cache.revisions), the
language, the page, and what the viewer may do. A change is therefore seen at once. Things the
key does not name, such as a new display name of a commenter, show within the seconds the
registry names (FRAGMENT_CACHE_SECONDS for most). The parts are kept in the one store
(participation.core.cache.stores): this worker's memory, or Redis shared by all hosts.

The secret differs between workers: a part travels through Redis with its slots cut out (`pieces`,
split at the marks) and its remaining marks cut at the secret (`CODEC`), so any worker can fill it.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from flask import Response, current_app, get_template_attribute, render_template
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from participation.core.cache import registry
from participation.core.cache.stores import Codec

_SECRET = secrets.token_hex(16)
_CSRF = f"<!--{_SECRET}:csrf-->"
_SPEAK_AS = f"<!--{_SECRET}:speak-as-->"
_BODY = f"<!--{_SECRET}:body-->"
_SLOT = re.compile(f"<!--{_SECRET}:(vote|actions|mark|hole):([0-9]+)-->")


@dataclass
class Slots:
    """What a shared part needs to be filled in: collected while it renders."""

    votes: dict[int, dict[int | None, str]] = field(default_factory=dict)
    actions: dict[int, tuple[int | None, str, str]] = field(default_factory=dict)
    marks: dict[int, str] = field(default_factory=dict)

    def csrf(self) -> Markup:
        return Markup(_CSRF)  # noqa: S704 (a constant mark, replaced before the page is sent)

    def speak_as(self) -> Markup:
        """Where a verified member of an organisation chooses to write as it (empty for others)."""
        return Markup(_SPEAK_AS)  # noqa: S704 (a constant mark, replaced before the page is sent)

    def vote(self, paragraph_id: int, no_vote: str, agree: str, neutral: str, disagree: str) -> Markup:
        """The vote form of a paragraph, rendered for each vote its reader may have cast."""
        self.votes[paragraph_id] = {None: no_vote, 1: agree, 0: neutral, -1: disagree}
        return Markup(f"<!--{_SECRET}:vote:{int(paragraph_id)}-->")  # noqa: S704

    def hole(self, ident: int = 0) -> Markup:
        """Where the request puts a part of its own (`fill(holes=...)`), such as one's own buttons."""
        return Markup(f"<!--{_SECRET}:hole:{int(ident)}-->")  # noqa: S704

    def mark(self, ident: int, html: str) -> Markup:
        """`html` for readers to whom `ident` is theirs (a proposal they support), nothing for others."""
        self.marks[ident] = html
        return Markup(f"<!--{_SECRET}:mark:{int(ident)}-->")  # noqa: S704

    def comment_actions(self, comment, shared: str, for_others: str = "") -> Markup:
        """The actions under a comment: `shared` for everyone, `for_others` for everyone but its
        author (reporting it); the author's own are added later."""
        self.actions[comment.id] = (comment.author_id, shared, for_others)
        return Markup(f"<!--{_SECRET}:actions:{int(comment.id)}-->")  # noqa: S704


@dataclass(frozen=True)
class Fragment:
    pieces: list[str]  # text, slot name, slot argument, text, ... (re.split with two groups)
    slots: Slots

    @cached_property
    def size(self) -> int:
        """Characters held (and the bytes of the encoded copy of a part without slots), roughly
        the memory it takes."""
        votes = sum(len(form) for forms in self.slots.votes.values() for form in forms.values())
        actions = sum(len(shared) + len(others) for _, shared, others in self.slots.actions.values())
        marks = sum(len(html) for html in self.slots.marks.values())
        encoded = len(self.pieces[0]) if self.is_static else 0
        return sum(len(piece) for piece in self.pieces) + votes + actions + marks + encoded

    @cached_property
    def is_static(self) -> bool:
        """The same for every reader: no slot, no CSRF token, no choice of organisation."""
        return len(self.pieces) == 1 and _CSRF not in self.pieces[0] and _SPEAK_AS not in self.pieces[0]

    @cached_property
    def encoded(self) -> bytes:
        """A part without slots as UTF-8, encoded once for every reader it is sent to."""
        return self.pieces[0].encode()


def _dump(fragment: Fragment) -> list[str]:
    """As JSON cut at this worker's secret: the CSRF and speak-as marks carry it, and the worker
    that reads the part puts its own secret there (the secret never occurs in anything else)."""
    slots = fragment.slots
    data = {
        "pieces": fragment.pieces,
        "votes": [[ident, [[choice, html] for choice, html in forms.items()]] for ident, forms in slots.votes.items()],
        "actions": [[ident, *action] for ident, action in slots.actions.items()],
        "marks": [[ident, html] for ident, html in slots.marks.items()],
    }
    return json.dumps(data, separators=(",", ":")).split(_SECRET)


def _load(parts: list[str]) -> Fragment:
    data = json.loads(_SECRET.join(parts))
    slots = Slots(
        votes={ident: dict(forms) for ident, forms in data["votes"]},
        actions={ident: (author_id, shared, others) for ident, author_id, shared, others in data["actions"]},
        marks=dict(data["marks"]),
    )
    return Fragment(data["pieces"], slots)


CODEC = Codec(_dump, _load)


def viewer() -> str:
    """What the viewer may do, as far as shared parts differ by it."""
    from participation.core.permissions import can_contribute

    if not current_user.is_authenticated:
        return "visitor"
    return "contributor" if can_contribute(current_user) else "reader"


def shared(template: str, key: tuple, context: Callable[[], dict]) -> Fragment:
    """`template` rendered with `context()` for everyone who shares `key` (the viewer's
    permissions are added to it here), reused for as long as the registry's entry says. A
    template without an entry, or a key other than the entry declares, is refused."""

    def render() -> Fragment:
        slots = Slots()
        html = render_template(template, slots=slots, **context())
        return Fragment(_SLOT.split(html), slots)

    entry = registry.entry(template, key)
    seconds = current_app.config[entry.seconds]
    return current_app.extensions["cache"].store.get((template, viewer(), *key), seconds, render, CODEC)


def fill(
    fragment: Fragment,
    my_votes: dict[int, int] | None = None,
    own_actions: Callable[[list[int]], dict[int, str]] | None = None,
    mine: set[int] | None = None,
    holes: dict[int, str] | None = None,
) -> Markup:
    """The shared part with this request's own bits: the pressed vote buttons, the actions on
    one's own comments (`own_actions` renders them for the given comment ids), the marks on
    what is the reader's (`mine`), the request's own parts (`holes`), the CSRF token."""
    slots, pieces, my_votes = fragment.slots, fragment.pieces, my_votes or {}
    user_id = current_user.id if current_user.is_authenticated else None
    own_ids = [cid for cid, (author_id, *_) in slots.actions.items() if user_id is not None and author_id == user_id]
    own = own_actions(own_ids) if own_ids and own_actions else {}
    out = [pieces[0]]
    for index in range(1, len(pieces), 3):
        name, ident = pieces[index], int(pieces[index + 1])
        if name == "vote":
            out.append(slots.votes[ident][my_votes.get(ident)])
        elif name == "mark":
            out.append(slots.marks[ident] if mine and ident in mine else "")
        elif name == "hole":
            out.append(str((holes or {}).get(ident, "")))
        else:
            author_id, shared_items, for_others = slots.actions[ident]
            items = str(shared_items) + str(own.get(ident, "") if author_id == user_id else for_others)
            if items.strip():
                out.append(f'<ul class="comment-actions">{items}</ul>')
        out.append(pieces[index + 2])
    html = "".join(out)
    if _CSRF in html:
        html = html.replace(_CSRF, f'<input name="csrf_token" type="hidden" value="{escape(generate_csrf())}">')
    if _SPEAK_AS in html:
        html = _fill_speak_as(html)
    return Markup(html)  # noqa: S704 (rendered templates, escaped by Jinja)


def page(template: str, body: Fragment | str, **context) -> Response:
    """The page `template` around a shared part (`body`: a part without slots as it is kept, or
    one filled for this request). The part is not passed through Jinja, which copies a part of a
    megabyte at every block and escape: the page is sent as its head, the part (a part without
    slots in the bytes encoded once) and its tail."""
    html = render_template(template, body=Markup(_BODY), **context)  # noqa: S704 (a constant mark)
    head, tail = html.split(_BODY, 1)
    if isinstance(body, Fragment):
        middle = body.encoded if body.is_static else fill(body).encode()
    else:
        middle = str(body).encode()
    chunks = [head.encode(), middle, tail.encode()]
    response = current_app.response_class(chunks, mimetype="text/html")
    response.content_length = sum(len(chunk) for chunk in chunks)
    return response


def _fill_speak_as(html: str) -> str:
    """The organisations the reader may write as, in each comment form (ids kept unique); the
    app names who may speak for which (participation.core.cache.init_app), core knows no area."""
    parts = html.split(_SPEAK_AS)
    organisations = current_app.extensions["cache"].speaking_for(current_user)
    if not organisations:
        return "".join(parts)
    macro = get_template_attribute("_macros/comments.html", "speak_as_select")
    out = [parts[0]]
    for index, part in enumerate(parts[1:], start=1):
        out.append(str(macro(organisations, index, current_user.display_name)))
        out.append(part)
    return "".join(out)


def render_now(
    template: str,
    own_actions: Callable[[list[int]], dict[int, str]] | None = None,
    holes: dict[int, str] | None = None,
    **context,
) -> Markup:
    """A part with slots rendered for this request alone, for pages that are not shared (or a
    shared template for a reader who sees more than those who share it)."""
    slots = Slots()
    html = render_template(template, slots=slots, **context)
    return fill(Fragment(_SLOT.split(html), slots), None, own_actions, holes=holes)
