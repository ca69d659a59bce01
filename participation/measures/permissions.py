"""Who may see and change measures: planners (the coordinating unit) change all of them, the
verified members of an organisation the measures it is responsible for. Drafts are seen by
their editors only."""

from __future__ import annotations

from flask import Flask, g, has_request_context
from sqlalchemy import select

from participation.core.permissions import can_plan, is_user
from participation.core.templating import add_template_predicates
from participation.extensions import db
from participation.organisations.models import VERIFIED, Membership


def responsible_for(user) -> frozenset[int]:
    """The organisations whose measures `user` edits as a verified member (once per request)."""
    if not is_user(user) or user.is_blocked:
        return frozenset()
    cached = g.get("measure_organisations") if has_request_context() else None
    if cached is not None and cached[0] == user.id:
        return cached[1]
    found = frozenset(
        db.session.scalars(
            select(Membership.organisation_id).where(Membership.user_id == user.id, Membership.status == VERIFIED)
        )
    )
    if has_request_context():
        g.measure_organisations = (user.id, found)
    return found


def _responsible_for_any(user) -> bool:
    """Whether an organisation the person speaks for is responsible for a measure (an advisory
    board's members, say, edit none); once per request."""
    organisations = responsible_for(user)
    if not organisations:
        return False
    cached = g.get("measure_editor") if has_request_context() else None
    if cached is not None and cached[0] == user.id:
        return cached[1]
    from participation.measures.models import Measure

    found = db.session.scalar(select(Measure.id).where(Measure.organisation_id.in_(organisations)).limit(1)) is not None
    if has_request_context():
        g.measure_editor = (user.id, found)
    return found


def can_edit_measures(user) -> bool:
    """Reach the editors' pages at all: planners, and members of an organisation responsible
    for a measure."""
    return can_plan(user) or _responsible_for_any(user)


def can_create_measures(user) -> bool:
    """New measures are the coordinating unit's (an organisation's members edit what it owns)."""
    return can_plan(user)


def can_edit_measure(user, measure) -> bool:
    if measure is None:
        return False
    return can_plan(user) or measure.organisation_id in responsible_for(user)


def can_view_measure(user, measure) -> bool:
    return measure is not None and (measure.is_public or can_edit_measure(user, measure))


def can_delete_measure(user, measure) -> bool:
    """Only drafts, and only planners: what was public stays on record."""
    return can_plan(user) and measure is not None and not measure.is_public


def can_publish_measure(user, measure) -> bool:
    """Making a draft public is the coordinating unit's decision, as creating it is."""
    return can_plan(user) and measure is not None and not measure.is_public


def register_template_globals(app: Flask) -> None:
    add_template_predicates(
        app,
        can_edit_measures,
        can_create_measures,
        can_edit_measure,
        can_view_measure,
        can_delete_measure,
        can_publish_measure,
    )
