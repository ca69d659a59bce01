"""The one cache layer: shared page parts (fragments), the store that keeps them (store), what
is shared and under which key (registry), and the revisions that make kept parts out of date."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from flask import current_app

from participation.core.cache import registry
from participation.core.cache.stores import PLAIN, Codec, MemoryStore, make_store, release_of

__all__ = ["PLAIN", "Codec", "MemoryStore", "init_app", "store", "value"]


@dataclass
class Cache:
    store: MemoryStore
    speaking_for: Callable[[Any], list]  # the organisations a person may write as


def init_app(app, speaking_for: Callable[[Any], list]) -> None:
    """The store for this app: Redis when REDIS_URL is set (with the rate limits' short
    timeouts), else this worker's memory."""
    from participation.config import redis_storage_options

    url = app.config.get("REDIS_URL", "")
    release = release_of(app.root_path, app.template_folder) if url else ""
    app.extensions["cache"] = Cache(make_store(url, redis_storage_options() if url else {}, release), speaking_for)


def store() -> MemoryStore:
    return current_app.extensions["cache"].store


def value(name: str, key: tuple, render: Callable[[], Any], seconds: float | None = None, codec: Codec = PLAIN) -> Any:
    """A shared value (a figure, a count) that the registry names, kept for its seconds or fewer."""
    entry = registry.entry(name, key)
    limit = current_app.config[entry.seconds]
    seconds = limit if seconds is None else min(seconds, limit)
    cache_key: Hashable = (name, *key)
    return store().get(cache_key, seconds, render, codec)
