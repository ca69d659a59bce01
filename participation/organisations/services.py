"""Creating organisations, asking to join one, and verifying who may speak for it. Services
flush; the request commits once; every admin decision goes into the audit log."""

from __future__ import annotations

from sqlalchemy import select

from participation.core.audit import record_decision
from participation.core.models import utcnow
from participation.core.transaction import flush_unless_refused
from participation.extensions import db
from participation.organisations.models import REJECTED, REQUESTED, VERIFIED, Membership, Organisation


def name_taken(name: str, except_id: int | None = None) -> bool:
    existing = db.session.scalar(select(Organisation.id).where(Organisation.name == name))
    return existing is not None and existing != except_id


def create(actor, name: str, kind: str, description: str) -> Organisation:
    organisation = Organisation(name=name, kind=kind, description=description)
    db.session.add(organisation)
    db.session.flush()
    record_decision(actor, "create_organisation", organisation, after={"name": name, "kind": kind})
    return organisation


def change(actor, organisation: Organisation, name: str, kind: str, description: str) -> None:
    before = {"name": organisation.name, "kind": organisation.kind}
    organisation.name, organisation.kind, organisation.description = name, kind, description
    record_decision(actor, "change_organisation", organisation, before=before, after={"name": name, "kind": kind})


def request_membership(user, organisation: Organisation, note: str) -> Membership:
    """Ask to speak for an organisation; asking again after a refusal reopens the request."""
    membership = db.session.scalar(
        select(Membership).where(Membership.user_id == user.id, Membership.organisation_id == organisation.id)
    )
    if membership is None:
        membership = Membership(user_id=user.id, organisation_id=organisation.id, note=note, requested_at=utcnow())
        db.session.add(membership)
    elif membership.status == REJECTED:
        membership.status, membership.note, membership.requested_at = REQUESTED, note, utcnow()
        membership.decided_at = membership.decided_by_id = None
    db.session.flush()
    return membership


def decide(actor, membership: Membership, status: str, reason: str = "") -> bool:
    """Verify or refuse a request, or take a verified membership back; False if it is so already."""
    if status not in (VERIFIED, REJECTED) or membership.status == status:
        return False
    before = membership.status
    membership.status, membership.decided_at, membership.decided_by_id = status, utcnow(), actor.id
    record_decision(
        actor,
        "verify_membership" if status == VERIFIED else "refuse_membership",
        membership,
        reason=reason or None,
        before={"status": before, "user_id": membership.user_id, "organisation_id": membership.organisation_id},
        after={"status": status},
    )
    return True


def leave(membership: Membership) -> None:
    db.session.delete(membership)


def speaking_for(user) -> list[Organisation]:
    """The organisations a person may speak for: verified memberships only."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        db.session.scalars(
            select(Organisation)
            .join(Membership)
            .where(Membership.user_id == user.id, Membership.status == VERIFIED)
            .order_by(Organisation.name)
        )
    )


def may_speak_for(user, organisation_id: int | None) -> bool:
    if organisation_id is None:
        return True
    return (
        db.session.scalar(
            select(Membership.id).where(
                Membership.user_id == user.id,
                Membership.organisation_id == organisation_id,
                Membership.status == VERIFIED,
            )
        )
        is not None
    )


def create_unless_taken(actor, name: str, kind: str, description: str) -> Organisation | None:
    """The new organisation; None when the name is another's, found before saving or by the
    unique index when another admin created it a moment ago (then the request's changes are
    undone)."""
    if name_taken(name):
        return None
    created = []
    if not flush_unless_refused(lambda: created.append(create(actor, name, kind, description))):
        return None
    return created[0]


def request_membership_once(user, organisation: Organisation, note: str) -> Membership | None:
    """request_membership; None when the same request, sent twice at once, was saved by the
    other one first (then this request's changes are undone: the first one counts)."""
    asked = []
    if not flush_unless_refused(lambda: asked.append(request_membership(user, organisation, note))):
        return None
    return asked[0]
