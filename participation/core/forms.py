"""Form pieces shared by every area."""

from __future__ import annotations

import unicodedata

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectMultipleField, ValidationError
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
