"""Pagination of select statements with the page number taken from the query string."""

from __future__ import annotations

from flask import request
from flask_sqlalchemy.pagination import Pagination

from participation.extensions import db


def page_number() -> int:
    try:
        page = int(request.args.get("page", "1"))
    except ValueError:
        return 1
    return min(max(page, 1), 100_000)


def paginate(statement, per_page: int = 25) -> Pagination:
    return db.paginate(statement, page=page_number(), per_page=per_page, error_out=False)
