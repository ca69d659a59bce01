"""The planners' announcement form and the profile's opt-in."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from participation.announcements.models import BODY_MAX, TITLE_MAX
from participation.core.forms import FlaskForm, no_control_characters, strip_filter


class AnnouncementForm(FlaskForm):
    title_de = StringField(
        _l("Title (German)"),
        filters=[strip_filter],
        render_kw={"lang": "de"},
        description=_l("For example: Entwurf 2 ist online"),
        validators=[DataRequired(_l("Please enter a German title.")), Length(max=TITLE_MAX), no_control_characters],
    )
    title_en = StringField(
        _l("Title (English)"),
        filters=[strip_filter],
        render_kw={"lang": "en"},
        validators=[Optional(), Length(max=TITLE_MAX), no_control_characters],
    )
    body_de = TextAreaField(
        _l("Text (German, Markdown)"),
        validators=[DataRequired(_l("Please enter a German text.")), Length(max=BODY_MAX)],
        render_kw={"rows": 10, "lang": "de"},
    )
    body_en = TextAreaField(
        _l("Text (English, Markdown)"),
        description=_l("Empty: English readers get the German text."),
        validators=[Optional(), Length(max=BODY_MAX)],
        render_kw={"rows": 10, "lang": "en"},
    )
    save = SubmitField(_l("Save and preview"))


class SubscribeForm(FlaskForm):
    """Never ticked in advance: the person asks for the mails themselves."""

    wanted = BooleanField(
        _l("Send me announcements by mail (for example when a new draft is online)"),
        default=False,
        validators=[InputRequired(_l("Please tick the box if you want announcements by mail."))],
    )
