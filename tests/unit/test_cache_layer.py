"""The cache layer's parts on their own: a shared part survives the trip through a shared store
into another worker (whose slot marks carry another secret), and the registry refuses keys that
do not match what it declares."""

from __future__ import annotations

import re
import secrets

import pytest

from participation.core.cache import fragments, registry
from participation.core.cache.fragments import CODEC, Fragment, Slots


class Comment:
    id, author_id = 5, 9


def test_a_part_survives_the_trip_to_a_worker_with_another_secret(monkeypatch):
    slots = Slots()
    html = (
        f"<form>{slots.csrf()}{slots.vote(3, 'none', 'yes', 'maybe', 'no')}</form>{slots.speak_as()}"
        f"{slots.mark(4, '<b>mine</b>')}{slots.hole(0)}{slots.comment_actions(Comment(), '<li>reply</li>')}"
    )
    sent = CODEC.dump(Fragment(fragments._SLOT.split(html), slots))
    assert all(fragments._SECRET not in part for part in sent)

    secret = secrets.token_hex(16)
    monkeypatch.setattr(fragments, "_SECRET", secret)
    monkeypatch.setattr(fragments, "_CSRF", f"<!--{secret}:csrf-->")
    monkeypatch.setattr(fragments, "_SPEAK_AS", f"<!--{secret}:speak-as-->")
    monkeypatch.setattr(fragments, "_SLOT", re.compile(f"<!--{secret}:(vote|actions|mark|hole):([0-9]+)-->"))
    received = CODEC.load(sent)
    assert received.slots == slots  # votes keyed by None, 1, 0, -1 again, not by strings
    assert fragments._CSRF in "".join(received.pieces) and fragments._SPEAK_AS in "".join(received.pieces)


def test_the_registry_refuses_what_it_does_not_declare():
    assert registry.entry("drafts/_opinions_body.html", (1, 2, "de")).seconds == "FRAGMENT_CACHE_SECONDS"
    with pytest.raises(LookupError):
        registry.entry("drafts/_version_nav.html", ())
    with pytest.raises(ValueError):
        registry.entry("drafts/_opinions_body.html", (1, 2))
