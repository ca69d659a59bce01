"""Changes a person makes to their own account. They change the session and flush; the
request commits (participation.core.transaction)."""

from __future__ import annotations

from participation.accounts.models import User, set_display_name
from participation.accounts.names import save_unless_name_taken


def update_profile(user: User, stakeholder_group: str, locale: str, display_name_field=None) -> bool:
    """Save the profile; with `display_name_field` (a form field; not offered while the account
    is blocked, so that nobody sheds the name others know them by during a block) the new
    display name too, which goes to the audit log when it changes. False, with the message at
    the field and nothing saved, when someone took the name between the form's check and now."""
    if display_name_field is not None:
        set_display_name(user, display_name_field.data)
    user.stakeholder_group = stakeholder_group
    user.locale = locale
    return save_unless_name_taken(display_name_field)
