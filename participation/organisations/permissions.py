"""Who may change what was written in an organisation's name."""

from __future__ import annotations

from participation.organisations.services import may_speak_for


def can_change_statement(user, contribution) -> bool:
    """A proposal or comment written as an organisation's statement is changed or deleted only
    by someone who still speaks for it: a member who left, or was refused, keeps their own
    contributions but not the organisation's voice. Anything else is nobody's statement."""
    return contribution.organisation_id is None or may_speak_for(user, contribution.organisation_id)
