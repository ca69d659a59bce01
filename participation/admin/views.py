"""Administration pages: users, roles, blocks, editable pages, settings, the audit log."""

from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from participation.accounts import blocking
from participation.accounts.models import User, canonical_display_name
from participation.admin import services
from participation.admin.forms import (
    AuditFilterForm,
    BlockForm,
    ModerationSettingsForm,
    RolesForm,
    UserSearchForm,
)
from participation.admin.legal_forms import fact_data, fact_values, page_form_class
from participation.core.access import permission_required
from participation.core.audit import ModerationDecision
from participation.core.exports import csv_text
from participation.core.forms import EmptyForm
from participation.core.pagination import paginate
from participation.core.permissions import can_administer, can_block, can_manage_roles
from participation.core.settings import DEFAULTS, all_settings, change_settings
from participation.extensions import db
from participation.pages import legal
from participation.pages.models import Page

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@permission_required(can_administer)
def _admins_only():
    """Every page here is for admins; the decorator answers for everybody else."""


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@bp.route("/")
def index():
    return render_template("admin/index.html")


@bp.route("/users")
def users():
    search = UserSearchForm(request.args)
    statement = select(User).order_by(User.created_at.desc(), User.id.desc())
    if search.validate() and search.q.data:
        name_pattern = f"%{_escape_like(canonical_display_name(search.q.data))}%"
        email_pattern = f"%{_escape_like(search.q.data.lower())}%"
        statement = statement.where(
            or_(
                User.display_name_canonical.like(name_pattern, escape="\\"), User.email.like(email_pattern, escape="\\")
            )
        )
    page = paginate(statement, per_page=25)
    return render_template("admin/users.html", page=page, search=search)


def get_user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/users/<int:user_id>")
def user(user_id: int):
    target = get_user_or_404(user_id)
    return _render_user(target)


def _render_user(target, roles_form=None, block_form=None, status=200):
    roles_form = roles_form or RolesForm(roles=sorted(target.roles))
    block_form = block_form or BlockForm()
    decisions = db.session.scalars(
        select(ModerationDecision)
        .where(ModerationDecision.target_type == "user", ModerationDecision.target_id == target.id)
        .order_by(ModerationDecision.created_at.desc())
        .limit(20)
    ).all()
    return render_template(
        "admin/user.html",
        target=target,
        roles_form=roles_form,
        block_form=block_form,
        unblock_form=EmptyForm(),
        decisions=decisions,
    ), status


@bp.route("/users/<int:user_id>/roles", methods=["POST"])
def user_roles(user_id: int):
    target = get_user_or_404(user_id)
    if not can_manage_roles(current_user, target):
        abort(403)
    form = RolesForm()
    if form.validate_on_submit():
        if services.set_roles(current_user, target, set(form.roles.data or [])):
            flash(_("The roles of %(name)s are saved.", name=target.display_name), "success")
        else:
            flash(_("Nothing changed."), "info")
        return redirect(url_for("admin.user", user_id=target.id))
    return _render_user(target, roles_form=form, status=422)


@bp.route("/users/<int:user_id>/block", methods=["POST"])
def user_block(user_id: int):
    target = get_user_or_404(user_id)
    if not can_block(current_user, target):
        abort(403)
    form = BlockForm()
    if form.validate_on_submit():
        blocking.block_user(current_user, target, form.reason.data, form.until_utc())
        flash(_("%(name)s is blocked.", name=target.display_name), "success")
        return redirect(url_for("admin.user", user_id=target.id))
    return _render_user(target, block_form=form, status=422)


@bp.route("/users/<int:user_id>/unblock", methods=["POST"])
def user_unblock(user_id: int):
    target = get_user_or_404(user_id)
    if not can_block(current_user, target):
        abort(403)
    form = EmptyForm()
    if form.validate_on_submit() and target.blocked_at is not None:
        blocking.unblock_user(current_user, target)
        flash(_("%(name)s is no longer blocked.", name=target.display_name), "success")
    return redirect(url_for("admin.user", user_id=target.id))


@bp.route("/settings", methods=["GET", "POST"])
def settings():
    form = ModerationSettingsForm(data=all_settings())
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in DEFAULTS}
        if change_settings(current_user, values):
            flash(_("The settings are saved."), "success")
        else:
            flash(_("Nothing was changed."), "info")
        return redirect(url_for("admin.settings"), code=303)
    return render_template("admin/settings.html", form=form), 422 if form.errors else 200


@bp.route("/pages")
def pages():
    rows = db.session.scalars(select(Page).order_by(Page.slug)).all()
    return render_template("admin/pages.html", pages=rows)


@bp.route("/pages/<slug>", methods=["GET", "POST"])
def page_edit(slug: str):
    page = db.session.scalar(select(Page).where(Page.slug == slug))
    if page is None:
        abort(404)
    form = page_form_class(slug)(obj=page, data=fact_data(legal.legal_values(slug), slug))
    if form.validate_on_submit():
        for name in ("title_de", "title_en", "body_de", "body_en"):
            getattr(form, name).populate_obj(page, name)
        page.updated_by_id = current_user.id
        # the facts of a legal page are settings: a change goes into the audit log
        change_settings(current_user, fact_values(form, slug))
        flash(_("The page is saved."), "success")
        return redirect(url_for("pages.show", slug=page.slug))
    facts = [getattr(form, fact.name) for fact in legal.legal_fields(slug)]
    return render_template(
        "admin/page_edit.html", page=page, form=form, facts=facts, missing=legal.missing_fields(slug)
    ), 422 if form.errors else 200


AUDIT_PER_PAGE = 50
AUDIT_CSV_MAX = 100_000  # rows in one download; narrow the filters for more


def _audit_statement(form: AuditFilterForm):
    statement = select(ModerationDecision).options(joinedload(ModerationDecision.actor).lazyload(User.role_rows))
    if form.action.data:
        statement = statement.where(ModerationDecision.action == form.action.data)
    if form.target_type.data:
        statement = statement.where(ModerationDecision.target_type == form.target_type.data)
    since, until = form.bounds_utc()
    if since:
        statement = statement.where(ModerationDecision.created_at >= since)
    if until:
        statement = statement.where(ModerationDecision.created_at <= until)
    return statement.order_by(ModerationDecision.created_at.desc(), ModerationDecision.id.desc())


def _audit_filters() -> AuditFilterForm:
    form = AuditFilterForm(request.args)
    form.set_choices()
    form.validate()
    return form


@bp.route("/audit")
def audit():
    """The audit log, newest first, with filters; it is only ever appended to."""
    form = _audit_filters()
    page = paginate(_audit_statement(form), per_page=AUDIT_PER_PAGE)
    filters = {name: value for name, value in request.args.items() if name in form.data and name != "page"}
    return render_template("admin/audit.html", form=form, page=page, filters=filters), 422 if form.errors else 200


@bp.route("/audit.csv")
def audit_csv():
    form = _audit_filters()
    decisions = db.session.scalars(_audit_statement(form).limit(AUDIT_CSV_MAX))
    header = ["time (UTC)", "actor", "action", "target type", "target id", "reason", "note", "before", "after"]
    rows = (
        (
            decision.created_at.isoformat(timespec="seconds"),
            decision.actor.display_name if decision.actor else "",
            decision.action,
            decision.target_type,
            decision.target_id,
            decision.reason,
            decision.note,
            decision.state_before,
            decision.state_after,
        )
        for decision in decisions
    )
    response = make_response(csv_text(header, rows))
    response.mimetype = "text/csv"
    response.headers["Content-Disposition"] = "attachment; filename=audit-log.csv"
    return response
