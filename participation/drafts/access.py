"""Why the logged-in person may not vote on or comment on a version of the draft right now.
Used by the draft's own views and by the comments on it (replies included)."""

from __future__ import annotations

from flask_babel import gettext as _

from participation.core.access import contributor_refusal, refuse
from participation.drafts import services
from participation.drafts.models import MasterplanVersion


def participation_refusal(action: str, version: MasterplanVersion):
    """The 403 page for `action` ("draft_votes" or "draft_comments") on `version`, or None."""
    refusal = contributor_refusal()
    if refusal:
        return refusal
    if not services.action_open(action, version):
        if action == "draft_votes":
            return refuse(_("Voting on this draft is not open at the moment."))
        return refuse(_("Commenting on this draft is not open at the moment."))
    return None
