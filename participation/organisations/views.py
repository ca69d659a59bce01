"""Organisations: admins create them and verify who may speak for them; people ask to join
from their profile."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from participation.accounts.views import render_profile
from participation.core.access import contributor_refusal, permission_required
from participation.core.forms import EmptyForm
from participation.core.permissions import can_administer
from participation.extensions import db, limiter
from participation.organisations import services
from participation.organisations.forms import DecisionForm, JoinForm, OrganisationForm
from participation.organisations.models import REJECTED, REQUESTED, VERIFIED, Membership, Organisation

bp = Blueprint("organisations", __name__)


def get_organisation_or_404(organisation_id: int) -> Organisation:
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        abort(404)
    return organisation


# --- admins ----------------------------------------------------------------------------------


@bp.route("/admin/organisations", methods=["GET", "POST"])
@permission_required(can_administer)
def index():
    form = OrganisationForm()
    if form.validate_on_submit():
        if services.name_taken(form.name.data):
            form.name.errors.append(_("An organisation of this name exists already."))
        else:
            organisation = services.create(current_user, form.name.data, form.kind.data, form.description.data)
            try:
                db.session.commit()
            except IntegrityError:  # created by another admin a moment ago
                db.session.rollback()
                form.name.errors.append(_("An organisation of this name exists already."))
            else:
                flash(_("The organisation %(name)s is created.", name=organisation.name), "success")
                return redirect(url_for("organisations.detail", organisation_id=organisation.id), code=303)
    rows = db.session.execute(
        select(Organisation, func.count(Membership.id).filter(Membership.status == REQUESTED))
        .outerjoin(Membership)
        .group_by(Organisation.id)
        .order_by(Organisation.name)
    ).all()
    return render_template("organisations/index.html", rows=rows, form=form), 422 if form.errors else 200


@bp.route("/admin/organisations/<int:organisation_id>", methods=["GET", "POST"])
@permission_required(can_administer)
def detail(organisation_id: int):
    organisation = get_organisation_or_404(organisation_id)
    form = OrganisationForm(obj=organisation)
    if form.validate_on_submit():
        if services.name_taken(form.name.data, except_id=organisation.id):
            form.name.errors.append(_("An organisation of this name exists already."))
        else:
            services.change(current_user, organisation, form.name.data, form.kind.data, form.description.data)
            db.session.commit()
            flash(_("The organisation is saved."), "success")
            return redirect(url_for("organisations.detail", organisation_id=organisation.id), code=303)
    return render_template(
        "organisations/detail.html", organisation=organisation, form=form, decision_form=DecisionForm()
    ), 422 if form.errors else 200


@bp.route("/admin/organisations/memberships/<int:membership_id>", methods=["POST"])
@permission_required(can_administer)
def decide(membership_id: int):
    membership = db.session.get(Membership, membership_id)
    if membership is None:
        abort(404)
    form = DecisionForm()
    decision = request.form.get("decision", "")
    if not form.validate_on_submit() or decision not in (VERIFIED, REJECTED):
        abort(400)
    name = membership.user.display_name
    if services.decide(current_user, membership, decision, form.reason.data):
        db.session.commit()
        if decision == VERIFIED:
            flash(_("%(name)s may now speak for the organisation.", name=name), "success")
        else:
            flash(_("%(name)s may not speak for the organisation.", name=name), "success")
    else:
        flash(_("Nothing changed: this was decided already."), "info")
    return redirect(url_for("organisations.detail", organisation_id=membership.organisation_id), code=303)


# --- people ----------------------------------------------------------------------------------


@bp.route("/account/organisations", methods=["POST"])
@login_required
@limiter.limit("10 per hour")
def join():
    refusal = contributor_refusal()
    if refusal:
        return refusal
    form = JoinForm()
    form.set_organisations(db.session.scalars(select(Organisation).order_by(Organisation.name)))
    if form.validate_on_submit():
        organisation = get_organisation_or_404(int(form.organisation.data))
        membership = services.request_membership(current_user, organisation, form.note.data)
        try:
            db.session.commit()
        except IntegrityError:  # the same request sent twice at once: the first one counts
            db.session.rollback()
            return redirect(url_for("accounts.profile") + "#organisations", code=303)
        if membership.status == VERIFIED:
            flash(_("You are a verified member of %(name)s already.", name=organisation.name), "info")
        else:
            flash(
                _("Your request to join %(name)s is sent. An admin will verify it.", name=organisation.name), "success"
            )
        return redirect(url_for("accounts.profile") + "#organisations", code=303)
    return render_profile(join_form=form, status=422)


@bp.route("/account/organisations/<int:membership_id>/leave", methods=["POST"])
@login_required
def leave(membership_id: int):
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.user_id != current_user.id:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    name = membership.organisation.name
    services.leave(membership)
    db.session.commit()
    flash(_("You no longer speak for %(name)s.", name=name), "success")
    return redirect(url_for("accounts.profile") + "#organisations", code=303)
