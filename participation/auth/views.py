"""Account pages: register, confirm, log in and out, forgotten password."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from participation.accounts.models import LOCALES, set_display_name
from participation.accounts.names import refuse_taken_name, save_unless_name_taken
from participation.auth import address, revert, services, throttle
from participation.auth.forms import (
    ConfirmEmailChangeForm,
    ConfirmForm,
    ForgotPasswordForm,
    LoginForm,
    RegisterForm,
    ResetPasswordForm,
)
from participation.auth.limits import (
    account_form_limit,
    current_user_key,
    email_and_address,
    failed,
    login_limit,
    mail_limit,
)
from participation.auth.tokens import TokenExpired, TokenInvalid
from participation.core.access import refuse
from participation.core.forms import EmptyForm
from participation.core.security import safe_next
from participation.core.transaction import flush_unless_refused
from participation.extensions import client_address, limiter

bp = Blueprint("auth", __name__)


def blocked_message(user) -> str:
    if user.blocked_until is None:
        return _(
            "Your account is blocked until further notice. Reason: %(reason)s",
            reason=user.blocked_reason or _("none given"),
        )
    return _(
        "Your account is blocked until %(until)s. Reason: %(reason)s",
        until=format_datetime(user.blocked_until, "short"),
        reason=user.blocked_reason or _("none given"),
    )


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(account_form_limit, methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = RegisterForm()
    # whether an email address has an account is never said (services.register mails its owner)
    if form.validate_on_submit() and not refuse_taken_name(form.display_name):
        done = flush_unless_refused(
            lambda: services.register(
                form.email.data,
                form.display_name.data,
                form.password.data,
                form.stakeholder_group.data,
                str(get_locale()),
            )
        )
        if not done:
            # someone else took the name or the address between our check and our insert (the
            # request's changes are undone)
            owner = services.find_user_by_email(form.email.data)
            done = not refuse_taken_name(form.display_name) and owner is not None
            if done:  # the address: its owner is told, the answer is the same as for a new account
                services.refer_to_owner(owner, form.display_name.data)
        if done:
            # not logged in: a new account and an existing one must get the same answer
            flash(
                _(
                    "Thank you! We have sent a mail to %(email)s. Please confirm your address "
                    "first with the link in it; there you choose your password, and then you "
                    "can log in.",
                    email=form.email.data.strip().lower(),
                ),
                "success",
            )
            return redirect(url_for("auth.login"))
    return render_template("auth/register.html", form=form), 200 if not form.errors else 422


@bp.route("/confirm/<token>", methods=["GET", "POST"])
@limiter.limit(account_form_limit, methods=["POST"])
def confirm_email(token: str):
    """The mailed link confirms the address together with a password chosen here (see
    services.confirm_email for why the one given at registration does not count)."""
    try:
        user = services.user_for_confirmation_token(token)
    except TokenExpired:
        return render_template("auth/confirm_failed.html", expired=True, form=EmptyForm()), 400
    except TokenInvalid:
        return render_template("auth/confirm_failed.html", expired=False, form=EmptyForm()), 400
    if user.email_confirmed:
        flash(_("Your email address is confirmed already."), "info")
        if current_user.is_authenticated and current_user.id == user.id:
            return redirect(url_for("main.home"))
        return redirect(url_for("auth.login"))
    form = ConfirmForm(obj=user)
    if form.validate_on_submit() and not refuse_taken_name(form.display_name, user):
        set_display_name(user, form.display_name.data)  # audited when it changes
        user.stakeholder_group = form.stakeholder_group.data
        services.confirm_email(user, form.password.data)
        if save_unless_name_taken(form.display_name):
            logout_user()
            flash(_("Thank you, your email address is confirmed. Please log in with your new password."), "success")
            return redirect(url_for("auth.login"))
    form.password.data = form.password_confirm.data = ""
    language = LOCALES.get(user.locale, user.locale)
    return render_template("auth/confirm.html", form=form, language=language), 422 if form.errors else 200


@bp.route("/confirm/resend", methods=["POST"])
@login_required
@limiter.limit(account_form_limit)
@limiter.limit(mail_limit, key_func=current_user_key)
def resend_confirmation():
    form = EmptyForm()
    if form.validate_on_submit() and not current_user.email_confirmed:
        services.send_confirmation(current_user)
        flash(_("We have sent a new confirmation link to %(email)s.", email=current_user.email), "success")
    return redirect(url_for("profile.profile"))


@bp.route("/email/confirm/<token>", methods=["GET", "POST"])
@limiter.limit(account_form_limit, methods=["POST"])
def confirm_email_change(token: str):
    """The link mailed to a new address (participation.auth.address): the page says what changes,
    its button confirms. On a device where the account is not logged in, it asks for the
    account's password as well."""
    try:
        user = address.user_for_change_token(token)
    except TokenExpired:
        return render_template("auth/email_change_failed.html", reason="expired"), 400
    except TokenInvalid:
        return render_template("auth/email_change_failed.html", reason="invalid"), 400
    if user.is_blocked:
        return refuse(_("While your account is blocked, you cannot change your email address."))
    if address.taken_by_another(user):
        return render_template("auth/email_change_failed.html", reason="taken"), 409
    own = current_user.is_authenticated and current_user.id == user.id
    form = ConfirmEmailChangeForm()
    if own:
        del form.password
    new_email = user.pending_email
    if form.validate_on_submit():
        if not own:
            # guessing the password here counts as at the login, under the account's address
            where = client_address()
            wait = throttle.refused(user.email, where)
            if wait:
                page = render_template("auth/login_refused.html", minutes=-(-wait // 60))
                return page, 429, {"Retry-After": str(wait)}
        try:  # locked until the answer: a second submit or a new password waits, then finds the link void
            address.user_for_change_token(token, lock=True)
        except TokenInvalid:
            return render_template("auth/email_change_failed.html", reason="invalid"), 400
        if not own and not user.check_password(form.password.data):
            throttle.record_failure(user.email, where)
            form.password.errors.append(_("This is not the password of the account."))
        elif not address.confirm_change(user):  # another account took the address a moment ago
            return render_template("auth/email_change_failed.html", reason="taken"), 409
        elif own:
            login_user(user)  # the session salt changed: this device stays in, every other one is out
            flash(_("Your email address is now %(email)s. Other devices are logged out.", email=new_email), "success")
            return redirect(url_for("profile.profile"))
        else:
            flash(_("Your email address is now %(email)s. Please log in with it.", email=new_email), "success")
            return redirect(url_for("auth.login"))
    return render_template(
        "auth/email_change.html", form=form, new_email=new_email, name=user.display_name
    ), 422 if form.errors else 200


@bp.route("/email/revert/<token>", methods=["GET", "POST"])
@limiter.limit(account_form_limit, methods=["POST"])
def revert_email_change(token: str):
    """The link in the notice to the previous address (participation.auth.revert): the page says
    what happens, its button gives the address back and leads on to choosing a new password."""
    try:
        user, old_email, change = revert.change_to_revert(token)
    except TokenExpired:
        return render_template("auth/email_revert_failed.html", reason="expired"), 400
    except TokenInvalid:
        return render_template("auth/email_revert_failed.html", reason="invalid"), 400
    form = EmptyForm()
    if form.validate_on_submit():
        try:  # locked until the answer: of two at once, the second finds the link used
            user, old_email, change = revert.change_to_revert(token, lock=True)
        except TokenInvalid:
            return render_template("auth/email_revert_failed.html", reason="invalid"), 400
        if not revert.revert_change(user, old_email, change):
            return render_template("auth/email_revert_failed.html", reason="taken"), 409
        logout_user()
        flash(
            _(
                "The account's email address is %(email)s again, and every device is logged out. "
                "Please choose a new password now.",
                email=old_email,
            ),
            "success",
        )
        return redirect(url_for("auth.reset_password", token=services.reset_token(user)))
    if revert.taken_by_another(user, old_email):
        return render_template("auth/email_revert_failed.html", reason="taken"), 409
    return render_template("auth/email_revert.html", form=form, old_email=old_email, name=user.display_name)


@bp.route("/login", methods=["GET", "POST"])
# per client address and per account from that address; the failures per account from all
# addresses together are counted in throttle.py, where they cannot lock the owner out
@limiter.limit(login_limit, methods=["POST"], deduct_when=failed)
@limiter.limit(login_limit, methods=["POST"], key_func=email_and_address, deduct_when=failed)
def login():
    form = LoginForm(next=request.args.get("next", ""))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next(form.next.data, url_for("main.home")))
    status = 200
    if form.validate_on_submit():
        address = client_address()
        wait = throttle.refused(form.email.data, address)
        if wait:
            minutes = -(-wait // 60)
            page = render_template("auth/login_refused.html", minutes=minutes)
            return page, 429, {"Retry-After": str(wait)}
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            if user.is_blocked:
                flash(blocked_message(user), "error")
            else:
                flash(_("You are logged in."), "success")
            return redirect(safe_next(form.next.data, url_for("main.home")))
        throttle.record_failure(form.email.data, address)
        form.password.errors.append(
            _(
                "The email address or password is not right, or the address has not been "
                "confirmed yet: please use the link we mailed you. No link, or it has expired? "
                "“Forgot your password?” below sends you a new one."
            )
        )
        status = 422
    elif form.errors:
        status = 422
    form.password.data = ""
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout():
    form = EmptyForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            # a copy of this session's cookie or of a remember-me cookie must not live on
            current_user.end_sessions()
        logout_user()
        flash(_("You are logged out, on this and every other device."), "success")
    return redirect(url_for("main.home"))


@bp.route("/password/forgot", methods=["GET", "POST"])
# per client address only: a limit per account would let strangers block the owner's own
# reset mail; the service sends one mail per account and ACCOUNT_MAIL_INTERVAL instead
@limiter.limit(account_form_limit, methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        return render_template("auth/forgot_sent.html", email=form.email.data)
    return render_template("auth/forgot.html", form=form), 422 if form.errors else 200


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit(account_form_limit, methods=["POST"])
def reset_password(token: str):
    try:
        user = services.user_for_reset_token(token)
    except TokenExpired:
        return render_template("auth/reset_failed.html", expired=True), 400
    except TokenInvalid:
        return render_template("auth/reset_failed.html", expired=False), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.reset_password(user, form.password.data)
        logout_user()
        flash(_("Your new password is set. Please log in with it."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form), 422 if form.errors else 200
