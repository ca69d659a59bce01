"""The admin's form for preparing a person's data on their written request."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from participation.auth.forms import current_password_field
from participation.core.forms import FlaskForm, choices, no_control_characters, strip_filter
from participation.privacy.services import REASON_MAX

# something@something.something, also with spaces around the @ or an "(at)" written out
_ADDRESS = re.compile(r"[^\s@()\[\]]+\s*(?:@|\(at\)|\[at\])\s*[^\s@()\[\]]+\.[^\s@()\[\]]{2,}", re.IGNORECASE)


def no_email_address(form, field) -> None:
    """The reason is kept in the audit log for good, which keeps no personal data; an address
    is refused, what was typed stays in the field to be corrected."""
    if _ADDRESS.search(field.data or ""):
        raise ValidationError(
            _l(
                "Please leave out the email address: the reason is kept in the audit log for good. "
                "Name the request by its date and reference instead."
            )
        )


class WrittenRequestForm(FlaskForm):
    reason = TextAreaField(
        _l("Written request and reason"),
        filters=[strip_filter],
        description=_l(
            "Which request this answers, e.g. the person's letter or mail of 3 March with its reference. "
            "It goes into the audit log with your name and is kept there for good: please write no personal "
            "data (no names, postal or email addresses)."
        ),
        validators=[
            DataRequired(_l("Please say which written request this answers.")),
            Length(max=REASON_MAX),
            no_control_characters,
            no_email_address,
        ],
        render_kw={"rows": 3},
    )


KEEP = _l("Keep the texts: they stay readable, signed “deleted account”.")
TEXT_CHOICES = {
    "keep": KEEP,
    "remove": _l(
        "Remove the texts as well: my comments then read “This comment was deleted by its author.”, my "
        "proposals keep their place and their replies under the title “Text entfernt · Text removed”."
    ),
}
# the same, as the admin reads it
THEIR_TEXT_CHOICES = {
    "keep": KEEP,
    "remove": _l(
        "Remove the texts as well, if the person asks for it: their comments then read “This comment was "
        "deleted by its author.”, their proposals keep their place and their replies under the title “Text "
        "entfernt · Text removed”."
    ),
}


def _texts_field(label, labels=TEXT_CHOICES):
    return RadioField(
        label,
        choices=choices(labels),
        default="keep",
        validators=[DataRequired(_l("Please choose one."))],
    )


class DeleteAccountForm(FlaskForm):
    """The person deletes their own account, confirmed with the password."""

    texts = _texts_field(_l("What becomes of your proposals and comments"))
    current_password = current_password_field(_l("So that nobody else can delete your account on a device you left."))


class DeleteOnRequestForm(WrittenRequestForm):
    """An admin deletes an account on the person's written request."""

    texts = _texts_field(_l("What becomes of the person's proposals and comments"), THEIR_TEXT_CHOICES)
