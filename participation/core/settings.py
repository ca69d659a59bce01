"""The settings admins change on the site: moderation, and the facts of the legal pages. Each has
a default in code (the legal ones from LEGAL_DEFAULTS in the configuration, which the environment
may change); a row in `site_setting` overrides it. Tests may set other defaults with
SETTING_DEFAULTS."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

from flask import current_app, g
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column

from participation.core.audit import record_decision, register_actions, register_targets
from participation.core.models import UTCDateTime, utcnow
from participation.extensions import db

# which new contributions wait for a moderator's approval
PREMODERATION_MODES = {
    "none": _l("None: contributions are published at once (except those that look like spam)"),
    "first": _l("The first contributions of each person"),
    "all": _l("All contributions"),
}

DEFAULTS: dict[str, int | str] = {
    # open reports that hide an item until a moderator decides
    "hide_threshold": 3,
    "premoderation": "first",
    # with "first": how many contributions of a person wait
    "premoderation_first": 2,
}


class SiteSetting(db.Model):
    """One changed setting, stored as text under its name."""

    __tablename__ = "site_setting"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(String(200), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)


register_actions({"change_settings": _l("Settings changed")})
register_targets({SiteSetting.__tablename__: _l("Settings")})


def _defaults() -> dict:
    return {
        **DEFAULTS,
        **current_app.config.get("LEGAL_DEFAULTS", {}),
        **current_app.config.get("SETTING_DEFAULTS", {}),
    }


def all_settings() -> dict:
    """Every setting's current value, read once per request."""
    cached = g.get("_site_settings")
    if cached is None:
        cached = _defaults()
        for row in db.session.scalars(select(SiteSetting)):
            default = cached.get(row.name)
            if default is None:
                continue  # a setting this code no longer knows
            cached[row.name] = int(row.value) if isinstance(default, int) else row.value
        g._site_settings = cached
    return cached


def get_setting(name: str):
    return all_settings()[name]


def change_settings(actor, values: dict) -> bool:
    """Store changed values and log the change; True if anything changed."""
    before = dict(all_settings())
    changed = {name: value for name, value in values.items() if before.get(name) != value}
    if not changed:
        return False
    for name, value in changed.items():
        row = db.session.get(SiteSetting, name) or SiteSetting(name=name)
        row.value, row.updated_by_id = str(value), actor.id
        db.session.add(row)
    db.session.flush()
    record_decision(
        actor,
        "change_settings",
        SimpleNamespace(__tablename__=SiteSetting.__tablename__, id=0),  # the settings as a whole
        before={name: before[name] for name in changed},
        after=changed,
    )
    g.pop("_site_settings", None)
    return True
