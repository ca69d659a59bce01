"""Who may read and change a version of the masterplan draft."""

from __future__ import annotations

from flask import Flask

from participation.core.permissions import can_plan
from participation.core.templating import add_template_predicates
from participation.drafts.models import PREPARING


def can_view_version(user, version) -> bool:
    """Published versions are public; a version being prepared only for planners (404 otherwise)."""
    return version is not None and (version.is_public or can_plan(user))


def can_edit_version(user, version) -> bool:
    return can_plan(user) and version is not None and version.status == PREPARING


def register_template_globals(app: Flask) -> None:
    """Templates call them as `permissions.<name>`."""
    add_template_predicates(app, can_view_version, can_edit_version)
