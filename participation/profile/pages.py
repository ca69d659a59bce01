"""The profile page with its forms, rendered by the profile views, also when one of its forms
(profile, change of address, mail settings, joining an organisation) was sent with errors."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user
from sqlalchemy import select

from participation.announcements import subscriptions as announcements
from participation.announcements.forms import SubscribeForm
from participation.auth import address
from participation.core.forms import EmptyForm
from participation.extensions import db
from participation.mail import digest, notifications
from participation.organisations.forms import JoinForm
from participation.organisations.models import REJECTED, Membership, Organisation
from participation.profile.forms import ChangeEmailForm, MailSettingsForm, ProfileForm

_AUTO = object()  # the form reads the request, as FlaskForm does by default


def profile_form(formdata=_AUTO) -> ProfileForm:
    """The profile form; without the display name while the account is blocked, so that nobody
    can shed the name others know them by during a block."""
    form = ProfileForm(obj=current_user) if formdata is _AUTO else ProfileForm(obj=current_user, formdata=formdata)
    if current_user.is_blocked:
        del form.display_name
    return form


def render_profile(form=None, join_form=None, mail_form=None, email_form=None, status=200):
    """The profile page, with the forms as they were sent when one of them has errors."""
    organisations = list(db.session.scalars(select(Organisation).order_by(Organisation.name)))
    memberships = list(
        db.session.scalars(
            select(Membership).where(Membership.user_id == current_user.id).order_by(Membership.requested_at)
        )
    )
    if join_form is None:  # a form sent with errors keeps the choices it was checked against
        join_form = JoinForm(formdata=None)
        taken = {m.organisation_id for m in memberships if m.status != REJECTED}  # asking again after a refusal
        join_form.set_organisations([o for o in organisations if o.id not in taken])
    return render_template(
        "profile/profile.html",
        form=form or profile_form(formdata=None),
        resend_form=EmptyForm(formdata=None),
        join_form=join_form,
        memberships=memberships,
        leave_form=EmptyForm(formdata=None),
        mail_form=mail_form or _mail_settings(),
        # not offered while the account is blocked (profile.change_email says why)
        email_form=None if current_user.is_blocked else email_form or ChangeEmailForm(formdata=None),
        pending_email=address.pending_email(current_user),
        pending_until=address.pending_until(current_user) if current_user.pending_email_requested_at else None,
        announcement_subscription=announcements.subscription_of(current_user),
        subscribe_form=SubscribeForm(formdata=None),
        empty_form=EmptyForm(formdata=None),
    ), status


def _mail_settings() -> MailSettingsForm:
    stopped = notifications.stopped_kinds(current_user)
    return MailSettingsForm(
        formdata=None,
        wanted=[kind for kind in notifications.KINDS if kind not in stopped],
        frequency=digest.frequency_of(current_user),
    )
