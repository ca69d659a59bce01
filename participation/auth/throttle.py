"""Failed logins per account: they slow a guesser down without locking the owner out.

Per client address the login route has ordinary rate limits (RATELIMIT_LOGIN, in views.py).
Across addresses an account counts its failed logins (RATELIMIT_LOGIN_ACCOUNT). Once that
limit is reached, an address that has already failed on this account within the limit's
window is refused without its password being checked, while an address that has not is still
heard: the owner, logging in from home or the office with the right password, gets in, and a
guesser gets one try per address and window instead of the per-address rate.

The counters live in the rate limiter's store (Redis when REDIS_URL is set), keyed by a hash of
the email address, so the store holds no addresses in clear. A store that cannot be reached
refuses nobody here; the per-address limits still hold.
"""

from __future__ import annotations

import hashlib

from flask import current_app
from limits import RateLimitItem, parse_many

from participation.extensions import limiter

NAMESPACE = "login-failures"


def _account_key(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


def _limits() -> list[RateLimitItem]:
    return parse_many(current_app.config["RATELIMIT_LOGIN_ACCOUNT"])


def _marker(item: RateLimitItem) -> RateLimitItem:
    """One failure within the same window as `item`: has this address failed here before?"""
    return type(item)(1, item.multiples, NAMESPACE)


def refused(email: str, address: str) -> bool:
    """True when the account's failure limit is reached and this address is among the failing."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return False
    account = _account_key(email)
    try:
        strategy = limiter.limiter
        for item in _limits():
            if not strategy.test(item, "account", account) and not strategy.test(
                _marker(item), "pair", account, address
            ):
                return True
    except Exception:  # the store is unreachable: the per-address limits still hold
        current_app.logger.warning("login throttle: rate-limit store unreachable", exc_info=True)
    return False


def record_failure(email: str, address: str) -> None:
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return
    account = _account_key(email)
    try:
        strategy = limiter.limiter
        for item in _limits():
            strategy.hit(item, "account", account)
            strategy.hit(_marker(item), "pair", account, address)
    except Exception:
        current_app.logger.warning("login throttle: rate-limit store unreachable", exc_info=True)
