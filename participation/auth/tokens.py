"""Signed, expiring tokens for the links we mail (confirmation, password reset)."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer


class TokenInvalid(Exception):
    """Forged, mangled or meant for something else."""


class TokenExpired(TokenInvalid):
    """Genuine but too old."""


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"participation.{purpose}")


def make_token(purpose: str, payload: dict) -> str:
    return _serializer(purpose).dumps(payload)


def read_token(purpose: str, token: str, max_age: timedelta) -> dict:
    if not token or len(token) > 500:
        raise TokenInvalid(token)
    try:
        payload = _serializer(purpose).loads(token, max_age=int(max_age.total_seconds()))
    except SignatureExpired as exc:
        raise TokenExpired(token) from exc
    except BadSignature as exc:
        raise TokenInvalid(token) from exc
    if not isinstance(payload, dict):
        raise TokenInvalid(token)
    return payload
