"""The form for writing a comment, on the draft and on proposals alike."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from participation.comments.models import BODY_MAX, KINDS
from participation.core.forms import choices, no_control_characters
from participation.organisations.forms import SpeakAsForm


class CommentForm(SpeakAsForm):
    kind = SelectField(
        _l("Kind of comment"),
        choices=choices(KINDS, placeholder=_l("no particular kind")),
        validate_choice=False,
        description=_l("Optional: say whether you agree, object, add something or ask."),
    )
    body = TextAreaField(
        _l("Your comment"),
        validators=[
            DataRequired(_l("Please write your comment.")),
            Length(max=BODY_MAX, message=_l("A comment has at most %(max)d characters.")),
            no_control_characters,
        ],
        description=_l("Markdown works: *italic*, **bold**, lists with -. Please keep to the netiquette."),
        render_kw={"rows": 6},
    )

    def validate_kind(self, field):
        if field.data and field.data not in KINDS:
            field.data = ""
