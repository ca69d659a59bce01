"""Every shared template and shared figure: what keys it, what makes it out of date, and which
personal bits are filled into it per request.

A shared template is rendered once and served to many people, so whatever it shows must be the
same for everyone who shares its key. `fragments.shared` refuses a template that has no entry
here and a key of another length than the entry names, and tests/functional/test_cache_leaks.py
renders every entry for two people with different personal state and proves that the shared
part is the same and holds neither's name, token or choice. A new shared template therefore
needs an entry here and a scenario there.

Every key starts with the template and the viewer's kind ("visitor", "reader" or "contributor",
fragments.viewer); `key` names the parts the view adds after them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Shared:
    name: str  # the template, or for a figure a name of its own
    key: tuple[str, ...]  # the parts of the key after the viewer's kind, in order
    invalidated_by: str  # what makes a kept one out of date, besides its seconds
    seconds: str  # the setting that says how long one is kept at most
    personal: tuple[str, ...] = ()  # what each request fills in (slots), never shared
    template: bool = True  # False for a shared value that is not a page part


CHAPTER = ("chapter revision: every vote, comment, edit and incorporation in the chapter raises it",)
PUBLIC = (
    "the public revision (participation.exports.freshness, in the key): any change to a public "
    "measure or its parts, a report published, anything public taken back. Within the seconds: "
    "names of responsible bodies and commenters, a linked proposal's move from one public status "
    "to another (answered, merged), a linked contribution becoming public, and a new version "
    "opened (chapter and paragraphs are shown in the newest public one)",
)
_ENTRIES = (
    Shared(
        "drafts/_version_body.html",
        (
            "version",
            "title",
            "status",
            "final",
            "published at",
            "summary of changes",
            "number of versions",
            "chapters and their revisions",
            "language",
        ),
        "the version's own fields and the revision of any of its chapters (all in the key)",
        "FRAGMENT_CACHE_SECONDS",
        ("csrf token",),
    ),
    Shared(
        "drafts/_chapter_body.html",
        ("chapter", "revision", "language", "page", "votes open", "comments open", "version status"),
        CHAPTER[0],
        "FRAGMENT_CACHE_SECONDS",
        ("csrf token", "own vote", "actions on own comments", "organisations one speaks for"),
    ),
    Shared(
        "drafts/_opinions_body.html",
        ("chapter", "revision", "language"),
        CHAPTER[0],
        "FRAGMENT_CACHE_SECONDS",
    ),
    Shared(
        "drafts/_paragraph_body.html",
        ("paragraph", "chapter revision", "language", "page", "votes open", "comments open", "version status"),
        CHAPTER[0],
        "FRAGMENT_CACHE_SECONDS",
        ("csrf token", "own vote", "actions on own comments", "organisations one speaks for"),
    ),
    Shared(
        "proposals/_index_body.html",
        ("filters", "page", "language", "submissions open"),
        "time only: a new or changed proposal shows within the seconds",
        "LIST_CACHE_SECONDS",
        ("which proposals one supports",),
    ),
    Shared(
        "proposals/_show_body.html",
        ("proposal", "revision", "language", "page", "comments open"),
        "proposal revision: its text, status or a comment in its thread raises it, and so does a "
        "published measure that grew out of it being linked, published or changed",
        "FRAGMENT_CACHE_SECONDS",
        ("csrf token", "actions on own comments", "organisations one speaks for", "support and follow buttons"),
    ),
    Shared(
        "exports/_body.html",
        (
            "filters",
            "language",
            "newest version",
            "public versions",
            "newest chapter",
            "newest phase and newest change of a phase",
        ),
        "a new version, chapter or phase, a version made public (a new round), "
        "or an admin's change of a phase (in the key)",
        "FRAGMENT_CACHE_SECONDS",
    ),
    Shared(
        "moderation/_queue_body.html",
        ("queue", "filters", "page", "language", "with hidden", "newest decision"),
        "any logged moderation decision (in the key)",
        "QUEUE_CACHE_SECONDS",
        ("csrf token",),
    ),
    Shared(
        "moderation/_blocked_body.html",
        ("page", "language", "with hidden", "newest decision"),
        "any logged moderation decision (in the key)",
        "QUEUE_CACHE_SECONDS",
        ("csrf token",),
    ),
    Shared(
        "evaluation/_comment_queue_body.html",
        ("filters", "page", "language", "shown columns", "newest decision"),
        "any logged moderation decision (in the key)",
        "QUEUE_CACHE_SECONDS",
        ("csrf token",),
    ),
    Shared(
        "statistics/_body.html",
        ("report",),
        "time only; the database snapshot (statistics.snapshots) is made anew after REPORT_CACHE_SECONDS",
        "REPORT_CACHE_SECONDS",
    ),
    Shared(
        "main/_home_body.html",
        (
            "language",
            "day in Cologne",
            "running phases",
            "the phases and the status of their versions (a digest)",
            "newest answer and incorporation, and anything public taken back",
            "the upcoming events and when each was changed",
        ),
        "a phase starting, ending or changed, a version opened or closed, "
        "a new answer or incorporation, anything public hidden, withdrawn, deleted or rewritten, "
        "an event added, changed, deleted or over (in the key)",
        "FRAGMENT_CACHE_SECONDS",
        ("the person's own waiting input and news",),
    ),
    Shared(
        "measures/_index_body.html",
        ("filters", "page", "language", "public revision"),
        PUBLIC[0],
        "FRAGMENT_CACHE_SECONDS",
    ),
    Shared(
        "measures/_show_body.html",
        ("measure", "public revision", "language", "day"),
        PUBLIC[0] + "; the day (overdue or not) is in the key",
        "FRAGMENT_CACHE_SECONDS",
        ("the editors' links (an editor of the measure is never served the shared part: they see drafts)",),
    ),
    Shared(
        "reporting/_show_body.html",
        ("report", "the published revision correcting it", "language"),
        "a published report is frozen (its snapshot, texts and the report it is compared with); only "
        "a correction published changes it (in the key); drafts are never shared",
        "FRAGMENT_CACHE_SECONDS",
    ),
    Shared(
        "home key figures",
        ("language",),
        "time only: totals of public participation, shown on the home page",
        "REPORT_CACHE_SECONDS",
        template=False,
    ),
    Shared(
        "moderation queue summary",
        ("with hidden",),
        "time only: counts of the queues, shown on every queue page",
        "QUEUE_CACHE_SECONDS",
        template=False,
    ),
)
ENTRIES: dict[str, Shared] = {entry.name: entry for entry in _ENTRIES}


def entry(name: str, key: tuple) -> Shared:
    """The entry of a shared template or figure, checked against the key a view builds."""
    found = ENTRIES.get(name)
    if found is None:
        raise LookupError(f"{name} is shared but has no entry in participation.core.cache.registry")
    if len(key) != len(found.key):
        raise ValueError(f"{name} is keyed by {', '.join(found.key)}, not by {key!r}")
    return found
