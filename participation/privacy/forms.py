"""The admin's form for preparing a person's data on their written request."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from participation.core.forms import FlaskForm, no_control_characters, strip_filter
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
