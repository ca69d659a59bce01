"""The masterplan co-creation platform "Digitales Köln 2025"."""

from __future__ import annotations

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
    def dispatch_request(self):
        """Every view runs in one transaction, committed when it returns and rolled back when it
        raises (participation.core.transaction); hooks and error handlers run outside it."""
        from participation.core.transaction import run_in_transaction

        return run_in_transaction(super().dispatch_request)

    def log_exception(self, exc_info) -> None:
        """A failed request writes one traceback; a database error one short one, not its chain of
        SQLAlchemy internals (participation.core.logs.database_trace)."""
        from participation.core.logs import database_trace

        trace = database_trace(exc_info[1])
        if trace is None:
            super().log_exception(exc_info)
            return
        from flask import request

        self.logger.error("Exception on %s [%s]\n%s", request.path, request.method, trace)


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
    configure_logging(app)
    if app.config["TRUSTED_PROXIES"]:
        # behind N load balancers: client address and scheme from X-Forwarded-For/-Proto (rate
        # limits and Secure cookies depend on them); the host is never taken from a header
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0)
    register_extensions(app)
    register_input_bounds(app)
    register_blueprints(app)
    lend_parts(app)
    register_request_hooks(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def configure_logging(app: Flask) -> None:
    from participation.core.logs import configure_logging as configure

    configure(app)


def register_extensions(app: Flask) -> None:
    from participation.comments import revisions as comment_revisions
    from participation.core import cache
    from participation.core.cache import revisions
    from participation.core.i18n import select_locale
    from participation.core.models import include_in_migrations, render_migration_type
    from participation.core.security import register_size_guard
    from participation.drafts import revisions as draft_revisions
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
    from participation.incorporation import revisions as incorporation_revisions
    from participation.mail.services import register_delivery_after_commit
    from participation.measures import revisions as measure_revisions
    from participation.organisations.services import speaking_for
    from participation.proposals import revisions as proposal_revisions
    from participation.proposals import search
    from participation.reporting import open_data as report_open_data

    register_size_guard(app)  # before CSRFProtect, which would read the body first
    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(data_path("migrations")),
        render_item=render_migration_type,
        include_object=include_in_migrations,
    )
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    register_rate_limit_log(app)
    login_manager.init_app(app)
    register_delivery_after_commit(app)
    cache.init_app(app, speaking_for=speaking_for)
    # what raises which revision, area by area; raised in this order (chapters first: see revisions)
    revisions.listen(
        [draft_revisions.CHAPTER, proposal_revisions.PROPOSAL, freshness.OPEN_DATA],
        [
            draft_revisions.changes,
            comment_revisions.changes,
            incorporation_revisions.changes,
            measure_revisions.changes,
            proposal_revisions.changes,
            freshness.changes,
            report_open_data.changes,
        ],
    )
    search.listen()


def register_input_bounds(app: Flask) -> None:
    from participation.core.bounds import register_input_bounds as register

    register(app)


def register_blueprints(app: Flask) -> None:
    from participation.admin import phases as admin_phases  # noqa: F401  (its routes join the admin blueprint)
    from participation.admin.views import bp as admin_bp
    from participation.announcements.views import bp as announcements_bp
    from participation.api import measures as api_measures  # noqa: F401  (its routes join the api blueprint)
    from participation.api.openapi import bp as openapi_bp
    from participation.api.views import bp as api_bp
    from participation.auth.views import bp as auth_bp
    from participation.comments.views import bp as comments_bp
    from participation.drafts.views import bp as drafts_bp
    from participation.easy_language.views import bp as easy_language_bp
    from participation.evaluation.views import bp as evaluation_bp
    from participation.events.views import bp as events_bp
    from participation.exports.views import bp as exports_bp
    from participation.exports.views import public_bp as open_data_bp
    from participation.incorporation.views import bp as contribution_paths_bp
    from participation.mail.views import bp as mail_bp
    from participation.main.views import bp as main_bp

    # the editors' blueprint with all its routes: those of participation.measures.editing_parts join it there
    from participation.measures.editing_parts import bp as measure_editing_bp
    from participation.measures.feed import bp as measure_feed_bp
    from participation.measures.talk import bp as measure_talk_bp
    from participation.measures.transfer_views import bp as measure_transfer_bp
    from participation.measures.views import bp as measures_bp
    from participation.moderation.flags import bp as flags_bp
    from participation.moderation.views import bp as moderation_bp
    from participation.offline.views import bp as offline_bp
    from participation.organisation_pages.views import bp as organisation_pages_bp
    from participation.organisations.views import bp as organisations_bp
    from participation.pages.views import bp as pages_bp

    # the planning blueprint with all its routes: those of participation.planning.versions join it there
    from participation.planning.versions import bp as planning_bp
    from participation.privacy.views import bp as privacy_bp
    from participation.profile.views import bp as profile_bp
    from participation.proposals.views import bp as proposals_bp
    from participation.reporting.statements import bp as statements_bp
    from participation.reporting.views import bp as reports_bp
    from participation.statistics.views import bp as statistics_bp

    for blueprint in (
        main_bp,
        auth_bp,
        profile_bp,
        privacy_bp,
        pages_bp,
        easy_language_bp,  # the page "easy-language", at an address of pages_bp's
        drafts_bp,
        proposals_bp,
        comments_bp,
        planning_bp,
        evaluation_bp,
        exports_bp,
        open_data_bp,
        admin_bp,
        organisations_bp,
        organisation_pages_bp,
        events_bp,
        offline_bp,
        flags_bp,
        moderation_bp,
        mail_bp,
        contribution_paths_bp,
        statistics_bp,
        api_bp,
        openapi_bp,
        measures_bp,
        measure_editing_bp,
        measure_talk_bp,
        measure_transfer_bp,
        measure_feed_bp,
        reports_bp,
        statements_bp,
        announcements_bp,
    ):
        app.register_blueprint(blueprint)


