"""Who may change what was written in an organisation's name."""

from __future__ import annotations

from flask import Flask

from participation.core.templating import add_template_predicates
from participation.organisations.services import may_speak_for


def can_change_statement(user, contribution) -> bool:
    """A proposal or comment written as an organisation's statement is changed or deleted only
    by someone who still speaks for it (a verified member): whoever left, or was taken off,
    no longer changes what they wrote in its name. Other contributions are no statement."""
    return contribution.organisation_id is None or may_speak_for(user, contribution.organisation_id)


def register_template_globals(app: Flask) -> None:
    """Templates call it as `permissions.can_change_statement`."""
    add_template_predicates(app, can_change_statement)
