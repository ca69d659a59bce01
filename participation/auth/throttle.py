"""Failed logins per account: they slow a guesser down without locking the owner out.

Per client address the login route has ordinary rate limits (RATELIMIT_LOGIN, in views.py).
Across addresses an account counts its failed logins (RATELIMIT_LOGIN_ACCOUNT). Once that
limit is reached, an address that has already failed ADDRESS_FAILURES times on this account
within the limit's window is refused without its password being checked, while an address
that has failed less is still heard: the owner, logging in from home or the office with the
right password, gets in even after a typo or two, and a guesser gets ADDRESS_FAILURES tries per
address and window instead of the per-address rate. An address is an IPv4 address or an IPv6
/64 network (extensions.client_address), so a /64 does not give a guesser 2^64 addresses.

The counters live in the rate limiter's store (Redis when REDIS_URL is set), keyed by a hash of
the email address, so the store holds no addresses in clear, and by the fingerprint of the
account's password (the one reset links carry): a new password, set by a reset link, by the
confirmation link or on the account page, starts a new count, so the owner who resets their
password is never refused for failures from before. A store that cannot be reached
refuses nobody here; the per-address limits still hold.
"""

from __future__ import annotations

import hashlib
import math
import time

from flask import current_app, render_template
from limits import RateLimitItem, parse_many

from participation.accounts.models import find_user_by_email
from participation.auth.services import password_fingerprint
from participation.extensions import client_address, limiter

NAMESPACE = "login-failures"
# failures of one address on one account, within the window, after which it is refused there
# while the account is at its limit: one or two typos of the owner do not lock them out
ADDRESS_FAILURES = 3


def _account_key(email: str) -> str:
    """The address's hash, with the fingerprint of the account's current password (none for an
    address without an account): failures against an earlier password no longer count."""
    user = find_user_by_email(email)
    fingerprint = password_fingerprint(user) if user is not None and user.password_hash else ""
    return hashlib.sha256(f"{email.strip().lower()}|{fingerprint}".encode()).hexdigest()[:32]


def _limits() -> list[RateLimitItem]:
    return parse_many(current_app.config["RATELIMIT_LOGIN_ACCOUNT"])


def _marker(item: RateLimitItem) -> RateLimitItem:
    """ADDRESS_FAILURES failures within the same window as `item`: has this address failed
    here that often?"""
    return type(item)(ADDRESS_FAILURES, item.multiples, NAMESPACE)


def refused(email: str, address: str) -> int:
    """When the account's failure limit is reached and this address is among the failing: the
    seconds until it is heard again (at least 1); otherwise 0."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return 0
    account = _account_key(email)
    wait = 0
    try:
        strategy = limiter.limiter
        for item in _limits():
            marker = _marker(item)
            if not strategy.test(item, "account", account) and not strategy.test(marker, "pair", account, address):
                # heard again once either count falls below its limit
                reset = min(
                    strategy.get_window_stats(item, "account", account).reset_time,
                    strategy.get_window_stats(marker, "pair", account, address).reset_time,
                )
                wait = max(wait, math.ceil(reset - time.time()), 1)
    except Exception:  # the store is unreachable: the per-address limits still hold
        current_app.logger.warning("login throttle: rate-limit store unreachable", exc_info=True)
    return wait


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


def refused_for(user) -> int:
    """`refused` for the logged-in account's password asked again on a form of its own (deleting
    the account, a new password or address): guessing it there counts as at the login."""
    return refused(user.email, client_address())


def password_matches(user, password: str) -> bool:
    """The account's password checked as at the login: a wrong one counts as a failed login."""
    if user.check_password(password):
        return True
    record_failure(user.email, client_address())
    return False


def refused_page(wait: int):
    """The answer while the account's failures make it wait (429, as at the login)."""
    page = render_template("auth/login_refused.html", minutes=-(-wait // 60))
    return page, 429, {"Retry-After": str(wait)}
