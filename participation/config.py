"""Configuration read from environment variables (see README, "Configuration")."""

from __future__ import annotations

import os
from datetime import timedelta


class ConfigError(RuntimeError):
    """The configuration cannot be used; the message says what to set."""


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, not {value!r}") from exc


def _days(name: str, default: int) -> int:
    days = _int(name, default)
    if days < 1:
        raise ConfigError(f"{name} must be at least 1 (days), not {days}")
    return days


ENVIRONMENTS = ("development", "production", "testing")

# The facts the legal pages show (participation/pages/legal.py): imprint (§ 5 DDG, § 18 Abs. 2
# MStV), the data protection officer and the supervisory authority (Art. 13 DSGVO), the
# accessibility statement (§ 10b BGG NRW). Each default is the public fact for the City of
# Cologne as provider, or empty where it is not known for certain: the admins then see which one
# to fill in. The environment variable of the same name in capitals (e.g. IMPRINT_EMAIL) changes
# the default; what an admin saves on the page's edit form wins over both.
LEGAL_SETTINGS = {
    "imprint_provider": "Stadt Köln",
    "imprint_legal_form": "Körperschaft des öffentlichen Rechts",
    "imprint_representative": "Oberbürgermeister*in der Stadt Köln",
    "imprint_address": "Rathausplatz 2, 50667 Köln",
    "imprint_phone": "+49 221 221-0",
    "imprint_email": "",
    "imprint_supervisory_authority": "Bezirksregierung Köln, Zeughausstraße 2–10, 50667 Köln",
    "imprint_vat_id": "",
    "imprint_content_responsible": "",
    "dpo_name": "Datenschutzbeauftragter der Stadt Köln",
    "dpo_address": "Stadthaus Deutz – Ostgebäude –, Willy-Brandt-Platz 3, 50679 Köln",
    "dpo_email": "datenschutzbeauftragter@stadt-koeln.de",
    "privacy_authority": (
        "Landesbeauftragte für Datenschutz und Informationsfreiheit Nordrhein-Westfalen, "
        "Postfach 20 04 44, 40102 Düsseldorf, poststelle@ldi.nrw.de"
    ),
    "accessibility_status": "partial",
    "accessibility_reviewed_on": "",
    "accessibility_feedback_email": "",
    "accessibility_feedback_phone": "",
    "accessibility_enforcement": (
        "Ombudsstelle für barrierefreie Informationstechnik des Landes Nordrhein-Westfalen "
        "bei der Beauftragten für die Belange der Menschen mit Behinderung"
    ),
    "accessibility_enforcement_url": "https://www.lbbp.nrw.de/ombudsstelle",
}


def _legal_defaults() -> dict[str, str]:
    return {name: os.environ.get(name.upper(), default).strip() for name, default in LEGAL_SETTINGS.items()}


REDIS_TIMEOUT_SECONDS = 0.25


def redis_storage_options() -> dict:
    """Keyword arguments for redis.from_url(). redis-py waits 5 s for an answer by default and
    retries ten times with back-off: a frozen Redis held every worker that long per request.
    Fail within a quarter of a second instead, without retrying: Flask-Limiter then counts
    in memory and, unless it checked within the last second, pings the store again at once
    on a fresh connection (so a Redis that merely restarted stays in use). A frozen Redis
    costs the first request after it froze up to 0.5 s, later checks 0.25 s each, at
    growing intervals."""
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return {
        "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
        "socket_timeout": REDIS_TIMEOUT_SECONDS,
        "retry": Retry(NoBackoff(), 0),
    }


