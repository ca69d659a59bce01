"""Where shared parts and figures are kept: in this process, or in Redis when REDIS_URL is set.

In memory, each app and worker keeps its own bounded copy, and reading it costs no more than a
dictionary look-up. With Redis, every host reads what one of them rendered; each worker still
keeps what it read until the entry's own end, so a page does not go to Redis for a part it
already holds. Redis down or frozen is not an outage, as for the rate limits: every call gives
up within REDIS_TIMEOUT_SECONDS, the worker keeps its parts in memory meanwhile and tries Redis
again at growing intervals (1 s, doubled up to 32 s), and says so once in the log each way.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAX_BYTES = 32 * 1024 * 1024  # per app and worker; a chapter of 50 paragraphs takes about 300 KB
PREFIX = "participation:cache:"
RETRY_SECONDS = (1, 32)  # the first wait before Redis is tried again, and the longest
log = logging.getLogger("participation")


def size_of(value: Any) -> int:
    """Characters held, roughly the bytes of memory a value takes."""
    size = getattr(value, "size", None)
    return size if isinstance(size, int) else len(str(value))


@dataclass(frozen=True)
class Codec:
    """How a kind of value travels through Redis: as JSON, never as pickle (a value read from a
    shared store must not be able to run code in the worker)."""

    dump: Callable[[Any], Any] = lambda value: value
    load: Callable[[Any], Any] = lambda data: data


PLAIN = Codec()


class MemoryStore:
    """Least recently used entries go first once the store holds more than `max_bytes`."""

    def __init__(self, max_bytes: int = MAX_BYTES):
        self.max_bytes = max_bytes
        self.size = 0
        self._entries: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def peek(self, key: Hashable) -> Any | None:
        now = time.monotonic()
        with self._lock:
            entry = self._entries.get(key)
            if entry and entry[0] > now:
                self._entries.move_to_end(key)
                return entry[1]
        return None

    def put(self, key: Hashable, value: Any, seconds: float) -> None:
        with self._lock:
            self._forget(key)
            self._entries[key] = (time.monotonic() + seconds, value)
            self.size += size_of(value)
            while self.size > self.max_bytes and self._entries:
                self._forget(next(iter(self._entries)))

    def get(self, key: Hashable, seconds: float, render: Callable[[], Any], codec: Codec = PLAIN) -> Any:
        """The value under `key` if it is younger than `seconds`, else `render()` kept as it."""
        if seconds <= 0:
            return render()
        value = self.peek(key)
        if value is None:
            value = render()
            self.put(key, value, seconds)
        return value

    def get_many(self, keys: Iterable[Hashable], codec: Codec = PLAIN) -> dict[Hashable, Any]:
        return {key: value for key in keys if (value := self.peek(key)) is not None}

    def _forget(self, key: Hashable) -> None:
        entry = self._entries.pop(key, None)
        if entry:
            self.size -= size_of(entry[1])

    def entries(self) -> dict[Hashable, Any]:
        """What is kept now (for tests that look at what was shared)."""
        now = time.monotonic()
        with self._lock:
            return {key: value for key, (until, value) in self._entries.items() if until > now}

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.size = 0


def redis_key(key: Hashable, release: str = "") -> str:
    """A key's name in Redis: the release, then a digest of its parts (they hold filters that
    visitors choose)."""
    text = json.dumps(key, default=str, separators=(",", ":"), ensure_ascii=False)
    return f"{PREFIX}{release}:{hashlib.sha256(text.encode()).hexdigest()}"


def release_of(*folders: str | Path) -> str:
    """A fingerprint of the code and templates that render the parts. Redis outlives a deploy:
    without it, a new release (an escaping fix, a changed template) would go on serving the
    parts the old one rendered, and during a rolling deploy old and new workers would serve
    each other theirs. Read once when the app starts (about 1 MB of files)."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(Path(folder).rglob("*")):
            if path.suffix in (".py", ".html", ".txt", ".svg") and "__pycache__" not in path.parts:
                digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


class RedisStore(MemoryStore):
    """Redis for all hosts, this worker's memory in front of it and in its place while it fails."""

    def __init__(self, client, max_bytes: int = MAX_BYTES, release: str = ""):
        super().__init__(max_bytes)
        self.client = client
        self.release = release  # parts of another release are not this one's (release_of)
        self._retry_at = 0.0  # while in the future, Redis is not asked
        self._wait = 0.0
        self._state_lock = threading.Lock()

    @property
    def failing(self) -> bool:
        return self._wait > 0

    def _usable(self) -> bool:
        return time.monotonic() >= self._retry_at

    def _failed(self) -> None:
        with self._state_lock:
            first = self._wait == 0
            self._wait = min(self._wait * 2, RETRY_SECONDS[1]) if self._wait else RETRY_SECONDS[0]
            self._retry_at = time.monotonic() + self._wait
        if first:
            log.error("cache store unreachable: this process keeps shared parts in memory until it answers again")

    def _answered(self) -> None:
        if self._wait:
            with self._state_lock:
                self._wait, self._retry_at = 0.0, 0.0
            log.warning("cache store answers again: shared parts are kept there again")

    def _call(self, method: str, *args, **kwargs) -> Any:
        """The Redis answer, or None when it fails (then the memory alone serves)."""
        from redis.exceptions import RedisError

        if not self._usable():
            return None
        try:
            answer = getattr(self.client, method)(*args, **kwargs)
        except (RedisError, OSError):
            self._failed()
            return None
        self._answered()
        return answer

    def get(self, key: Hashable, seconds: float, render: Callable[[], Any], codec: Codec = PLAIN) -> Any:
        if seconds <= 0:
            return render()
        found = self.get_many([key], codec)
        if key in found:
            return found[key]
        value = render()
        self.put(key, value, seconds)
        self._call(
            "set", redis_key(key, self.release), self._encode(value, seconds, codec), px=max(1, int(seconds * 1000))
        )
        return value

    def get_many(self, keys: Iterable[Hashable], codec: Codec = PLAIN) -> dict[Hashable, Any]:
        """One MGET for all the keys this worker does not hold itself."""
        keys = list(keys)
        found = super().get_many(keys)
        missing = [key for key in keys if key not in found]
        answers = self._call("mget", [redis_key(key, self.release) for key in missing]) if missing else None
        for key, raw in zip(missing, answers or (), strict=False):
            if raw is None:
                continue
            try:
                data = json.loads(raw)
                left, value = data["until"] - time.time(), codec.load(data["value"])
            except (ValueError, KeyError, TypeError):  # written by another release: rendered anew
                continue
            if left > 0:
                found[key] = value
                self.put(key, value, left)  # kept here no longer than in Redis
        return found

    @staticmethod
    def _encode(value: Any, seconds: float, codec: Codec) -> str:
        return json.dumps({"until": time.time() + seconds, "value": codec.dump(value)}, separators=(",", ":"))

    def clear(self) -> None:
        """Forget this worker's copies and everything shared in Redis (tests, `flask` commands)."""
        super().clear()
        names = self._call("keys", PREFIX + "*")
        if names:
            self._call("delete", *names)


def make_store(redis_url: str, options: dict, release: str = "") -> MemoryStore:
    if not redis_url:
        return MemoryStore()
    import redis

    return RedisStore(redis.from_url(redis_url, **options), release=release)
