"""Parts that a higher area lends to a lower one.

The layers run one way (drafts below comments below proposals below incorporation), yet the
draft's reading pages show the discussion of each paragraph and what shaped it, publishing a
version tells the input taken into it where it went, the proposal's page shows where it went
into the plan, and a reply to a comment on a proposal follows the proposal's rule for
discussing it. The higher area lends such a part under a name when the app is created
(participation.lend_parts lists them all); the lower one uses it by that name and
never imports its lender."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app


def lend(app: Flask, name: str, part: Callable) -> None:
    app.extensions.setdefault("lent_parts", {}).setdefault(name, []).append(part)


def parts(name: str) -> list[Callable]:
    return current_app.extensions.get("lent_parts", {}).get(name, [])


def gathered(name: str, *args) -> dict:
    """The template context that every part lent under `name` adds, for `args`."""
    context: dict = {}
    for part in parts(name):
        context.update(part(*args))
    return context


def the(name: str) -> Callable:
    """The one part lent under `name`: a rule or helper of which there is exactly one."""
    found = parts(name)
    if len(found) != 1:
        raise LookupError(f"{len(found)} parts lent under {name!r}, expected one")
    return found[0]
