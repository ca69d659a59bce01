"""Who may change what was written in an organisation's name."""

from __future__ import annotations

from flask import Flask

from participation.core.permissions import can_administer, can_contribute
from participation.core.templating import add_template_predicates
from participation.organisations.services import may_speak_for


def can_change_statement(user, contribution) -> bool:
    """A proposal or comment written as an organisation's statement is changed or deleted only
    by someone who still speaks for it (a verified member): whoever left, or was taken off,
    no longer changes what they wrote in its name. Other contributions are no statement."""
    return contribution.organisation_id is None or may_speak_for(user, contribution.organisation_id)


def can_publish_for(user, organisation) -> bool:
    """Verified members (who may take part: confirmed, not blocked) publish and delete their
    organisation's strategy documents and write its description; admins as well (an organisation
    without members yet, a document that must go)."""
    if organisation is None or not getattr(user, "is_authenticated", False):
        return False
    return can_administer(user) or (can_contribute(user) and may_speak_for(user, organisation.id))


def register_template_globals(app: Flask) -> None:
    """Templates call them as `permissions.<name>`."""
    add_template_predicates(app, can_change_statement, can_publish_for)
