"""Uniqueness conflicts found by the database, not by the check before saving (someone else was a
moment faster): the services undo the request's changes and the page says why, as before the
request boundary. The check before saving is switched off here to stand in for the race."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from participation.accounts.models import User
from participation.core.audit import ModerationDecision
from participation.organisations import services as organisation_services
from participation.organisations.models import Membership, Organisation
from tests.conftest import logged_in
from tests.functional.test_auth import field_error


def test_a_display_name_taken_a_moment_ago_saves_nothing(app, users, db, monkeypatch):
    users(display_name="Vergeben")
    me = users(email="me@example.org", display_name="Ich", stakeholder_group="residents")
    monkeypatch.setattr("participation.accounts.names.display_name_taken", lambda *args, **kwargs: False)
    browser = logged_in(app, "me@example.org")
    page = browser.submit("/account/", {"display_name": "Vergeben", "stakeholder_group": "businesses", "locale": "de"})
    assert page.status_code == 422 and field_error(page.get_data(as_text=True), "display_name")
    db.session.expire_all()
    me = db.session.get(User, me.id)
    assert (me.display_name, me.stakeholder_group) == ("Ich", "residents")
    assert db.session.scalar(select(func.count(ModerationDecision.id))) == 0  # no rename recorded


@pytest.fixture
def admin(app, users):
    users(email="root@example.org", roles=("participant", "admin"))
    return logged_in(app, "root@example.org")


def test_an_organisation_created_by_another_admin_a_moment_ago(admin, db, monkeypatch):
    assert admin.submit("/admin/organisations", {"name": "RheinEnergie AG", "kind": "business"}).status_code == 303
    monkeypatch.setattr(organisation_services, "name_taken", lambda *args, **kwargs: False)
    again = admin.submit("/admin/organisations", {"name": "RheinEnergie AG", "kind": "business"})
    assert again.status_code == 422 and "existiert bereits" in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Organisation.id))) == 1
    assert db.session.scalar(select(func.count(ModerationDecision.id))) == 1  # the first creation only


def test_a_request_to_join_sent_twice_at_once_counts_once(app, admin, users, db, monkeypatch):
    assert admin.submit("/admin/organisations", {"name": "RheinEnergie AG", "kind": "business"}).status_code == 303
    organisation = db.session.scalar(select(Organisation))
    users(email="presse@example.org")
    member = logged_in(app, "presse@example.org")
    data = {"organisation": str(organisation.id), "note": "Pressestelle"}
    assert member.submit("/account/", data, action="/account/organisations").status_code == 303

    def as_if_not_found(user, organisation, note):  # the other request's row was not there yet
        db.session.add(Membership(user_id=user.id, organisation_id=organisation.id, note=note))
        db.session.flush()

    monkeypatch.setattr(organisation_services, "request_membership", as_if_not_found)
    again = member.submit("/account/", data, action="/account/organisations")
    assert again.status_code == 303 and again.headers["Location"].endswith("/account/#organisations")
    assert db.session.scalar(select(func.count(Membership.id))) == 1
