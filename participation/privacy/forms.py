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


TEXT_CHOICES = {
    "keep": _l("Keep the texts: they stay readable, signed “deleted account”."),
    "remove": _l(
        "Remove the texts as well: each of my comments is replaced by “deleted by its author”, each of my "
        "proposals keeps its place and its replies with the words “text removed”."
    ),
}


def _texts_field(label):
    return RadioField(
        label,
        choices=choices(TEXT_CHOICES),
        default="keep",
        validators=[DataRequired(_l("Please choose one."))],
    )


class DeleteAccountForm(FlaskForm):
    """The person deletes their own account, confirmed with the password."""

    texts = _texts_field(_l("What becomes of your proposals and comments"))
    current_password = current_password_field(_l("So that nobody else can delete your account on a device you left."))


class DeleteOnRequestForm(WrittenRequestForm):
    """An admin deletes an account on the person's written request."""

    texts = _texts_field(_l("What becomes of the person's proposals and comments"))
