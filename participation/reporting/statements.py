"""The advisory boards' official statements on interim reports and published versions."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from participation.core.access import refuse
from participation.core.forms import FlaskForm, no_control_characters
from participation.extensions import limiter
from participation.reporting import advice
from participation.reporting.models import STATEMENT_MAX

bp = Blueprint("statements", __name__, url_prefix="/statements")


class StatementForm(FlaskForm):
    body = TextAreaField(
        _l("The board's statement"),
        validators=[
            DataRequired(_l("Please write the statement.")),
            Length(max=STATEMENT_MAX, message=_l("A statement has at most %(max)d characters.")),
            no_control_characters,
        ],
        description=_l("Markdown works: *italic*, **bold**, lists with -. It is published with the board's name."),
        render_kw={"rows": 14},
    )


def _write(organisation, action: str, back: str, subject_title: str, report=None, version=None):
    if not advice.can_state(current_user, organisation):
        return refuse(_("Only the verified members of %(name)s can write its statement.", name=organisation.name))
    existing = advice.statement_of(organisation, report, version)
    form = StatementForm(data={"body": existing.body if existing else ""})
    if form.validate_on_submit():
        advice.publish_statement(current_user, organisation, form.body.data, report=report, version=version)
        if existing is None:
            flash(_("The statement of %(name)s is published.", name=organisation.name), "success")
        else:
            flash(_("The statement of %(name)s is changed.", name=organisation.name), "success")
        return redirect(back, code=303)
    return render_template(
        "reporting/statement_form.html",
        form=form,
        organisation=organisation,
        existing=existing,
        subject_title=subject_title,
        action=action,
        back=back,
    ), 422 if form.errors else 200


@bp.route("/report/<int:report_id>/board/<int:organisation_id>", methods=["GET", "POST"])
@login_required
@limiter.limit("30 per hour", methods=["POST"])
def on_report(report_id: int, organisation_id: int):
    report = advice.public_report_or_404(report_id)
    organisation = advice.board_or_404(organisation_id)
    here = url_for("statements.on_report", report_id=report.id, organisation_id=organisation.id)
    back = url_for("reports.show", report_id=report.id) + "#statements"
    title = _("the interim report “%(title)s”", title=report.localized("title", str(get_locale())))
    return _write(organisation, here, back, title, report=report)


@bp.route("/version/<int:number>/board/<int:organisation_id>", methods=["GET", "POST"])
@login_required
@limiter.limit("30 per hour", methods=["POST"])
def on_version(number: int, organisation_id: int):
    version = advice.public_version_or_404(number)
    organisation = advice.board_or_404(organisation_id)
    here = url_for("statements.on_version", number=version.number, organisation_id=organisation.id)
    back = url_for("drafts.version", number=version.number) + "#statements"
    title = _("version %(number)d of the plan, “%(title)s”", number=version.number, title=version.title)
    return _write(organisation, here, back, title, version=version)
