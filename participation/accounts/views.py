"""The user's own account: profile and password."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user
from sqlalchemy.exc import IntegrityError

from participation.accounts.forms import ChangePasswordForm, ProfileForm
from participation.accounts.models import canonical_display_name
from participation.auth import services
from participation.auth.views import account_form_limit
from participation.core.forms import EmptyForm
from participation.extensions import db, limiter

bp = Blueprint("accounts", __name__, url_prefix="/account")


@bp.route("/", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    name_taken = _("This display name is already taken. Please choose another.")
    if form.validate_on_submit():
        if services.display_name_taken(form.display_name.data, except_user=current_user):
            form.display_name.errors.append(name_taken)
        else:
            current_user.display_name = " ".join(form.display_name.data.split())
            current_user.display_name_canonical = canonical_display_name(form.display_name.data)
            current_user.stakeholder_group = form.stakeholder_group.data
            current_user.locale = form.locale.data
            try:
                db.session.commit()
            except IntegrityError:  # taken by someone else a moment ago
                db.session.rollback()
                form.display_name.errors.append(name_taken)
            else:
                flash(_("Your profile is saved."), "success")
                return redirect(url_for("accounts.profile"))
    status = 422 if form.errors else 200
    return render_template("accounts/profile.html", form=form, resend_form=EmptyForm()), status


@bp.route("/password", methods=["GET", "POST"])
@login_required
@limiter.limit(account_form_limit, methods=["POST"])
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current_password.data):
            form.current_password.errors.append(_("This is not your current password."))
        else:
            services.change_password(current_user, form.password.data)
            db.session.commit()
            # the session salt changed: sign this session in again, every other one is out
            login_user(current_user._get_current_object())
            flash(_("Your password is changed. Other devices are logged out."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/password.html", form=form), 422 if form.errors else 200
