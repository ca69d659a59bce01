"""Pagination of select statements with the page number taken from the query string."""

from __future__ import annotations

from math import ceil

from flask import request
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, select

from participation.extensions import db


def page_number() -> int:
    try:
        page = int(request.args.get("page", "1"))
    except ValueError:
        return 1
    return min(max(page, 1), 100_000)


def paginate(statement, per_page: int = 25, total: int | None = None) -> Pagination:
    """?page=N, or ?page=last (where a new comment lands). Pass `total` when it is known
    already, to spare the count query; a first page that is not full needs none either."""
    page = page_number()
    if request.args.get("page") == "last":
        if total is None:
            total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0
        page = max(1, ceil(total / per_page))
    result = db.paginate(statement, page=page, per_page=per_page, error_out=False, count=False)
    if total is None and page == 1 and len(result.items) < per_page:
        total = len(result.items)  # the first page holds them all: nothing left to count
    if total is None:
        total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0
    result.total = total
    return result
