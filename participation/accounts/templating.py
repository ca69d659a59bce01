"""The names of accounts that templates show: languages, roles, stakeholder groups."""

from __future__ import annotations

from flask import Flask

from participation.accounts.models import LOCALES, ROLES, STAKEHOLDER_GROUPS


def register_template_globals(app: Flask) -> None:
    app.jinja_env.globals.update(LOCALES=LOCALES, ROLES=ROLES, STAKEHOLDER_GROUPS=STAKEHOLDER_GROUPS)
