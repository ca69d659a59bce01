"""The edit form of a legal page: its text, and the facts it shows in a fixed structure."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, RadioField, StringField, URLField
from wtforms.validators import Email, Length, Optional, Regexp

from participation.admin.forms import PageForm
from participation.core.forms import CalendarDateField, choices, no_control_characters, strip_filter
from participation.pages.legal import ACCESSIBILITY_STATUS, LegalField, as_date, legal_fields

SETTING_MAX = 200  # site_setting.value


def _field(fact: LegalField):
    common = {"description": fact.description} if fact.description else {}
    length = Length(max=SETTING_MAX, message=_l("At most %(max)d characters."))
    if fact.kind == "status":
        return RadioField(fact.label, choices=choices(ACCESSIBILITY_STATUS), **common)
    if fact.kind == "date":
        return CalendarDateField(fact.label, validators=[Optional()], **common)
    if fact.kind == "email":
        return EmailField(
            fact.label,
            filters=[strip_filter],
            validators=[
                Optional(),
                length,
                Email(_l("Please enter a valid email address, such as name@example.org."), check_deliverability=False),
            ],
            render_kw={"spellcheck": "false"},
            **common,
        )
    if fact.kind == "url":
        return URLField(
            fact.label,
            filters=[strip_filter],
            validators=[
                Optional(),
                length,
                Regexp(r"^https?://[^\s<>\"]+$", message=_l("Please enter a web address starting with https://.")),
            ],
            render_kw={"spellcheck": "false"},
            **common,
        )
    return StringField(fact.label, filters=[strip_filter], validators=[length, no_control_characters], **common)


def page_form_class(slug: str) -> type[PageForm]:
    """PageForm, with a field per fact for a legal page."""
    facts = legal_fields(slug)
    if not facts:
        return PageForm
    return type("LegalPageForm", (PageForm,), {fact.name: _field(fact) for fact in facts})


def fact_values(form, slug: str) -> dict[str, str]:
    """The facts as the settings store them (text; a date as YYYY-MM-DD, empty if none)."""
    values = {}
    for fact in legal_fields(slug):
        data = getattr(form, fact.name).data
        values[fact.name] = data.isoformat() if fact.kind == "date" and data else (data or "")
    return values


def fact_data(values: dict[str, str], slug: str) -> dict:
    """The stored facts as the form shows them."""
    return {
        fact.name: as_date(values[fact.name]) if fact.kind == "date" else values[fact.name]
        for fact in legal_fields(slug)
    }
