"""Forms for organisations and memberships."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Length

from participation.core.forms import FlaskForm, choices, no_control_characters, no_invisible_characters, strip_filter
from participation.organisations.models import KINDS, NAME_MAX


class OrganisationForm(FlaskForm):
    name = StringField(
        _l("Name"),
        filters=[strip_filter],
        validators=[
            DataRequired(_l("Please give the organisation's name.")),
            Length(max=NAME_MAX, message=_l("A name has at most %(max)d characters.")),
            no_control_characters,
            no_invisible_characters,
        ],
        description=_l("As the organisation calls itself, e.g. RheinEnergie AG."),
    )
    kind = SelectField(_l("Kind"), choices=choices(KINDS))
    description = TextAreaField(
        _l("Description"),
        filters=[strip_filter],
        validators=[Length(max=2000, message=_l("At most %(max)d characters.")), no_control_characters],
        description=_l("Optional: one or two sentences on what the organisation does."),
        render_kw={"rows": 3},
    )


class JoinForm(FlaskForm):
    organisation = SelectField(_l("Organisation"), validate_choice=False)
    note = StringField(
        _l("Your role there"),
        filters=[strip_filter],
        validators=[
            DataRequired(_l("Please say what your role in the organisation is, so that it can be verified.")),
            Length(max=500, message=_l("At most %(max)d characters.")),
            no_control_characters,
        ],
        description=_l("For example: press office, professor at the faculty, board member. Only admins see it."),
    )

    def set_organisations(self, organisations) -> None:
        self.organisation.choices = [("", _l("Please choose"))] + [(str(o.id), o.name) for o in organisations]

    def validate_organisation(self, field):
        if field.data not in {value for value, _label in self.organisation.choices if value}:
            raise ValidationError(_l("Please choose an organisation."))


class DecisionForm(FlaskForm):
    reason = StringField(
        _l("Reason (optional, for the audit log)"),
        filters=[strip_filter],
        validators=[Length(max=500), no_control_characters],
    )


class SpeakAsForm(FlaskForm):
    """A form whose text a verified member may publish as their organisation's statement."""

    organisation = SelectField(
        _l("Write as"),
        validate_choice=False,
        description=_l("As a verified member you can publish this as your organisation's statement."),
    )

    def set_organisations(self, organisations, display_name: str) -> None:
        self.organisation.choices = [("", _l("myself (%(name)s)", name=display_name))] + [
            (str(organisation.id), organisation.name) for organisation in organisations
        ]

    def validate_organisation(self, field):
        if field.data and field.data not in {value for value, _label in self.organisation.choices or []}:
            field.data = ""
            raise ValidationError(_l("You can speak only for organisations that verified your membership."))

    @property
    def organisation_id(self) -> int | None:
        return int(self.organisation.data) if self.organisation.data else None

    @property
    def speaks_for_some(self) -> bool:
        return len(self.organisation.choices or []) > 1
