"""Preparing a person's data: an entry in the audit log, then the ZIP. Never commits: the request
stores the audit entry when it answers, and a failure leaves neither entry nor file."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from typing import BinaryIO

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from participation.core.audit import record_decision, register_actions
from participation.core.models import utcnow
from participation.privacy import archive

OWN, ON_REQUEST = "download_own_data", "export_personal_data"
register_actions(
    {
        OWN: _l("Own data downloaded"),
        ON_REQUEST: _l("Personal data prepared on a written request"),
    }
)
REASON_MAX = 500  # the audit log's reason column


@dataclass
class Prepared:
    file: BinaryIO  # positioned at its start; whoever sends it closes it
    size: int
    name: str


def _prepare(person, name: str) -> Prepared:
    prepared_at = utcnow()
    file = tempfile.SpooledTemporaryFile(archive.SPOOL)  # noqa: SIM115 (closed once it is sent)
    try:
        archive.write(person, file, prepared_at)
        size = file.seek(0, 2)
        file.seek(0)
    except BaseException:
        file.close()
        raise
    return Prepared(file, size, f"{name}-{prepared_at:%Y-%m-%d}.zip")


def prepare_own(person) -> Prepared:
    """The logged-in person's own data, in the language they use the site in. The audit entry
    says who and when, nothing of the data."""
    record_decision(person, OWN, person)
    return _prepare(person, "my-data")


def prepare_on_request(actor, person, reason: str) -> Prepared:
    """An admin prepares a person's data to answer their written request (sent to them by the
    admin); logged with the reason the admin gives. Headings in the person's language."""
    record_decision(actor, ON_REQUEST, person, reason=reason[:REASON_MAX])
    with force_locale(person.locale):
        return _prepare(person, f"personal-data-account-{person.id}")