def lend_parts(app: Flask) -> None:
    """What higher areas lend to the pages and rules of lower ones (participation.core.composition),
    and which of them hear the events lower ones send (blinker signals)."""
    from participation.accounts.blocking import account_blocked
    from participation.comments import notices as comment_notices
    from participation.comments import parts as comment_parts
    from participation.comments.rendering import own_comment_actions
    from participation.core.composition import lend
    from participation.core.hiding import taken_back
    from participation.exports.freshness import revision_query as taken_back_revision
    from participation.incorporation import parts as incorporation_parts
    from participation.incorporation import services as incorporation
    from participation.mail.services import tell_blocked_person
    from participation.measures import discussion as measure_discussion
    from participation.measures import parts as measure_parts
    from participation.moderation.services import dismiss_flags_on
    from participation.proposals.services import comments_open, follower_ids_of_comment
    from participation.reporting import advice
    from participation.reporting import open_data as report_open_data

    lend(app, "drafts.chapter", comment_parts.on_draft_chapter)
    lend(app, "drafts.chapter", incorporation_parts.on_draft_chapter)
    lend(app, "drafts.paragraph", comment_parts.on_draft_paragraph)
    lend(app, "drafts.paragraph", incorporation_parts.on_draft_paragraph)
    lend(app, "own_comment_actions", own_comment_actions)
    lend(app, "proposals.show", incorporation_parts.on_proposal)
    lend(app, "proposals.show", measure_parts.on_contribution)
    lend(app, "contribution_paths.path", measure_parts.on_contribution)
    lend(app, "drafts.first_publish", incorporation.on_publish)
    lend(app, "proposals.comments_open", comments_open)
    # who hears of a new comment on a proposal or a measure they follow (participation.comments.notices)
    lend(app, "comments.followers", follower_ids_of_comment)
    lend(app, "comments.followers", measure_discussion.follower_ids_of_comment)
    lend(app, "mail.comments_not_public", comment_notices.not_public)
    lend(app, "measures.show", measure_discussion.discussion_context)
    lend(app, "measures.comments_open", measure_discussion.comments_open)
    lend(app, "measures.visible", measure_discussion.visible)
    lend(app, "reporting.report", advice.on_report)
    lend(app, "drafts.version", advice.on_version)
    # raised in the transaction that takes anything public back (hidden, withdrawn, deleted,
    # rewritten): the shared home page is keyed on it (participation.main.outcomes.stamp)
    lend(app, "public.taken_back_revision", taken_back_revision)
    # the published interim reports join the open-data ZIP (the exports must not import reporting)
    lend(app, "open_data.tables", report_open_data.tables)
    taken_back.connect(dismiss_flags_on)  # connecting again (a second app) changes nothing
    account_blocked.connect(tell_blocked_person)


def register_request_hooks(app: Flask) -> None:
    from participation.accounts.login import configure_login
    from participation.core.security import register_security_headers
    from participation.main.views import register_error_handlers

    configure_login(app)
    register_security_headers(app)
    register_error_handlers(app)


def register_template_helpers(app: Flask) -> None:
    """Core's filters and role predicates, then what each area adds for its templates."""
    from participation.accounts import templating as accounts
    from participation.comments import permissions as comments
    from participation.core.templating import register_template_helpers as register
    from participation.drafts import permissions as drafts
    from participation.measures import permissions as measures
    from participation.moderation import permissions as moderation
    from participation.organisations import permissions as organisations
    from participation.proposals import permissions as proposals

    register(app)
    for area in (accounts, organisations, drafts, comments, proposals, moderation, measures):
        area.register_template_globals(app)


def register_commands(app: Flask) -> None:
    from participation.cli import register_cli

    register_cli(app)
