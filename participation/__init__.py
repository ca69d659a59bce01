"""The masterplan co-creation platform "Digitales Köln 2025"."""

from __future__ import annotations

import traceback
from pathlib import Path

from flask import Flask

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent


def data_path(name: str) -> Path:
    """Where templates/, translations/ or migrations/ lie. In the repository they stand beside
    the package, where people look for them; a wheel carries them inside it (setup.py), as
    site-packages has no "beside". The copy inside wins where there is one."""
    inside = PACKAGE / name
    return inside if inside.is_dir() else ROOT / name


class Participation(Flask):
    def log_exception(self, exc_info) -> None:
        """A failed request writes one traceback. A database error's chain (the driver's own
        exception, and the pool's InvalidatePoolError before it) told the same story in three
        more tracebacks of SQLAlchemy internals (about 430 lines for one request with the
        database down); its message names the driver's error, so it is logged alone, with
        the frames up to the call into SQLAlchemy."""
        from sqlalchemy.exc import DBAPIError

        error = exc_info[1]
        if not isinstance(error, DBAPIError):
            super().log_exception(exc_info)
            return
        from flask import request

        frames = traceback.extract_tb(error.__traceback__)
        # up to the call into SQLAlchemy: which view and line needed the database
        inside = next((n for n, frame in enumerate(frames) if "/sqlalchemy/" in frame.filename), len(frames))
        trace = "Traceback (most recent call last):\n" + "".join(traceback.format_list(frames[: inside + 1]))
        if inside + 1 < len(frames):
            trace += f"  [{len(frames) - inside - 1} more frames inside SQLAlchemy]\n"
        trace += "".join(traceback.format_exception_only(type(error), error))
        self.logger.error("Exception on %s [%s]\n%s", request.path, request.method, trace.rstrip())


def create_app(config: dict | None = None) -> Flask:
    """Build the app. No side effects: it never migrates, seeds or sends anything by itself."""
    from participation import all_models  # noqa: F401 (every mapper known before the first query)
    from participation.config import from_environment

    app = Participation(
        __name__,
        template_folder=str(data_path("templates")),
        static_folder="static",
    )
    app.config.update(from_environment(config))
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(data_path("translations"))
    if app.config["TRUSTED_PROXIES"]:
        # behind N load balancers: client address and scheme from X-Forwarded-For/-Proto (rate
        # limits and Secure cookies depend on them); the host is never taken from a header
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0)
    register_extensions(app)
    register_input_bounds(app)
    register_blueprints(app)
    register_request_hooks(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    from participation.core import fragments
    from participation.core.i18n import select_locale
    from participation.core.security import register_size_guard
    from participation.drafts import revisions
    from participation.exports import freshness
    from participation.extensions import (
        babel,
        csrf,
        db,
        limiter,
        login_manager,
        migrate,
        register_rate_limit_log,
    )
    from participation.mail.services import register_delivery_after_commit
    from participation.proposals import search

    register_size_guard(app)  # before CSRFProtect, which would read the body first
    db.init_app(app)
    migrate.init_app(app, db, directory=str(data_path("migrations")))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    register_rate_limit_log(app)
    login_manager.init_app(app)
    register_delivery_after_commit(app)
    fragments.init_app(app)
    revisions.listen()
    search.listen()
    freshness.listen()


def register_input_bounds(app: Flask) -> None:
    from participation.core.bounds import register_input_bounds as register

    register(app)


def register_blueprints(app: Flask) -> None:
    from participation.accounts.views import bp as accounts_bp
    from participation.admin.views import bp as admin_bp
    from participation.api.openapi import bp as openapi_bp
    from participation.api.views import bp as api_bp
    from participation.auth.views import bp as auth_bp
    from participation.comments.views import bp as comments_bp
    from participation.drafts.views import bp as drafts_bp
    from participation.evaluation.views import bp as evaluation_bp
    from participation.exports.views import bp as exports_bp
    from participation.exports.views import public_bp as open_data_bp
    from participation.incorporation.views import bp as paths_bp
    from participation.mail.views import bp as mail_bp
    from participation.main.views import bp as main_bp
    from participation.moderation.dashboard import bp as moderation_bp
    from participation.moderation.views import bp as reports_bp
    from participation.organisations.views import bp as organisations_bp
    from participation.pages.views import bp as pages_bp
    from participation.planning.views import bp as planning_bp
    from participation.proposals.views import bp as proposals_bp
    from participation.reports.views import bp as report_bp

    for blueprint in (
        main_bp,
        auth_bp,
        accounts_bp,
        pages_bp,
        drafts_bp,
        proposals_bp,
        comments_bp,
        planning_bp,
        evaluation_bp,
        exports_bp,
        open_data_bp,
        admin_bp,
        organisations_bp,
        reports_bp,
        moderation_bp,
        mail_bp,
        paths_bp,
        report_bp,
        api_bp,
        openapi_bp,
    ):
        app.register_blueprint(blueprint)


def register_request_hooks(app: Flask) -> None:
    from participation.accounts.login import configure_login
    from participation.core.security import register_security_headers
    from participation.main.views import register_error_handlers

    configure_login(app)
    register_security_headers(app)
    register_error_handlers(app)


def register_template_helpers(app: Flask) -> None:
    from participation.core.templating import register_template_helpers as register

    register(app)


def register_commands(app: Flask) -> None:
    from participation.cli import register_cli

    register_cli(app)
