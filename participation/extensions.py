"""The Flask extensions, created unbound here and bound to an app in create_app()."""

from __future__ import annotations

import ipaddress

from flask import request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names, identical on SQLite and PostgreSQL, so migrations can name them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
# what autogenerate compares and how it writes types: given in create_app, from core.models
migrate = Migrate(compare_type=True, render_as_batch=True)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


def client_address() -> str:
    """Rate-limit key for the client: its IPv4 address, or the /64 network of an IPv6 one. A
    single IPv6 subscriber or server holds a whole /64 (2^64 addresses), so keying by the full
    address would give one person as many separate limits as they care to use."""
    address = get_remote_address() or ""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return address


limiter = Limiter(key_func=client_address)


def submitted_email() -> str:
    """Rate-limit key for forms aimed at one account, whatever address they come from."""
    return "email:" + (request.form.get("email") or "").strip().lower()[:320]


def rate_limits_in_memory() -> bool:
    """True while this process counts its rate limits in memory because their store (Redis)
    failed. Flask-Limiter (4.x) keeps this state in a private attribute and switches back by
    itself once the store answers a check again (checked at growing intervals, at most 32 s);
    tests/functional/test_redis_outage.py shows both directions, so an upgrade that renames
    the attribute fails there."""
    return bool(getattr(limiter, "_storage_dead", False))


def rate_limit_store_answers() -> bool | None:
    """Whether the shared rate-limit store answers a ping now; None when there is none
    (memory:// only). Within the short timeouts of config.redis_storage_options()."""
    from limits.storage import MemoryStorage

    storage = getattr(limiter, "_storage", None)
    if storage is None or isinstance(storage, MemoryStorage):
        return None
    return bool(storage.check())


def register_rate_limit_log(app) -> None:
    """Say once in the log when this process starts counting in memory, and once when it is
    back on the shared store (Flask-Limiter's own messages go to a logger without handlers)."""
    state = {"in_memory": False}

    @app.teardown_request
    def report_rate_limit_store(_error=None):
        now = rate_limits_in_memory()
        if now == state["in_memory"]:
            return
        state["in_memory"] = now
        if now:
            app.logger.error(
                "rate-limit store unreachable: this process keeps its rate limits in memory "
                "until the store answers again"
            )
        else:
            app.logger.warning("rate-limit store answers again: rate limits are shared through it again")
