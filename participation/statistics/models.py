"""The participation report as last rendered, shared by every worker and server."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from participation.core.models import UTCDateTime, utcnow
from participation.extensions import db


class ReportSnapshot(db.Model):
    """The rendered body of a report page (public or planners', per language) and when it was made:
    its figures take a second or more on Cologne-sized data, so one worker makes them and the
    others read them for REPORT_CACHE_SECONDS."""

    __tablename__ = "report_snapshot"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    html: Mapped[str] = mapped_column(Text, nullable=False)
    made_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
