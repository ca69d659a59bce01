"""A small, time-limited cache of rendered page parts for visitors who are not logged in.

Public pages such as a chapter of the draft look the same to every visitor; rendering one costs
tens of milliseconds at city scale. Visitors may see counts that are up to PUBLIC_CACHE_SECONDS
old; logged-in people always get a fresh page. Each worker keeps its own cache (bounded in size),
so nothing needs to be shared between servers.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from flask import current_app
from markupsafe import Markup

MAX_ENTRIES = 512
_entries: OrderedDict[str, tuple[float, Markup]] = OrderedDict()
_lock = threading.Lock()


def cached_fragment(key: str, render) -> Markup:
    """The cached rendering for `key`, or `render()` stored for the configured time."""
    seconds = current_app.config.get("PUBLIC_CACHE_SECONDS", 0)
    if seconds <= 0:
        return render()
    now = time.monotonic()
    with _lock:
        entry = _entries.get(key)
        if entry and entry[0] > now:
            _entries.move_to_end(key)
            return entry[1]
    fragment = render()
    with _lock:
        _entries[key] = (now + seconds, fragment)
        _entries.move_to_end(key)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return fragment


def clear() -> None:
    with _lock:
        _entries.clear()
