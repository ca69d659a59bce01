"""What every template can use: permissions, Markdown, the language switch, footer pages."""

from __future__ import annotations

from flask import Flask, has_request_context, request
from flask_babel import format_timedelta, get_locale
from flask_login import current_user

from participation.accounts.models import LOCALES, ROLES, STAKEHOLDER_GROUPS
from participation.core import disclosure, permissions
from participation.core.forms import EmptyForm, bounded
from participation.core.markdown import render_markdown
from participation.core.models import utcnow

FOOTER_PAGES = ("imprint", "privacy", "accessibility", "terms")


def ago(moment) -> str:
    """How long ago, in words: "vor 3 Tagen", "2 hours ago"."""
    return format_timedelta(moment - utcnow(), add_direction=True)


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["bounded"] = bounded
    app.jinja_env.filters["iso"] = lambda moment: moment.replace(microsecond=0).isoformat()
    app.jinja_env.filters["ago"] = ago
    from participation.core.links import public_url

    app.jinja_env.globals.update(
        external_url=public_url,
        permissions=permissions,
        LOCALES=LOCALES,
        ROLES=ROLES,
        STAKEHOLDER_GROUPS=STAKEHOLDER_GROUPS,
        OTHER_GROUPS=disclosure.OTHER,
        OTHER_GROUPS_LABEL=disclosure.OTHER_LABEL,
        FOOTER_PAGES=FOOTER_PAGES,
    )

    @app.context_processor
    def page_context():
        if not has_request_context():  # mail rendered by a worker or a command
            return {"current_locale": str(get_locale())}
        return {
            "current_locale": str(get_locale()),
            "language_form": EmptyForm(formdata=None),
            "current_path": request.full_path.rstrip("?"),
            "can_contribute": permissions.can_contribute(current_user),
        }
