"""View decorators that apply the named permission predicates."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user

from participation.extensions import login_manager


def permission_required(predicate):
    """Anonymous visitors are sent to the login page; logged-in users without the permission get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not predicate(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
