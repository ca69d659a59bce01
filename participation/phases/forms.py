"""The form an admin fills in for a phase. Start and end are entered as day and time in
Cologne's time and stored in UTC; the rules a phase must keep are checked in one place
(participation.phases.services.problems), and their messages are shown at these fields."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import Length, Optional

from participation.core.forms import (
    CalendarDateField,
    FlaskForm,
    MultiCheckboxField,
    choices,
    no_control_characters,
    strip_filter,
)
from participation.core.i18n import CITY_TIME
from participation.phases.models import Phase
from participation.phases.services import TITLE_MAX, PhaseValues

DESCRIPTION_MAX = 2000
OPENS_LABELS = {
    "proposals": _l("Proposals"),
    "supports": _l("Supporting proposals"),
    "measure_comments": _l("Commenting on measures"),
    "draft_comments": _l("Comments on the draft"),
    "draft_votes": _l("Voting on the draft"),
}
# a field of the service's rules -> the field of this form its message is shown at
SHOWN_AT = {"starts_at": "start_date", "ends_at": "end_date"}


class PhaseForm(FlaskForm):
    title_de = StringField(
        _l("Title (German)"),
        filters=[strip_filter],
        render_kw={"lang": "de"},
        validators=[Length(max=TITLE_MAX), no_control_characters],
    )
    title_en = StringField(
        _l("Title (English)"),
        filters=[strip_filter],
        render_kw={"lang": "en"},
        validators=[Length(max=TITLE_MAX), no_control_characters],
    )
    description_de = TextAreaField(
        _l("Description (German)"),
        filters=[strip_filter],
        validators=[Length(max=DESCRIPTION_MAX)],
        render_kw={"rows": 3, "lang": "de"},
    )
    description_en = TextAreaField(
        _l("Description (English)"),
        filters=[strip_filter],
        validators=[Length(max=DESCRIPTION_MAX)],
        render_kw={"rows": 3, "lang": "en"},
    )
    start_date = CalendarDateField(_l("Start day"), validators=[Optional()])
    start_time = TimeField(
        _l("Start time"), validators=[Optional()], description=_l("Cologne time. Without a time: from 0:00.")
    )
    end_date = CalendarDateField(
        _l("End day"), validators=[Optional()], description=_l("Leave empty for a phase without a planned end.")
    )
    end_time = TimeField(
        _l("End time"),
        validators=[Optional()],
        description=_l("Cologne time. Without a time: until the end of the day."),
    )
    opens = MultiCheckboxField(
        _l("What the phase opens"),
        choices=choices(OPENS_LABELS),
        description=_l("Outside a running phase that opens it, an action is closed."),
    )
    version_id = SelectField(
        _l("Version of the draft"),
        default="",
        description=_l(
            "Comments and votes open on this version only, and only while it is open for comments. "
            "Without comments or votes the phase names no version."
        ),
    )

    def set_versions(self, versions: dict[int, str]) -> None:
        """The versions to choose from, {id: label}, given by the view (the draft sits above phases)."""
        self.version_id.choices = choices({str(key): label for key, label in versions.items()}, _l("no version"))

    def fill(self, phase: Phase) -> None:
        """Show a stored phase (on GET): its moments in Cologne's time."""
        for name in ("title_de", "title_en", "description_de", "description_en"):
            getattr(self, name).data = getattr(phase, name)
        start = phase.starts_at.astimezone(CITY_TIME)
        self.start_date.data, self.start_time.data = start.date(), start.time().replace(second=0, microsecond=0)
        if phase.ends_at is not None:
            end = phase.ends_at.astimezone(CITY_TIME)
            self.end_date.data, self.end_time.data = end.date(), end.time().replace(second=0, microsecond=0)
        self.opens.data = phase.opened_actions
        self.version_id.data = str(phase.version_id) if phase.version_id else ""

    def values(self) -> PhaseValues:
        start = end = None
        if self.start_date.data:
            start = _utc(self.start_date.data, self.start_time.data or time(0, 0))
        if self.end_date.data:
            end = _utc(self.end_date.data, self.end_time.data) if self.end_time.data else None
            if end is None:  # the end of that day: midnight after it, in Cologne
                end = _utc(self.end_date.data + timedelta(days=1), time(0, 0))
        return PhaseValues(
            title_de=self.title_de.data or "",
            title_en=self.title_en.data or "",
            description_de=self.description_de.data or "",
            description_en=self.description_en.data or "",
            starts_at=start,
            ends_at=end,
            opens=set(self.opens.data or []),
            version_id=_number(self.version_id.data),
        )

    def show_problems(self, problems: dict[str, list[str]]) -> None:
        """The rules' messages, each at the field it is about; a field whose input could not even
        be read keeps that message alone."""
        for name, messages in problems.items():
            field = self[SHOWN_AT.get(name, name)]
            if not field.errors:
                field.errors = list(messages)


def _utc(day, moment: time) -> datetime:
    return datetime.combine(day, moment, CITY_TIME).astimezone(UTC)


def _number(value) -> int | None:
    """The version's id as sent, or None for anything that is no number (the choice check says so
    at the field; the rules still run, to show every message at once)."""
    try:
        return int(value) if value else None
    except (TypeError, ValueError):
        return None