def from_environment(overrides: dict | None = None) -> dict:
    """Build the settings from os.environ and overrides; raise ConfigError for unusable ones."""
    overrides = overrides or {}
    env = str(overrides.get("APP_ENV") or os.environ.get("APP_ENV", "production")).strip().lower()
    if env not in ENVIRONMENTS:
        raise ConfigError(f"APP_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env!r}")
    development = env == "development"
    secret_key = overrides.get("SECRET_KEY") or os.environ.get("SECRET_KEY", "")
    if not secret_key:
        if not development:
            raise ConfigError(
                "SECRET_KEY is not set. Set SECRET_KEY to a long random value "
                "(python -c 'import secrets; print(secrets.token_hex(32))'), "
                "or set APP_ENV=development on a developer machine."
            )
        secret_key = "development-only-not-secret"  # noqa: S105 (development only, by design)
    database_url = os.environ.get("DATABASE_URL") or "sqlite:///participation.db"
    if database_url.startswith("postgres://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgres://") :]
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://") :]
    redis_url = os.environ.get("REDIS_URL", "")
    settings = {
        "APP_ENV": env,
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        # Redis down or frozen is not an outage: the limits go on in this process's memory
        # (Flask-Limiter's own fallback, which applies the routes' limits to a MemoryStorage)
        # and return to Redis when it answers again; see participation.core.ratelimit
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        # a store failing between a request's check and its deduction is logged, never a 500
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_ENABLED": _bool("RATELIMIT_ENABLED", True),
        # a sliding window: no burst of twice the limit around a window boundary
        "RATELIMIT_STRATEGY": "moving-window",
        "RATELIMIT_LOGIN": os.environ.get("RATELIMIT_LOGIN", "10 per minute; 60 per hour"),
        "RATELIMIT_LOGIN_ACCOUNT": os.environ.get("RATELIMIT_LOGIN_ACCOUNT", "50 per hour"),
        "RATELIMIT_ACCOUNT_FORMS": os.environ.get("RATELIMIT_ACCOUNT_FORMS", "5 per minute; 30 per hour"),
        "RATELIMIT_MAIL_PER_ADDRESS": os.environ.get("RATELIMIT_MAIL_PER_ADDRESS", "3 per hour; 10 per day"),
        # downloads of one's own data (and an admin's on a written request), per account
        "RATELIMIT_PERSONAL_DATA": os.environ.get("RATELIMIT_PERSONAL_DATA", "5 per hour; 20 per day"),
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", not development),
        "REMEMBER_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", not development),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        # how long "stay logged in" lasts; no login, remembered or not, outlives it (accounts/login.py)
        "REMEMBER_COOKIE_DURATION": timedelta(days=_int("REMEMBER_DAYS", 30)),
        "PERMANENT_SESSION_LIFETIME": timedelta(days=14),
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        # the largest strategy PDF an organisation's member may upload (its route alone accepts a
        # body this large, and only from logged-in people: participation.core.security)
        "STRATEGY_MAX_BYTES": _int("STRATEGY_MAX_BYTES", 20 * 1024 * 1024),
        "BABEL_DEFAULT_LOCALE": "de",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Berlin",
        "LANGUAGES": ("de", "en"),
        "PASSWORD_HASH_METHOD": "scrypt",
        "MAIL_BACKEND": os.environ.get("MAIL_BACKEND", "console" if development else "smtp"),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "localhost"),
        "MAIL_PORT": _int("MAIL_PORT", 25),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS", False),
        "MAIL_USE_SSL": _bool("MAIL_USE_SSL", False),
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "Digitales Köln <noreply@localhost>"),
        "MAIL_DELIVER_ON_COMMIT": _bool("MAIL_DELIVER_ON_COMMIT", development),
        # /healthz says "degraded" when the oldest pending mail has waited longer than this
        "MAIL_BACKLOG_WARN_SECONDS": _int("MAIL_BACKLOG_WARN_SECONDS", 900),
        # how long a mail worker holds a message it is sending before another may take it over
        "MAIL_CLAIM_SECONDS": _int("MAIL_CLAIM_SECONDS", 120),
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", ""),
        "TRUSTED_PROXIES": _int("TRUSTED_PROXIES", 0),
        # longest reuse of a shared page part (participation.core.cache.fragments); changes to a
        # chapter show at once, a commenter's new display name within this time
        "FRAGMENT_CACHE_SECONDS": _int("FRAGMENT_CACHE_SECONDS", 120),
        "LIST_CACHE_SECONDS": _int("LIST_CACHE_SECONDS", 20),
        "QUEUE_CACHE_SECONDS": _int("QUEUE_CACHE_SECONDS", 5),
        "REPORT_CACHE_SECONDS": _int("REPORT_CACHE_SECONDS", 300),
        # no public figure shows a group of fewer people (participation.core.disclosure)
        "MIN_PUBLIC_GROUP_SIZE": _int("MIN_PUBLIC_GROUP_SIZE", 5),
        # how long a download waits for the open-data ZIP being made before it says "come back"
        "OPEN_DATA_WAIT_SECONDS": _int("OPEN_DATA_WAIT_SECONDS", 20),
        # a download starts making the open-data ZIP anew at most once in this time (the last
        # one's start); until then an out-of-date file is not served either (503, Retry-After)
        "OPEN_DATA_REBUILD_SECONDS": _int("OPEN_DATA_REBUILD_SECONDS", 300),
        "EMAIL_CONFIRM_MAX_AGE": timedelta(hours=_int("EMAIL_CONFIRM_HOURS", 72)),
        "PASSWORD_RESET_MAX_AGE": timedelta(hours=_int("PASSWORD_RESET_HOURS", 2)),
        # how long the link to confirm a new address (account page) is valid
        "EMAIL_CHANGE_MAX_AGE": timedelta(hours=_int("EMAIL_CHANGE_HOURS", 24)),
        # how long the link in the notice to the previous address undoes a confirmed change
        "EMAIL_CHANGE_REVERT_MAX_AGE": timedelta(days=_days("EMAIL_CHANGE_REVERT_DAYS", 7)),
        # at most one reset mail (and one "someone tried to register" mail) per account so often
        "ACCOUNT_MAIL_INTERVAL": timedelta(minutes=_int("ACCOUNT_MAIL_MINUTES", 5)),
        # what `privacy purge` removes (participation/privacy/retention.py): accounts never
        # confirmed, so many days after they registered; the address, subject and text of mail
        # so many days after it was sent or given up
        "UNCONFIRMED_ACCOUNT_RETENTION": timedelta(days=_days("UNCONFIRMED_ACCOUNT_DAYS", 30)),
        "MAIL_CONTENT_RETENTION": timedelta(days=_days("MAIL_RETENTION_DAYS", 90)),
        "LEGAL_DEFAULTS": _legal_defaults(),
        "DEMO_PASSWORD": os.environ.get("DEMO_PASSWORD", "Koeln-2025-demo"),
        # the app's log level (participation.core.logs): INFO writes a line per request
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO").upper(),
    }
    settings.update(overrides)
    if str(settings["RATELIMIT_STORAGE_URI"]).startswith(("redis://", "rediss://", "redis+")):
        settings.setdefault("RATELIMIT_STORAGE_OPTIONS", redis_storage_options())
    if env == "production":
        _check_production(settings)
    return settings


