"""The form for answering a proposal."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Length

from participation.core.forms import FlaskForm, choices, no_control_characters, strip_filter
from participation.proposals.models import ANSWER_STATUSES, NEEDS_REASON, STATUSES

ANSWER_MAX = 5_000


class AnswerForm(FlaskForm):
    status = RadioField(
        _l("Decision"),
        choices=choices({status: STATUSES[status] for status in ANSWER_STATUSES}),
        validators=[DataRequired(_l("Please choose a decision."))],
    )
    answer = TextAreaField(
        _l("Public answer"),
        filters=[strip_filter],
        validators=[
            Length(max=ANSWER_MAX, message=_l("An answer has at most %(max)d characters.")),
            no_control_characters,
        ],
        description=_l(
            "Shown on the proposal to everyone. Required when the proposal is not or only partly accepted: "
            "say why. Markdown works."
        ),
        render_kw={"rows": 8},
    )

    def validate_answer(self, field):
        if self.status.data in NEEDS_REASON and not field.data:
            raise ValidationError(_l("Please give the reasons: the author and the public are owed them."))
