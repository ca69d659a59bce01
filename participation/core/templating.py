"""What every template can use: permissions, Markdown, the language switch, footer pages.

Areas add their own names (their permission predicates through `add_template_predicates`,
their labels), each in its own `register_template_globals`, which create_app calls: core knows
none of them."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

from flask import Flask, has_request_context, request
from flask_babel import format_timedelta, get_locale
from flask_login import current_user

from participation.core import disclosure, permissions
from participation.core.forms import EmptyForm, bounded
from participation.core.markdown import render_markdown
from participation.core.models import utcnow

FOOTER_PAGES = ("imprint", "privacy", "accessibility", "terms")


def ago(moment) -> str:
    """How long ago, in words: "vor 3 Tagen", "2 hours ago"."""
    return format_timedelta(moment - utcnow(), add_direction=True)


def add_template_predicates(app: Flask, *predicates: Callable[..., bool]) -> None:
    """Templates call every permission predicate as `permissions.<name>`, whichever area it
    belongs to, so each area adds its predicates to that one namespace."""
    namespace = app.jinja_env.globals.setdefault("permissions", SimpleNamespace())
    for predicate in predicates:
        setattr(namespace, predicate.__name__, predicate)


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["bounded"] = bounded
    app.jinja_env.filters["iso"] = lambda moment: moment.replace(microsecond=0).isoformat()
    app.jinja_env.filters["ago"] = ago
    from participation.core.links import public_url

    app.jinja_env.globals.update(
        external_url=public_url,
        OTHER_GROUPS=disclosure.OTHER,
        OTHER_GROUPS_LABEL=disclosure.OTHER_LABEL,
        FOOTER_PAGES=FOOTER_PAGES,
    )
    add_template_predicates(
        app,
        permissions.has_role,
        permissions.is_user,
        permissions.can_contribute,
        permissions.can_moderate,
        permissions.can_plan,
        permissions.can_export,
        permissions.can_administer,
        permissions.can_manage_roles,
        permissions.can_block,
        permissions.can_edit_pages,
        permissions.can_edit_profile,
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
