"""The planners' forms for interim reports."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from participation.core.forms import CalendarDateField, FlaskForm, no_control_characters, strip_filter
from participation.reporting.models import NOTE_MAX, TITLE_MAX
from participation.reporting.services import TEXT_MAX


class ReportForm(FlaskForm):
    title_de = StringField(
        _l("Title (German)"),
        filters=[strip_filter],
        render_kw={"lang": "de"},
        description=_l("For example: Zwischenbericht 1. Halbjahr 2027"),
        validators=[DataRequired(_l("Please enter a German title.")), Length(max=TITLE_MAX), no_control_characters],
    )
    title_en = StringField(
        _l("Title (English)"),
        filters=[strip_filter],
        render_kw={"lang": "en"},
        description=_l("For example: Interim report, first half of 2027"),
        validators=[Optional(), Length(max=TITLE_MAX), no_control_characters],
    )
    period_start = CalendarDateField(
        _l("First day of the period"), validators=[InputRequired(_l("Please enter the period's first day."))]
    )
    period_end = CalendarDateField(
        _l("Last day of the period (the reporting date)"),
        description=_l("Every measure is shown as it stood at the end of this day."),
        validators=[InputRequired(_l("Please enter the period's last day."))],
    )

    def validate_period_end(self, field) -> None:
        if self.period_start.data and field.data and field.data < self.period_start.data:
            raise ValidationError(_l("The period cannot end before it starts."))


class SectionForm(FlaskForm):
    """The editorial text on one field of action; prefixed with the topic (one form per field)."""

    text_de = TextAreaField(
        _l("Text (German, Markdown)"), validators=[Length(max=TEXT_MAX)], render_kw={"rows": 6, "lang": "de"}
    )
    text_en = TextAreaField(
        _l("Text (English, Markdown)"), validators=[Length(max=TEXT_MAX)], render_kw={"rows": 6, "lang": "en"}
    )


class CorrectionForm(FlaskForm):
    note = TextAreaField(
        _l("What the correction changes"),
        filters=[strip_filter],
        description=_l("Shown with the new revision, which replaces this one in the lists. Both stay readable."),
        validators=[DataRequired(_l("Please say what the correction changes.")), Length(max=NOTE_MAX)],
        render_kw={"rows": 3},
    )
