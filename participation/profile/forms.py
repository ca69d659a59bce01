"""Forms of the profile pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField
from wtforms.validators import ValidationError

from participation.accounts.models import LOCALES, STAKEHOLDER_GROUPS
from participation.auth.forms import (
    current_password_field,
    display_name_field,
    email_field,
    locale_choices,
    new_password_fields,
    stakeholder_field,
)
from participation.core.forms import FlaskForm, MultiCheckboxField, choices
from participation.mail.notifications import KINDS as NOTIFICATION_KINDS


class ProfileForm(FlaskForm):
    display_name = display_name_field()
    stakeholder_group = stakeholder_field()
    locale = SelectField(_l("Language"), choices=locale_choices(), render_kw={"autocomplete": "language"})

    def validate_stakeholder_group(self, field):
        if field.data not in STAKEHOLDER_GROUPS:
            raise ValidationError(_l("Please choose how you take part."))

    def validate_locale(self, field):
        if field.data not in LOCALES:
            raise ValidationError(_l("Please choose a language."))


class ChangePasswordForm(FlaskForm):
    current_password = current_password_field()
    password, password_confirm = new_password_fields()


class ChangeEmailForm(FlaskForm):
    """A new address for logging in and for mail; it counts once the link mailed to it is opened."""

    new_email = email_field(_l("New email address"))
    current_password = current_password_field(
        _l("So that nobody else can change your address on a device you left logged in.")
    )


class MailSettingsForm(FlaskForm):
    wanted = MultiCheckboxField(
        _l("Send me mail about"),
        choices=choices(NOTIFICATION_KINDS),
        description=_l("Mails about your account (confirmation, password, blocks) always go out."),
    )

    frequency = RadioField(
        _l("How often"),
        choices=choices(
            {
                "immediately": _l("each mail at once"),
                "daily": _l("one mail a day with everything new (digest)"),
                "weekly": _l("one mail a week with everything new (digest)"),
            }
        ),
        default="immediately",
    )

    def validate_wanted(self, field):
        if set(field.data or []) - set(NOTIFICATION_KINDS):
            raise ValidationError(_l("Please choose from the list."))
