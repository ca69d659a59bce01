"""What a proposal or comment keeps when the moderation hides it, and the reasons for hiding."""

from __future__ import annotations

from datetime import datetime

from blinker import Namespace
from flask_babel import lazy_gettext as _l
from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from participation.core.models import UTCDateTime

# why the moderation hides something: shown to the author and, as a label, in the thread
HIDE_REASONS = {
    "spam": _l("Spam or advertising"),
    "insult": _l("Insulting or discriminating"),
    "off_topic": _l("Off topic"),
    "personal_data": _l("Reveals personal data"),
    "illegal": _l("Unlawful content"),
    "netiquette": _l("Against the netiquette"),
    "other": _l("Another reason (see the note)"),
}
# hidden by the flags alone, until a moderator decides (the stored value keeps its old name)
BY_FLAGS = "reports"

# sent with a proposal or comment its author takes back (withdrawn, deleted): the moderation,
# a layer above, dismisses the reports on it, since nothing is left to decide
taken_back = Namespace().signal("contribution-taken-back")


class HideableMixin:
    """What a proposal or comment keeps when the moderation hides it: nothing is deleted, the
    reason and note stay with it, and admins can restore it."""

    moderation_reason: Mapped[str | None] = mapped_column(String(20))
    # what it was before the moderation hid it, so that a restore brings back that state
    status_before_hidden: Mapped[str | None] = mapped_column(String(20))
    moderation_note: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def hidden_by_flags(self) -> bool:
        return self.moderation_reason == BY_FLAGS

    @property
    def moderation_reason_label(self) -> str:
        if self.moderation_reason == BY_FLAGS:
            return str(_l("Reported several times; hidden until the moderation has looked at it"))
        return str(HIDE_REASONS.get(self.moderation_reason or "", ""))
