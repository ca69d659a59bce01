"""The cache of shared page parts: bounded in memory, and never older than it may be."""

from __future__ import annotations

from participation.core.cache.fragments import Fragment, Slots
from participation.core.cache.stores import MemoryStore as FragmentCache


def fragment(text: str) -> Fragment:
    return Fragment([text], Slots())


def test_reuses_until_the_time_is_up(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr("participation.core.cache.stores.time.monotonic", lambda: clock[0])
    cache, renders = FragmentCache(), []

    def render():
        renders.append(1)
        return fragment(f"render {len(renders)}")

    assert cache.get("key", 60, render).pieces == ["render 1"]
    clock[0] += 59
    assert cache.get("key", 60, render).pieces == ["render 1"]
    clock[0] += 2
    assert cache.get("key", 60, render).pieces == ["render 2"]
    assert cache.get("key", 0, render).pieces == ["render 3"]  # 0 switches reuse off
    assert cache.size == 2 * len("render 2")  # a part without slots: its text and its UTF-8


def test_least_recently_used_parts_go_first_when_memory_is_full():
    cache = FragmentCache(max_bytes=260)  # each part below takes 80: its text and its UTF-8
    for name in "abc":
        cache.get(name, 60, lambda name=name: fragment(name * 40))
    cache.get("a", 60, lambda: fragment("never rendered: a is still there"))
    cache.get("d", 60, lambda: fragment("d" * 40))  # 320 in all: b, used least recently, goes
    assert cache.size == 240
    kept = {key: cache.get(key, 60, lambda: fragment("gone")).pieces[0] for key in "acd"}
    assert kept == {"a": "a" * 40, "c": "c" * 40, "d": "d" * 40}
    assert cache.get("b", 60, lambda: fragment("gone")).pieces == ["gone"]


def test_slot_marks_carry_the_secret_and_cannot_be_typed():
    slots = Slots()
    mark = slots.vote(7, "none", "agree", "neutral", "disagree")
    assert "vote:7" in mark and slots.votes[7][1] == "agree" and slots.votes[7][None] == "none"
    from participation.core.cache import fragments

    typed = "<!--vote:7--> <!--deadbeef:vote:7-->"
    assert fragments._SLOT.split(typed) == [typed]