def _check_production(settings: dict) -> None:
    if not settings["PUBLIC_BASE_URL"].startswith(("https://", "http://")):
        # mailed links must not be built from the request's Host header, which a client chooses
        raise ConfigError(
            "PUBLIC_BASE_URL is not set. Set it to the site's address, e.g. https://mitmachen.stadt-koeln.de"
        )
    if settings["MAIL_USERNAME"] and not (settings["MAIL_USE_TLS"] or settings["MAIL_USE_SSL"]):
        raise ConfigError(
            "MAIL_USERNAME is set but neither MAIL_USE_TLS nor MAIL_USE_SSL: "
            "the SMTP password would travel in clear text"
        )


TESTING = {
    "APP_ENV": "testing",
    "TESTING": True,
    "SECRET_KEY": "testing-secret",
    "SESSION_COOKIE_SECURE": False,
    "REMEMBER_COOKIE_SECURE": False,
    # cheap only under test: one PBKDF2 round instead of scrypt
    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
    "MAIL_BACKEND": "none",
    "MAIL_DELIVER_ON_COMMIT": False,
    "RATELIMIT_STORAGE_URI": "memory://",
    "SERVER_NAME": None,
    "FRAGMENT_CACHE_SECONDS": 60,  # as in production: the suite shows whether every change reaches readers
    # the proposal list may lag by design; tests that change proposals between requests want it
    # exact, and test_proposals checks the cached list on its own
    "LIST_CACHE_SECONDS": 0,
    "QUEUE_CACHE_SECONDS": 0,
    "REPORT_CACHE_SECONDS": 0,
    # tests take things back and download at once; test_open_data_freshness checks the interval
    "OPEN_DATA_REBUILD_SECONDS": 0,
    # tests of other areas post as fresh accounts and expect to be published; the pre-moderation
    # tests (test_moderation) switch it on as the site's default does
    "SETTING_DEFAULTS": {"premoderation": "none"},
}
