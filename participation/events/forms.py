"""The form planners fill in for an event; day and time in Cologne's time, stored in UTC."""

from __future__ import annotations

from datetime import UTC, datetime, time
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField, TextAreaField, TimeField, ValidationError
from wtforms.validators import DataRequired, Length, Optional

from participation.core.forms import (
    CalendarDateField,
    FlaskForm,
    no_control_characters,
    no_invisible_characters,
    strip_filter,
)
from participation.core.i18n import CITY_TIME
from participation.events.models import CONTACT_MAX, LINK_MAX, NOTE_MAX, PLACE_MAX, TITLE_MAX, Event


def _utc(day, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=CITY_TIME).astimezone(UTC)


def _text(label, limit, required=None, **kwargs):
    validators = [DataRequired(required)] if required else [Optional()]
    validators += [Length(max=limit, message=_l("At most %(max)d characters.")), no_control_characters]
    return StringField(label, filters=[strip_filter], validators=validators, **kwargs)


def _long_text(label, **kwargs):
    return TextAreaField(
        label,
        filters=[strip_filter],
        validators=[Length(max=NOTE_MAX, message=_l("At most %(max)d characters.")), no_control_characters],
        render_kw={"rows": 3},
        **kwargs,
    )


class EventForm(FlaskForm):
    title_de = _text(_l("Title (German)"), TITLE_MAX, _l("Please give the event a German title."))
    title_en = _text(_l("Title (English)"), TITLE_MAX, description=_l("Optional: shown to English readers."))
    description_de = _long_text(_l("Description (German)"))
    description_en = _long_text(_l("Description (English)"))
    day = CalendarDateField(_l("Day"), validators=[DataRequired(_l("Please give the day of the event."))])
    start_time = TimeField(
        _l("Start time"), validators=[DataRequired(_l("Please give the start time."))], description=_l("Cologne time.")
    )
    end_time = TimeField(_l("End time"), validators=[Optional()], description=_l("Optional. Cologne time."))
    place = _text(_l("Place"), PLACE_MAX, _l("Please give the place."), description=_l("Address and room."))
    accessibility = _long_text(
        _l("Accessibility of the venue"), description=_l("E.g. entrance, lift, toilets, quiet room.")
    )
    step_free = BooleanField(_l("Step-free access"))
    hearing_loop = BooleanField(_l("Hearing loop"))
    sign_language = BooleanField(_l("Sign-language interpretation"))
    registration_url = _text(
        _l("Registration link"), LINK_MAX, description=_l("Optional: an address starting with https:// or http://.")
    )
    contact = _text(_l("Contact"), CONTACT_MAX, description=_l("Optional: e.g. an e-mail address or phone number."))

    def validate_title_de(self, field):
        no_invisible_characters(self, field)

    def validate_registration_url(self, field):
        if not field.data:
            return
        parts = urlsplit(field.data)
        if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in field.data):
            raise ValidationError(_l("Please give a web address starting with https:// or http://."))

    def validate_end_time(self, field):
        if field.data and self.start_time.data and field.data <= self.start_time.data:
            raise ValidationError(_l("The end must lie after the start."))

    def fill(self, event: Event) -> None:
        for name in ("title_de", "title_en", "description_de", "description_en", "place", "accessibility"):
            getattr(self, name).data = getattr(event, name)
        for name in ("step_free", "hearing_loop", "sign_language", "registration_url", "contact"):
            getattr(self, name).data = getattr(event, name)
        start = event.starts_at.astimezone(CITY_TIME)
        self.day.data, self.start_time.data = start.date(), start.time().replace(second=0, microsecond=0)
        if event.ends_at is not None:
            self.end_time.data = event.ends_at.astimezone(CITY_TIME).time().replace(second=0, microsecond=0)

    def values(self) -> dict:
        values = {
            name: getattr(self, name).data or ""
            for name in ("title_de", "title_en", "description_de", "description_en", "place", "accessibility")
        }
        values |= {name: bool(getattr(self, name).data) for name in ("step_free", "hearing_loop", "sign_language")}
        values |= {"registration_url": self.registration_url.data or "", "contact": self.contact.data or ""}
        values["starts_at"] = _utc(self.day.data, self.start_time.data)
        values["ends_at"] = _utc(self.day.data, self.end_time.data) if self.end_time.data else None
        return values
