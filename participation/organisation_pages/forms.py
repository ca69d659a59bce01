"""The forms on an organisation's public page: its description, and a strategy PDF with its title."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import IntegerField, StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from participation.core.forms import FlaskForm, no_control_characters, no_invisible_characters, strip_filter
from participation.organisations import documents
from participation.organisations.models import DOCUMENT_TITLE_MAX

DESCRIPTION_MAX = 2000


class DescriptionForm(FlaskForm):
    description = TextAreaField(
        _l("Description (German)"),
        filters=[strip_filter],
        validators=[Length(max=DESCRIPTION_MAX, message=_l("At most %(max)d characters.")), no_control_characters],
        description=_l("One or two paragraphs on what the organisation does. Markdown works."),
        render_kw={"rows": 5},
    )
    description_en = TextAreaField(
        _l("Description (English)"),
        filters=[strip_filter],
        validators=[Length(max=DESCRIPTION_MAX, message=_l("At most %(max)d characters.")), no_control_characters],
        description=_l("Optional: shown to English readers; without it they read the German one."),
        render_kw={"rows": 5},
    )


def _title(label, required: bool):
    checks = [DataRequired(_l("Please give the document's title."))] if required else [Optional()]
    return StringField(
        label,
        filters=[strip_filter],
        validators=[
            *checks,
            Length(max=DOCUMENT_TITLE_MAX, message=_l("A title has at most %(max)d characters.")),
            no_control_characters,
            no_invisible_characters,
        ],
    )


class DocumentForm(FlaskForm):
    title_de = _title(_l("Title (German)"), required=True)
    title_en = _title(_l("Title (English, optional)"), required=False)
    year = IntegerField(
        _l("Year"),
        validators=[
            DataRequired(_l("Please give the year of the document.")),
            NumberRange(min=1990, max=2100, message=_l("Please enter a year from %(min)d to %(max)d.")),
        ],
        render_kw={"inputmode": "numeric"},
    )
    file = FileField(
        _l("PDF file"),
        validators=[FileRequired(_l("Please choose a PDF file."))],
        render_kw={"accept": "application/pdf"},
    )

    def validate_file(self, field):
        """By its content: a file of another kind named .pdf (or sent as application/pdf) is refused."""
        stream = field.data.stream
        if documents.size_of(stream) > documents.max_bytes():
            raise ValidationError(
                _l("The file is too large: at most %(size)s MB.", size=f"{documents.max_bytes() / 2**20:g}")
            )
        if not documents.looks_like_pdf(stream):
            raise ValidationError(_l("This file is not a PDF document. Please choose a PDF file."))
