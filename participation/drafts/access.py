"""Why the logged-in person may not vote on or comment on a version of the draft right now.
Used by the draft's own views and by the comments on it (replies included)."""

from __future__ import annotations

from flask_babel import gettext as _

from participation.core.access import contributor_refusal, refuse
from participation.drafts import services
from participation.drafts.models import CONSULTATION, MasterplanVersion
from participation.phases.situation import refusal_text


def participation_refusal(action: str, version: MasterplanVersion):
    """The 403 page for `action` ("draft_votes" or "draft_comments") on `version`, or None."""
    refusal = contributor_refusal()
    if refusal:
        return refusal
    if not services.action_open(action, version):
        return refuse(refusal_text(closed_sentence(action, version)))
    return None


def closed_sentence(action: str, version: MasterplanVersion) -> str:
    """Why `action` on `version` is refused, in one sentence."""
    if version.status != CONSULTATION:
        if action == "draft_votes":
            return _("Version %(number)d is closed: its votes stay as they were.", number=version.number)
        return _("Version %(number)d is closed: its comments stay as they were.", number=version.number)
    if action == "draft_votes":
        return _("Voting on version %(number)d is not open at the moment.", number=version.number)
    return _("Commenting on version %(number)d is not open at the moment.", number=version.number)
