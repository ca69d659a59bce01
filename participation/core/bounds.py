"""What the database can hold. Ids, numbers, dates and text from outside are checked against it
before they reach a query: PostgreSQL refuses an id beyond its integer range, a NUL character in
text or a date past its calendar with an error that would reach the visitor as a 500."""

from __future__ import annotations

from datetime import date

from flask import Flask, abort, request
from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter

ID_MAX = 2**31 - 1  # the largest value of an INTEGER column (PostgreSQL's int4)
# dates a person may type: enough for any real use, far from where adding a day or a time zone
# leaves Python's calendar (years 1 to 9999)
DATE_MIN, DATE_MAX = date(1900, 1, 1), date(2999, 12, 31)
NUL = "\x00"  # PostgreSQL cannot store it in text


class IdConverter(IntegerConverter):
    """`<int:…>` in every route: only 1 to ID_MAX match, so any other number is a 404."""

    def __init__(self, map, fixed_digits=0, min=1, max=ID_MAX, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def database_id(text: str) -> int:
    """For `request.args.get(name, type=database_id)`: an id the database can hold, else ValueError
    (and so the default)."""
    value = int(text)
    if not 1 <= value <= ID_MAX:
        raise ValueError(f"{value} is not an id")
    return value


def has_nul(values) -> bool:
    return any(NUL in value for value in values if isinstance(value, str))


def register_input_bounds(app: Flask) -> None:
    """Before the blueprints: `<int:…>` means an id the database can hold, in every route. A NUL
    in the address names nothing (404); in the query it is refused with a clear 400 (forms take it
    out at the field instead, see core.forms.FlaskForm)."""
    app.url_map.converters["int"] = IdConverter

    @app.before_request
    def refuse_nul():
        if has_nul((request.view_args or {}).values()):
            abort(404)
        if has_nul(request.args.keys()) or has_nul(request.args.values()):
            abort(
                400,
                description=_(
                    "The address contains a NUL character, which this site does not accept. "
                    "Please remove it and try again."
                ),
            )
