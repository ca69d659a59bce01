"""A display name typed into a form (registration, confirmation, profile): refused at its field
when another account has it, whether found before saving or by the unique index at the commit."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from participation.accounts.models import User, display_name_taken
from participation.extensions import db


def refuse_taken_name(field, user: User | None = None) -> bool:
    """True, with the message at `field`, when the name is another account's (or reserved for
    one). Display names are public, so saying one is taken reveals nothing."""
    if not display_name_taken(field.data, except_user=user):
        return False
    field.errors.append(_("This display name is already taken. Please choose another."))
    return True


def commit_unless_name_taken(field) -> bool:
    """Commit the request. When someone took the name between the check and the commit, roll
    back and say so at `field` (False). Without a name field (`None`) nothing is expected."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        if field is None:
            raise
        field.errors.append(_("This display name is already taken. Please choose another."))
        return False
    return True
