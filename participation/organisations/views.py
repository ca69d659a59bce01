"""Organisations: admins create them and verify who may speak for them (people ask to join
from their profile: participation.profile.views)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from participation.core.access import follow_choice, permission_required
from participation.core.permissions import can_administer
from participation.extensions import db, limiter
from participation.organisations import following, services
from participation.organisations.forms import DecisionForm, OrganisationForm
from participation.organisations.loaders import get_organisation_or_404
from participation.organisations.models import REJECTED, REQUESTED, VERIFIED, Membership, Organisation

bp = Blueprint("organisations", __name__)


# --- admins ----------------------------------------------------------------------------------


@bp.route("/admin/organisations", methods=["GET", "POST"])
@permission_required(can_administer)
def index():
    form = OrganisationForm()
    if form.validate_on_submit():
        organisation = services.create_unless_taken(current_user, form.name.data, form.kind.data, form.description.data)
        if organisation is None:  # found before saving, or created by another admin a moment ago
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
        if decision == VERIFIED:
            flash(_("%(name)s may now speak for the organisation.", name=name), "success")
        else:
            flash(_("%(name)s may not speak for the organisation.", name=name), "success")
    else:
        flash(_("Nothing changed: this was decided already."), "info")
    return redirect(url_for("organisations.detail", organisation_id=membership.organisation_id), code=303)


# --- following (the organisation's public page includes _macros/follow.html) ---------------------


@bp.route("/organisations/<int:organisation_id>/follow", methods=["POST"])
@login_required
@limiter.limit("60 per minute")
def follow(organisation_id: int):
    organisation = get_organisation_or_404(organisation_id)
    choice, refusal = follow_choice()
    if refusal:
        return refusal
    if choice == "follow":
        following.follow(current_user, organisation)
        flash(_("You follow this organisation: you will hear of its new statements."), "success")
    else:
        following.unfollow(current_user, organisation)
        flash(_("You no longer follow this organisation."), "success")
    # the organisation's public page (its address is /organisations/<id>)
    return redirect(url_for("organisation_pages.show", organisation_id=organisation.id) + "#follow", code=303)
