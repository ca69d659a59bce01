"""Reading one cell of an import file the way a city office writes it: dates as 2026-01-31 or
31.01.2026, numbers with a decimal comma or point (and thousands separators), yes/no in German or
English, statuses by key or by name. A cell that cannot be read raises CellError with the message."""

from __future__ import annotations

import math
import re
from datetime import date, datetime

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l


class CellError(ValueError):
    pass


_TRUE = {"ja", "j", "yes", "y", "1", "true", "wahr", "x"}
_FALSE = {"nein", "n", "no", "0", "false", "falsch", ""}
_GERMAN_DATE = re.compile(r"^([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})$")
_ISO_DATE = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[ T]00:00(?::00)?)?$")
_NUMBER = re.compile(r"^[+-]?[0-9]+(\.[0-9]+)?$")
NUMBER_MAX = 1e15


def text(value, limit: int, required: bool = False, strip: bool = True) -> str:
    if value is None:
        value = ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    value = value.isoformat() if isinstance(value, date) else str(value)
    if strip:
        value = value.strip()
    if required and not value.strip():
        raise CellError(str(_l("This cell must not be empty.")))
    if len(value) > limit:
        raise CellError(str(_l("At most %(max)d characters, please.", max=limit)))
    if any(ord(ch) < 32 and ch not in "\n\r\t" for ch in value):
        raise CellError(str(_l("This cell holds control characters.")))
    return value


def day(value, required: bool = False) -> date | None:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        found = value
    else:
        shown = "" if value is None else str(value).strip()
        if not shown:
            if required:
                raise CellError(str(_l("Please give a date.")))
            return None
        match = _ISO_DATE.match(shown)
        german = _GERMAN_DATE.match(shown)
        try:
            if match:
                found = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            elif german:
                found = date(int(german.group(3)), int(german.group(2)), int(german.group(1)))
            else:
                raise ValueError(shown)
        except ValueError:
            raise CellError(str(_l("Please write the date as 2026-01-31 or 31.01.2026."))) from None
    if not 1900 <= found.year <= 2200:
        raise CellError(str(_l("Please give a date between 1900 and 2200.")))
    return found


def yes_no(value) -> bool:
    shown = "" if value is None else str(value).strip().lower()
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        shown = "1" if value == 1 else "0" if value == 0 else shown
    if shown in _TRUE:
        return True
    if shown in _FALSE:
        return False
    raise CellError(str(_l("Please write ja or nein (yes or no).")))


def number(value, required: bool = False, minimum: float | None = None, positive: bool = False) -> float | None:
    """A number from a spreadsheet cell, or from text with a decimal comma or point."""
    if isinstance(value, bool):
        raise CellError(str(_l("Please write a number.")))
    if isinstance(value, int | float):
        found = float(value)
    else:
        shown = "" if value is None else str(value).strip().replace(" ", "").replace("\u00a0", "")
        shown = shown.removesuffix("€").removesuffix("%").replace("'", "")
        if not shown:
            if required:
                raise CellError(str(_l("Please give a number.")))
            return None
        if "," in shown and "." in shown:  # thousands separators: 1.500.000,50 or 1,500,000.50
            if shown.rfind(",") > shown.rfind("."):
                shown = shown.replace(".", "").replace(",", ".")
            else:
                shown = shown.replace(",", "")
        elif "," in shown:
            shown = shown.replace(",", ".") if shown.count(",") == 1 else shown.replace(",", "")
        elif shown.count(".") > 1:
            shown = shown.replace(".", "")
        if not _NUMBER.match(shown):
            raise CellError(str(_l("Please write a number (like 1500 or 12,5).")))
        found = float(shown)
    if not math.isfinite(found) or abs(found) > NUMBER_MAX:
        raise CellError(str(_l("This number is too large.")))
    if positive and found <= 0:
        raise CellError(str(_l("Please give a number greater than 0.")))
    if minimum is not None and found < minimum:
        raise CellError(str(_l("Please give a number of at least %(min)s.", min=minimum)))
    return found


def percent(value) -> int | None:
    found = number(value)
    if found is None:
        return None
    if not 0 <= found <= 100 or not float(found).is_integer():
        raise CellError(str(_l("Please give a whole number from 0 to 100.")))
    return int(found)


def whole(value, required: bool = False) -> int | None:
    found = number(value, required=required)
    if found is None:
        return None
    if not float(found).is_integer() or abs(found) > 1_000_000:
        raise CellError(str(_l("Please give a whole number.")))
    return int(found)


def choices_by_name(choices: dict, locales=("de", "en")) -> dict[str, str]:
    """{key or label in lower case: key}: a choice is found by its key or by its name in either
    language ("in Umsetzung", "in implementation", "implementing")."""
    found = {}
    for locale in locales:
        with force_locale(locale):
            for key, label in choices.items():
                found[str(label).strip().lower()] = key
    found.update({key.lower(): key for key in choices})
    return found


def choice(value, names: dict[str, str], required: bool = False) -> str | None:
    shown = "" if value is None else str(value).strip().lower()
    if not shown:
        if required:
            raise CellError(str(_l("This cell must not be empty.")))
        return None
    if shown not in names:
        keys = sorted(set(names.values()))
        raise CellError(str(_l("Please use one of: %(keys)s.", keys=", ".join(keys))))
    return names[shown]
