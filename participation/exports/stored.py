"""The open-data ZIP where every app host reads the same one: in the database, in chunks, with
the data revision it was made from (participation.exports.freshness). A file made before the
revision last rose is never served; the next download finds none and makes a new one.

One worker of all hosts makes it, under a PostgreSQL advisory lock (on SQLite, which serves one
host, a file lock): it starts a thread that writes the ZIP to a temporary file and stores it, and
answers when the thread is done within OPEN_DATA_WAIT_SECONDS; everyone else is told to come back
(503 with Retry-After). On Cologne-sized data it takes a minute or more, longer than a request
may take, hence the thread. A download starts a new one at most once per
OPEN_DATA_REBUILD_SECONDS after the last one started (whichever host made it), so edits in a loop
and downloads in a loop cannot keep a worker making files; until then the out-of-date file is not
served either, and Retry-After says when the next may start.
"""

from __future__ import annotations

import fcntl
import math
import tempfile
import threading
import zlib
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, func, insert, select, text, update

from participation.core.models import utcnow
from participation.exports import freshness, open_data
from participation.exports.models import OpenDataChunk, OpenDataFile
from participation.extensions import db

CHUNK = 1024 * 1024  # bytes per stored piece: one piece in memory at a time
GRACE = timedelta(minutes=10)  # a replaced file stays this long for downloads already running
LOCK_ID = zlib.crc32(b"open-data")


BUSY_RETRY_SECONDS = 60  # what a visitor is told while a file is being made

ATTEMPT = "open_data_last_attempt"  # in app.extensions: this process's last start, also of one that failed


class Busy(Exception):
    """Another worker is making the file right now, or (`waiting`) the next may not start yet and
    nothing is being made: come back in `retry_after` seconds."""

    def __init__(self, retry_after: int = BUSY_RETRY_SECONDS, *, waiting: bool = False):
        super().__init__(retry_after)
        self.retry_after = retry_after
        self.waiting = waiting


def next_start() -> datetime | None:
    """When a download may start making the file anew: OPEN_DATA_REBUILD_SECONDS after the last
    file was started (its made_at, the same for every host) or this process's last try."""
    last = db.session.scalar(select(func.max(OpenDataFile.made_at)))
    attempt: datetime | None = current_app.extensions.get(ATTEMPT)
    if attempt is not None and (last is None or attempt > last):
        last = attempt
    if last is None:
        return None
    return last + timedelta(seconds=current_app.config["OPEN_DATA_REBUILD_SECONDS"])


def _wait_for_next_start() -> None:
    """Raise Busy while the interval since the last start has not passed."""
    start = next_start()
    now = utcnow()
    if start is not None and start > now:
        raise Busy(max(1, math.ceil((start - now).total_seconds())), waiting=True)


def served() -> OpenDataFile | None:
    """The newest file made from the current revision: nothing public was taken back since."""
    current = freshness.revision(db.session)
    return db.session.scalar(
        select(OpenDataFile)
        .where(OpenDataFile.revision >= current, OpenDataFile.superseded_at.is_(None))
        .order_by(OpenDataFile.id.desc())
        .limit(1)
    )


def chunks(file_id: int) -> Iterator[bytes]:
    """The file's bytes, one stored piece per query, ending each read transaction at once (a
    slow download must not hold one open)."""
    position = 0
    while True:
        data = db.session.scalar(
            select(OpenDataChunk.data).where(OpenDataChunk.file_id == file_id, OpenDataChunk.position == position)
        )
        db.session.rollback()
        if data is None:
            return
        yield data
        position += 1


def _lock_directory() -> Path:
    """On SQLite, the lock file lies beside the database file: the processes that share one
    database share its lock, and two apps on different databases (two test workers) do not."""
    database = db.engine.url.database
    if database and database != ":memory:":
        return Path(database).resolve().parent
    return Path(current_app.instance_path)


