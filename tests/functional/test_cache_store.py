"""The cache store (participation.core.cache.stores): with REDIS_URL, the shared page parts go
through Redis, so every host and worker reads what one of them rendered; Redis down or frozen
is no outage: the parts are kept in memory, said once in the log each way."""

from __future__ import annotations

import logging
import re
import secrets
import shutil
import time

import pytest
import redis

from participation.core import cache
from participation.core.cache import fragments, stores
from participation.core.cache.stores import PREFIX, MemoryStore, RedisStore
from tests.conftest import Browser
from tests.drafting import first_paragraph
from tests.functional.test_redis_outage import FAST, RedisServer
from tests.serving import needs

SHARED_REDIS = "redis://127.0.0.1:6379/13"  # a database of its own on the shared server, flushed here
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def shared_redis_answers() -> bool:
    try:
        return bool(redis.Redis.from_url(SHARED_REDIS, socket_timeout=0.5).ping())
    except redis.RedisError:
        return False


def as_another_worker(monkeypatch) -> None:
    """Another worker: nothing in its memory, and a secret of its own for the slot marks."""
    secret = secrets.token_hex(16)
    monkeypatch.setattr(fragments, "_SECRET", secret)
    monkeypatch.setattr(fragments, "_CSRF", f"<!--{secret}:csrf-->")
    monkeypatch.setattr(fragments, "_SPEAK_AS", f"<!--{secret}:speak-as-->")
    monkeypatch.setattr(fragments, "_SLOT", re.compile(f"<!--{secret}:(vote|actions|mark|hole):([0-9]+)-->"))
    MemoryStore.clear(cache.store())


def chapter_renders(monkeypatch) -> list[str]:
    calls = []
    render = fragments.render_template

    def counting(template, **context):
        calls.append(template)
        return render(template, **context)

    monkeypatch.setattr(fragments, "render_template", counting)
    return calls


def test_without_redis_url_the_parts_stay_in_memory(app):
    assert type(cache.store()) is MemoryStore  # no network round trip per part


@needs(shared_redis_answers(), f"needs Redis at {SHARED_REDIS}")
class TestSharedThroughRedis:
    @pytest.fixture
    def app_config(self):
        client = redis.Redis.from_url(SHARED_REDIS)
        client.flushdb()
        yield {"REDIS_URL": SHARED_REDIS}
        client.flushdb()

    def test_a_part_rendered_by_one_worker_is_filled_by_another(self, app, users, draft, monkeypatch):
        assert isinstance(cache.store(), RedisStore)
        paragraph = first_paragraph(draft)
        url = f"/masterplan/chapters/{paragraph.chapter_id}"
        users(email="kim@example.org", display_name="Kim")
        kim = Browser(app.test_client())
        kim.login("kim@example.org")
        kim.submit(url, {"choice": "agree"}, action=f"/masterplan/paragraphs/{paragraph.id}/vote")
        first = kim.get(url).get_data(as_text=True)
        assert redis.Redis.from_url(SHARED_REDIS).keys(PREFIX + "*")

        old_secret = fragments._SECRET
        assert old_secret not in first
        as_another_worker(monkeypatch)
        renders = chapter_renders(monkeypatch)
        again = kim.get(url).get_data(as_text=True)
        assert "drafts/_chapter_body.html" not in renders  # read from Redis, not rendered anew
        assert 'aria-pressed="true"' in again and TOKEN.search(again)
        assert fragments._SECRET not in again and old_secret not in again  # every mark was filled
        # the token in the forms works: Kim votes again with the page of the other worker
        response = kim.client.post(
            f"/masterplan/paragraphs/{paragraph.id}/vote",
            data={"csrf_token": TOKEN.search(again)[1], "choice": "neutral"},
        )
        assert response.status_code == 303


@needs(bool(shutil.which("redis-server")), "needs redis-server (apt package redis-server)")
class TestRedisOutage:
    @pytest.fixture
    def redis_server(self, tmp_path):
        server = RedisServer(tmp_path)
        server.start()
        yield server
        if server.process.poll() is None:
            server.thaw()
            server.kill()

    @pytest.fixture
    def app_config(self, redis_server):
        return {"REDIS_URL": redis_server.url}

    @staticmethod
    def messages(caplog) -> tuple[int, int]:
        said = [record.getMessage() for record in caplog.records if record.name == "participation"]
        return sum("cache store unreachable" in m for m in said), sum("cache store answers again" in m for m in said)

    @pytest.fixture
    def waits(self, monkeypatch) -> list[float]:
        """The seconds each call to Redis took (rendering the page is not the store's wait)."""
        spent: list[float] = []
        call = RedisStore._call

        def timed(store, method, *args, **kwargs):
            started = time.monotonic()
            try:
                return call(store, method, *args, **kwargs)
            finally:
                spent.append(time.monotonic() - started)

        monkeypatch.setattr(RedisStore, "_call", timed)
        return spent

    @staticmethod
    def timed_page(client, url, waits) -> str:
        """A page, answered normally; the store makes it wait less than FAST in all (redis-py's
        defaults wait 5 s and retry)."""
        waits.clear()
        response = client.get(url)
        assert response.status_code == 200 and sum(waits) < FAST, waits
        return response.get_data(as_text=True)

    @pytest.mark.parametrize("failure", ["kill", "freeze"])
    def test_redis_failing_is_no_outage_and_is_said_once(self, app, draft, redis_server, caplog, waits, failure):
        caplog.set_level(logging.WARNING)
        visitor = app.test_client()
        urls = [f"/masterplan/chapters/{chapter.id}" for chapter in draft.chapters]
        self.timed_page(visitor, urls[0], waits)
        assert redis_server.keys()
        getattr(redis_server, failure)()
        for _ in range(3):
            for url in urls:
                MemoryStore.clear(cache.store())  # so each page asks the store
                self.timed_page(visitor, url, waits)
        assert self.messages(caplog) == (1, 0), "said once, not per request"

        if failure == "kill":
            redis_server.start()
        else:
            redis_server.thaw()
        redis_server.flush()
        deadline = time.monotonic() + 40
        while not redis_server.keys() and time.monotonic() < deadline:
            MemoryStore.clear(cache.store())
            self.timed_page(visitor, urls[0], waits)
            time.sleep(0.2)
        assert redis_server.keys(), "the parts went back to Redis"
        assert self.messages(caplog) == (1, 1)


@needs(shared_redis_answers(), f"needs Redis at {SHARED_REDIS}")
def test_a_new_release_does_not_serve_the_parts_of_the_old_one(tmp_path):
    """Redis outlives a deploy: parts are kept per release (a fingerprint of code and
    templates), so a changed template is rendered anew at once, on every worker."""
    client = redis.Redis.from_url(SHARED_REDIS)
    client.flushdb()
    try:
        (tmp_path / "page.html").write_text("<p>{{ old }}</p>")
        before = stores.release_of(tmp_path)
        old = RedisStore(client, release=before)
        assert old.get(("part",), 60, lambda: "rendered by the old release") == "rendered by the old release"
        (tmp_path / "page.html").write_text("<p>{{ new|e }}</p>")  # the escaping fix of the deploy
        after = stores.release_of(tmp_path)
        assert after != before
        new = RedisStore(client, release=after)
        assert new.get(("part",), 60, lambda: "rendered by the new release") == "rendered by the new release"
        assert RedisStore(client, release=before).get(("part",), 60, lambda: "") == "rendered by the old release"
    finally:
        client.flushdb()
