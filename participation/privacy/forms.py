"""The admin's form for preparing a person's data on their written request."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from participation.core.forms import FlaskForm, no_control_characters, strip_filter
from participation.privacy.services import REASON_MAX


class WrittenRequestForm(FlaskForm):
    reason = TextAreaField(
        _l("Written request and reason"),
        filters=[strip_filter],
        description=_l(
            "Which request this answers, e.g. the person's letter or mail of 3 March with its reference. "
            "It goes into the audit log with your name."
        ),
        validators=[
            DataRequired(_l("Please say which written request this answers.")),
            Length(max=REASON_MAX),
            no_control_characters,
        ],
        render_kw={"rows": 3},
    )
