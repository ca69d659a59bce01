"""Form pieces shared by every area."""

from __future__ import annotations

import unicodedata

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectMultipleField, ValidationError
from wtforms.validators import Length
from wtforms.widgets import CheckboxInput, ListWidget


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
