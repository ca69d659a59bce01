"""Loading an organisation named in a URL or a form: the object, or a 404 page."""

from __future__ import annotations

from flask import abort

from participation.extensions import db
from participation.organisations.models import Organisation


def get_organisation_or_404(organisation_id: int) -> Organisation:
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        abort(404)
    return organisation
