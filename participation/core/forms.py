"""Form pieces shared by every area."""

from __future__ import annotations

import unicodedata

import flask_wtf
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import DateField, IntegerField, SelectChoice, SelectMultipleField, ValidationError
from wtforms.validators import Length
from wtforms.widgets import CheckboxInput, ListWidget

from participation.core.bounds import DATE_MAX, DATE_MIN, ID_MAX, NUL

NUL_REMOVED = _l(
    "This text contained a NUL character, which cannot be stored. It has been removed: "
    "please check the text and send it again."
)


class FlaskForm(flask_wtf.FlaskForm):
    """The base of every form. A NUL character (which PostgreSQL cannot store) is taken out of
    what was sent, and the field says so: the person keeps the text and sees what was wrong.
    (The address's query is checked in core.bounds: a form read from it never sees a NUL.)"""

    class Meta(flask_wtf.FlaskForm.Meta):
        def wrap_formdata(self, form, formdata):
            formdata = super().wrap_formdata(form, formdata)
            sent = list(formdata.items(multi=True)) if formdata is not None else []
            form.nul_fields = {name for name, value in sent if isinstance(value, str) and NUL in value}
            if not form.nul_fields:
                return formdata
            return MultiDict(
                (name, value.replace(NUL, "") if isinstance(value, str) else value) for name, value in sent
            )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            # a hidden field is not the person's text: it goes on without its NUL, unremarked
            if field.name in getattr(self, "nul_fields", ()) and field.type not in ("HiddenField", "CSRFTokenField"):
                field.errors = [*field.errors, NUL_REMOVED]
                valid = False
        return valid


class IdField(IntegerField):
    """The number of something stored: 1 to the largest id the database holds."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and not 1 <= self.data <= ID_MAX:
            self.data = None  # never used, even by code that reads a field with errors
            raise ValueError(_l("Please enter a number from %(min)d to %(max)d.", min=1, max=ID_MAX))


class CalendarDateField(DateField):
    """A date between 1900 and 2999: beyond, adding a day or a time zone leaves the calendar."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and not DATE_MIN <= self.data <= DATE_MAX:
            self.data = None  # never used, even by code that reads a field with errors
            raise ValueError(_l("Please enter a date between the years 1900 and 2999."))


def choices(options: dict, placeholder=None) -> list[SelectChoice]:
    """Select options from a {value: label} dict, optionally after an empty "please choose"."""
    listed = [SelectChoice(value, label) for value, label in options.items()]
    return ([SelectChoice("", placeholder)] if placeholder else []) + listed


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class EmptyForm(FlaskForm):
    """A button-only POST still carries a CSRF token."""


def no_control_characters(form, field) -> None:
    """Refuse invisible control characters that break display and search."""
    value = field.data or ""
    if any((ord(ch) < 0x20 and ch not in "\t\r\n") or 0x7F <= ord(ch) < 0xA0 for ch in value):
        raise ValidationError(_l("Please remove invisible control characters."))


def no_invisible_characters(form, field) -> None:
    """Zero-width and direction-changing characters let one name pose as another."""
    if any(unicodedata.category(ch) == "Cf" for ch in field.data or ""):
        raise ValidationError(_l("Please remove invisible formatting characters (such as zero-width spaces)."))


def strip_filter(value):
    return value.strip() if isinstance(value, str) else value


ECHO_LIMIT = 100_000  # characters of what was sent that a form shown again with an error keeps


def bounded(field):
    """A field shown again after an error keeps what was typed, up to twice its longest allowed
    value (at least 1,000 characters, at most ECHO_LIMIT): enough to shorten it, never megabytes
    of someone's input sent back in the page."""
    maximum = min((v.max for v in field.validators if isinstance(v, Length) and v.max >= 0), default=None)
    limit = ECHO_LIMIT if maximum is None else min(ECHO_LIMIT, max(2 * maximum, 1_000))
    if field.raw_data and isinstance(field.raw_data[0], str) and len(field.raw_data[0]) > limit:
        field.raw_data = [field.raw_data[0][:limit], *field.raw_data[1:]]
    if isinstance(field.data, str) and len(field.data) > limit:
        field.data = field.data[:limit]
    return field
