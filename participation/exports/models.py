"""The open-data ZIP as every app host serves it: kept in the database in chunks, with the data
revision it was made from. The revision rises in the transaction that takes anything public
back (participation.exports.freshness), so a file made before is never served again."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, LargeBinary
from sqlalchemy.orm import Mapped, mapped_column

from participation.core.models import UTCDateTime, utcnow
from participation.extensions import db

STATE_ID = 1  # the one row of open_data_state


class OpenDataState(db.Model):
    """How often something public was taken back (hidden, deleted, withdrawn, edited): one row."""

    __tablename__ = "open_data_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)


class OpenDataFile(db.Model):
    """A made ZIP: its size, when it was made, from which revision, and when a newer one replaced
    it (downloads already running may finish it for a while; then it is deleted)."""

    __tablename__ = "open_data_file"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision: Mapped[int] = mapped_column(BigInteger, nullable=False)
    size: Mapped[int] = mapped_column(BigInteger, nullable=False)
    made_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class OpenDataChunk(db.Model):
    """One piece of a file's bytes (CHUNK bytes each but the last), read one at a time when sent."""

    __tablename__ = "open_data_chunk"

    file_id: Mapped[int] = mapped_column(ForeignKey("open_data_file.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
