"""Absolute links to this site, for answers that leave it (the API, feeds, mail)."""

from __future__ import annotations

from flask import current_app, has_request_context, url_for


def public_url(endpoint: str, **values) -> str:
    """An absolute link from PUBLIC_BASE_URL, never from the request's Host header, which the
    client chooses (and a cache would keep a forged one for everybody). Without the setting
    (development and tests only: production refuses to start without it) the request's address.
    Also from commands and workers, where there is no request."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if not has_request_context():
        path = current_app.url_map.bind("localhost").build(endpoint, values)
        return (base or "http://localhost").rstrip("/") + path
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)
