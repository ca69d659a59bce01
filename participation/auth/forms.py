"""Forms of the account pages; labels use lazy_gettext so they follow the request's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, ValidationError

from participation.accounts.models import DISPLAY_NAME_MAX, EMAIL_MAX, LOCALES, STAKEHOLDER_GROUPS
from participation.auth import passwords
from participation.core.forms import FlaskForm, choices, no_control_characters, no_invisible_characters, strip_filter

PASSWORD_MIN = 10
PASSWORD_MAX = 200


def stakeholder_choices():
    return choices(STAKEHOLDER_GROUPS, placeholder=_l("Please choose"))


def locale_choices():
    return [SelectChoice(value, label, render_kw={"lang": value}) for value, label in LOCALES.items()]


def email_field(label=None):
    return EmailField(
        label or _l("Email address"),
        filters=[strip_filter],
        validators=[
            DataRequired(_l("Please enter your email address.")),
            Length(max=EMAIL_MAX, message=_l("An email address has at most %(max)d characters.")),
            Email(_l("Please enter a valid email address, such as name@example.org."), check_deliverability=False),
        ],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )


def new_password_fields():
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(_l("Please choose a password.")),
            Length(
                min=PASSWORD_MIN,
                max=PASSWORD_MAX,
                message=_l("The password needs between %(min)d and %(max)d characters."),
            ),
            not_too_easy,
        ],
        description=_l("At least %(min)d characters. A sentence you can remember works well.", min=PASSWORD_MIN),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[
            DataRequired(_l("Please repeat the password.")),
            EqualTo("password", message=_l("The two passwords are not the same.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    return password, confirm


def not_too_easy(form, field):
    if field.errors:  # too short or too long already says what to change
        return
    if passwords.too_easy(field.data or ""):
        raise ValidationError(
            _l(
                "This password is too easy to guess: it is one of the most common passwords, or one "
                "character repeated, or a simple run such as abcdef or 123456. Please choose another; "
                "a sentence you can remember works well."
            )
        )


def display_name_field():
    return StringField(
        _l("Display name"),
        filters=[strip_filter],
        validators=[
            DataRequired(_l("Please choose a display name.")),
            Length(
                min=3, max=DISPLAY_NAME_MAX, message=_l("A display name has between %(min)d and %(max)d characters.")
            ),
            no_control_characters,
            no_invisible_characters,
            no_email_as_display_name,
        ],
        description=_l(
            "Shown with everything you write. You may use a pseudonym; please do not use your email address."
        ),
        render_kw={"autocomplete": "nickname"},
    )


def no_email_as_display_name(form, field):
    if "@" in (field.data or ""):
        raise ValidationError(_l("A display name cannot contain @, so that no email address is shown."))


def stakeholder_field(required: bool = True):
    """With required=False, a form posted without the field keeps the value the form was made
    with (its object's); a value that is posted is checked all the same (validate_...)."""
    return SelectField(
        _l("I take part as"),
        choices=stakeholder_choices(),
        validators=[InputRequired(_l("Please choose how you take part."))] if required else [],
        description=_l("Used only for figures by group (for example: what residents and businesses think)."),
    )


class RegisterForm(FlaskForm):
    email = email_field()
    display_name = display_name_field()
    stakeholder_group = stakeholder_field()
    password, password_confirm = new_password_fields()
    accept_terms = BooleanField(
        _l("I have read the privacy notice and accept the terms of use."),
        validators=[DataRequired(_l("Please accept the privacy notice and the terms of use to register."))],
    )

    def validate_stakeholder_group(self, field):
        if field.data not in STAKEHOLDER_GROUPS:
            raise ValidationError(_l("Please choose how you take part."))


class LoginForm(FlaskForm):
    email = email_field()
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Please enter your password.")), Length(max=PASSWORD_MAX)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Stay logged in on this device"))
    next = HiddenField()


def current_password_field(description=None):
    return PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Please enter your current password.")), Length(max=PASSWORD_MAX)],
        description=description,
        render_kw={"autocomplete": "current-password"},
    )


class ConfirmEmailChangeForm(FlaskForm):
    """Confirming a new address. Opened on a device where the account is not logged in, the link
    also asks for the account's password (the view removes the field otherwise): an address
    mistyped into someone else's inbox must not hand them the account."""

    password = PasswordField(
        _l("Password of the account"),
        validators=[DataRequired(_l("Please enter your password.")), Length(max=PASSWORD_MAX)],
        render_kw={"autocomplete": "current-password"},
    )


class ForgotPasswordForm(FlaskForm):
    email = email_field()


class ResetPasswordForm(FlaskForm):
    password, password_confirm = new_password_fields()


class ConfirmForm(ResetPasswordForm):
    """Confirming an address: whoever registered it first chose the display name and the group,
    so the owner sees them here and may change them before they take the account on. A field
    left out of the post (a client other than the page's form) keeps the registered value."""

    display_name = display_name_field()
    stakeholder_group = stakeholder_field(required=False)

    def validate_stakeholder_group(self, field):
        if field.data not in STAKEHOLDER_GROUPS:
            raise ValidationError(_l("Please choose how you take part."))