class Lock:
    """The one lock for making the file, across workers and (on PostgreSQL) hosts."""

    def __init__(self):
        self._connection = None
        self._file = None

    def acquire(self) -> None:
        """Take it or raise Busy."""
        if db.engine.dialect.name == "postgresql":
            connection = db.engine.connect()
            try:
                claimed = connection.scalar(text("SELECT pg_try_advisory_lock(:id)"), {"id": LOCK_ID})
                connection.commit()  # the lock belongs to the database session, not a transaction
            except BaseException:
                connection.invalidate()  # a database session that is gone holds no lock
                connection.close()
                raise
            if not claimed:
                connection.close()
                raise Busy
            self._connection = connection
            return
        path = _lock_directory()
        path.mkdir(parents=True, exist_ok=True)
        self._file = open(path / "open-data.lock", "w")  # noqa: SIM115 (held until release)
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._file.close()
            raise Busy from None

    def release(self) -> None:
        if self._connection is not None:
            try:
                self._connection.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": LOCK_ID})
                self._connection.commit()
            except Exception:
                # the connection must not go back to the pool with the lock: end its database session
                self._connection.invalidate()
            finally:
                self._connection.close()
        if self._file is not None:
            self._file.close()  # ends the flock


def make() -> OpenDataFile:
    """Make the ZIP and store it as the served one (the caller holds the lock). The revision is
    read before any data: content taken back while the file is made leaves it out of date; the
    file is dated when it was started (the data are as of then)."""
    started = utcnow()
    revision = freshness.revision(db.session)
    with tempfile.TemporaryFile() as scratch:
        open_data.write(scratch)
        size = scratch.tell()
        scratch.seek(0)
        made = OpenDataFile(revision=revision, size=size, made_at=started)
        db.session.add(made)
        db.session.flush()
        position = 0
        while piece := scratch.read(CHUNK):
            db.session.execute(insert(OpenDataChunk).values(file_id=made.id, position=position, data=piece))
            position += 1
    now = utcnow()
    db.session.execute(
        update(OpenDataFile)
        .where(OpenDataFile.id != made.id, OpenDataFile.superseded_at.is_(None))
        .values(superseded_at=now)
        .execution_options(synchronize_session=False)
    )
    gone = select(OpenDataFile.id).where(OpenDataFile.superseded_at < now - GRACE)
    db.session.execute(delete(OpenDataChunk).where(OpenDataChunk.file_id.in_(gone)))
    db.session.execute(delete(OpenDataFile).where(OpenDataFile.superseded_at < now - GRACE))
    db.session.commit()
    return made


def make_locked() -> OpenDataFile:
    """Make it here and now (the command), or raise Busy."""
    lock = Lock()
    lock.acquire()
    try:
        return make()
    finally:
        lock.release()


def _make_in_thread(app, lock: Lock) -> None:
    with app.app_context():
        try:
            make()
        except Exception:
            app.logger.exception("making the open data failed")
            db.session.rollback()
        finally:
            lock.release()
            db.session.remove()


def current() -> OpenDataFile:
    """The file to serve; made now when there is none from the current revision and the last was
    started at least OPEN_DATA_REBUILD_SECONDS ago. Raises Busy while another worker makes it,
    while this one's thread is still at it, or until the next may start."""
    found = served()
    if found is not None:
        return found
    _wait_for_next_start()
    lock = Lock()
    lock.acquire()
    try:
        db.session.rollback()  # see what a maker that just finished stored
        found = served()
        if found is None:
            _wait_for_next_start()
    except BaseException:
        lock.release()
        raise
    if found is not None:
        lock.release()
        return found
    current_app.extensions[ATTEMPT] = utcnow()
    db.session.rollback()  # no read transaction of this request may hold up the thread's writes
    worker = threading.Thread(
        target=_make_in_thread, args=(current_app._get_current_object(), lock), name="open-data", daemon=True
    )
    worker.start()
    worker.join(current_app.config["OPEN_DATA_WAIT_SECONDS"])
    found = None if worker.is_alive() else served()
    if found is None:
        raise Busy
    return found
