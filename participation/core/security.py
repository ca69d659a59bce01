"""Security headers on every response and the check that keeps `next` redirects on this site."""

from __future__ import annotations

import io
from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Flask, Response, abort, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


def add_security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if response.mimetype == "text/html":
        # pages can show personal data: never kept by shared caches
        response.headers.setdefault("Cache-Control", "private, no-store")
    return response


def register_security_headers(app: Flask) -> None:
    app.after_request(add_security_headers)
    if not app.debug and not app.testing and app.config.get("SESSION_COOKIE_SECURE"):

        @app.after_request
        def strict_transport(response: Response) -> Response:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
            return response


def accepts_large_body(limit: Callable[[], int], allowed: Callable[..., bool]):
    """For an upload route (put it right under the route decorator): who may upload there
    (allowed(current_user, **the URL's values)) may send it a body of up to limit() bytes instead
    of MAX_CONTENT_LENGTH (a strategy PDF of 20 MB); everybody else is held to the usual limit,
    so nobody but an uploader makes a host spool a large body."""

    def decorator(view):
        view.body_limit = (limit, allowed)
        return view

    return decorator


def _body_limit(app: Flask) -> int | None:
    view = app.view_functions.get(request.endpoint or "")
    larger = getattr(view, "body_limit", None)
    if larger is not None:
        from flask_login import current_user

        limit, allowed = larger
        if current_user.is_authenticated and allowed(current_user, **(request.view_args or {})):
            return limit()
    return app.config.get("MAX_CONTENT_LENGTH")


def register_size_guard(app: Flask) -> None:
    """Refuse a body over MAX_CONTENT_LENGTH (or an upload route's own limit) with 413 before
    anything (CSRF included) reads it; Werkzeug would otherwise parse it silently into an empty
    form, and it stops at the same limit while it parses."""

    @app.before_request
    def refuse_oversized():
        limit = _body_limit(app)
        if not limit:
            return
        request.max_content_length = limit
        if (request.content_length or 0) > limit:
            abort(413)
        if request.content_length is None and "chunked" in request.headers.get("Transfer-Encoding", "").lower():
            # A chunked body names no length: read it here, at most one byte past the limit, so
            # an endless or huge body is refused like a long one instead of being parsed (or
            # silently dropped) later; what was read is parsed as usual.
            stream, body = request.environ["wsgi.input"], bytearray()
            while len(body) <= limit:
                piece = stream.read(limit + 1 - len(body))  # a raw stream may return one chunk at a time
                if not piece:
                    break
                body += piece
            if len(body) > limit:
                abort(413)
            # still "chunked" to Werkzeug, which reads a terminated stream to its end
            request.environ["wsgi.input"] = io.BytesIO(bytes(body))
            request.environ["wsgi.input_terminated"] = True


def is_safe_next(target: str | None) -> bool:
    """Only a path on this site: no scheme, no host, no scheme-relative or backslash tricks."""
    if not target or len(target) > 2000:
        return False
    if any(ord(ch) < 0x20 or ch == "\x7f" for ch in target) or "\\" in target:
        return False
    if not target.startswith("/") or target.startswith("//"):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def safe_next(target: str | None, fallback: str) -> str:
    return target if is_safe_next(target) else fallback
