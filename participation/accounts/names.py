"""A display name typed into a form (registration, confirmation, profile): refused at its field
when another account has it, whether found before saving or by the unique index when saved."""

from __future__ import annotations

from flask_babel import gettext as _

from participation.accounts.models import User, display_name_taken
from participation.core.transaction import flush_unless_refused
from participation.extensions import db


def refuse_taken_name(field, user: User | None = None) -> bool:
    """True, with the message at `field`, when the name is another account's (or reserved for
    one). Display names are public, so saying one is taken reveals nothing."""
    if not display_name_taken(field.data, except_user=user):
        return False
    field.errors.append(_("This display name is already taken. Please choose another."))
    return True


def save_unless_name_taken(field) -> bool:
    """Save the request's changes (flush; the request commits). When someone took the name
    between the check and now, the request's changes are undone and `field` says so (False).
    Without a name field (`None`) no conflict is expected: one is an error."""
    if field is None:
        db.session.flush()  # no conflict expected: one is an error page
        return True
    if flush_unless_refused():
        return True
    field.errors.append(_("This display name is already taken. Please choose another."))
    return False
