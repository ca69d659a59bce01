"""Forms for offline sources and for the input recorded on their behalf."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from participation.accounts.models import STAKEHOLDER_GROUPS
from participation.comments.models import BODY_MAX as COMMENT_MAX
from participation.core.forms import (
    CalendarDateField,
    FlaskForm,
    choices,
    no_control_characters,
    no_invisible_characters,
    strip_filter,
)
from participation.drafts.models import TOPICS
from participation.events.models import NOTE_MAX, SOURCE_KINDS, SOURCE_NAME_MAX
from participation.proposals.models import BODY_MAX, DISTRICTS, TITLE_MAX

TOO_LONG = _l("At most %(max)d characters.")


class SourceForm(FlaskForm):
    kind = SelectField(_l("Kind of source"), choices=choices(SOURCE_KINDS))
    name = StringField(
        _l("Name"),
        filters=[strip_filter],
        validators=[
            DataRequired(_l("Please name the source.")),
            Length(max=SOURCE_NAME_MAX, message=TOO_LONG),
            no_control_characters,
            no_invisible_characters,
        ],
        description=_l("Shown with every contribution, e.g. “Workshop Chorweiler” or “Letter from a resident”."),
    )
    held_on = CalendarDateField(_l("Date"), validators=[DataRequired(_l("Please give the date."))])
    participants = IntegerField(
        _l("Number of participants"),
        validators=[Optional(), NumberRange(min=1, max=100_000, message=_l("Please give a number from 1."))],
        description=_l("Optional. Shown as information; it never counts as votes or supports."),
    )
    stakeholder_group = SelectField(_l("Whose view"), choices=choices(STAKEHOLDER_GROUPS), default="residents")
    event_id = SelectField(_l("Event"), validate_choice=False, description=_l("Optional: the event it came from."))
    note = TextAreaField(
        _l("Note"),
        filters=[strip_filter],
        validators=[Length(max=NOTE_MAX, message=TOO_LONG), no_control_characters],
        description=_l("Optional, for staff only: e.g. who moderated the workshop."),
        render_kw={"rows": 3},
    )

    def set_events(self, events) -> None:
        self.event_id.choices = [("", _l("none"))] + [(str(event.id), event.title_de) for event in events]

    def validate_event_id(self, field):
        if field.data and field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("Please choose an event from the list."))

    def values(self) -> dict:
        return {
            "kind": self.kind.data,
            "name": self.name.data,
            "held_on": self.held_on.data,
            "participants": self.participants.data,
            "stakeholder_group": self.stakeholder_group.data,
            "event_id": int(self.event_id.data) if self.event_id.data else None,
            "note": self.note.data or "",
        }


class RecordProposalForm(FlaskForm):
    title = StringField(
        _l("Title"),
        filters=[strip_filter],
        validators=[
            DataRequired(_l("Please give the proposal a title.")),
            Length(max=TITLE_MAX, message=TOO_LONG),
            no_control_characters,
        ],
    )
    body = TextAreaField(
        _l("Proposal"),
        filters=[strip_filter],
        validators=[
            DataRequired(_l("Please write down the proposal.")),
            Length(max=BODY_MAX, message=TOO_LONG),
            no_control_characters,
        ],
        description=_l("As the source put it; without names or other personal data."),
        render_kw={"rows": 8},
    )
    topic = SelectField(
        _l("Topic"),
        choices=choices(TOPICS, placeholder=_l("Please choose")),
        validators=[DataRequired(_l("Please choose the topic the proposal belongs to."))],
    )
    district = SelectField(_l("City district"), choices=choices(DISTRICTS, placeholder=_l("not tied to a place")))


class RecordCommentForm(FlaskForm):
    proposal_id = IntegerField(
        _l("Number of the proposal"),
        validators=[DataRequired(_l("Please give the number of the proposal.")), NumberRange(min=1)],
        description=_l("The comment is recorded on this proposal (its number is in its address)."),
    )
    body = TextAreaField(
        _l("Comment"),
        filters=[strip_filter],
        validators=[
            DataRequired(_l("Please write down the comment.")),
            Length(max=COMMENT_MAX, message=TOO_LONG),
            no_control_characters,
        ],
        description=_l("As the source put it; without names or other personal data."),
        render_kw={"rows": 5},
    )
