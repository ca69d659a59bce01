"""The form for reporting a proposal or a comment."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import DataRequired, Length

from participation.core.forms import choices, no_control_characters, strip_filter
from participation.moderation.models import REPORT_NOTE_MAX, REPORT_REASONS


class ReportForm(FlaskForm):
    reason = RadioField(
        _l("What is wrong with it?"),
        choices=choices(REPORT_REASONS),
        validators=[DataRequired(_l("Please choose a reason."))],
    )
    note = TextAreaField(
        _l("Anything the moderation should know"),
        filters=[strip_filter],
        validators=[
            Length(max=REPORT_NOTE_MAX, message=_l("At most %(max)d characters.")),
            no_control_characters,
        ],
        description=_l("Optional. Only the moderation reads it."),
        render_kw={"rows": 4},
    )
