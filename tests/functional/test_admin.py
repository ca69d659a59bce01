"""The admin pages: who gets in, listing and search, roles, blocks, pages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from participation.accounts.models import User
from participation.core.audit import ModerationDecision
from participation.pages.models import Page
from tests.conftest import outbox


@pytest.fixture
def admin(users, browser):
    user = users(email="admin@example.org", display_name="Die Admin", roles=("participant", "admin"))
    browser.login("admin@example.org")
    return user


ADMIN_PAGES = ["/admin/", "/admin/users", "/admin/pages"]


@pytest.mark.parametrize("roles", [("participant",), ("participant", "moderator"), ("participant", "planner")])
def test_non_admins_get_403(browser, users, roles):
    users(email="someone@example.org", roles=roles)
    browser.login("someone@example.org")
    for url in ADMIN_PAGES:
        assert browser.get(url).status_code == 403, url


def test_visitors_are_sent_to_login(browser):
    for url in ADMIN_PAGES:
        response = browser.get(url)
        assert response.status_code == 302 and "/login?next=" in response.headers["Location"]


def test_user_list_search_and_pagination(browser, users, admin):
    for n in range(30):
        users(email=f"bulk{n}@example.org", display_name=f"Bulk {n:02d}")
    users(email="special@example.org", display_name="100% Kölsch_Fan")
    html = browser.get("/admin/users").get_data(as_text=True)
    assert "32" in BeautifulSoup(html, "html.parser").find(id="result-count").text
    assert len(BeautifulSoup(html, "html.parser").select("tbody tr")) == 25
    page2 = browser.get("/admin/users?page=2").get_data(as_text=True)
    assert len(BeautifulSoup(page2, "html.parser").select("tbody tr")) == 7
    by_name = browser.get("/admin/users?q=bulk 07").get_data(as_text=True)
    assert "Bulk 07" in by_name and "Bulk 08" not in by_name
    by_email = browser.get("/admin/users?q=SPECIAL@").get_data(as_text=True)
    assert "100% Kölsch_Fan" in by_email
    # LIKE wildcards are searched for literally
    percent = browser.get("/admin/users?q=%25").get_data(as_text=True)
    assert "100% Kölsch_Fan" in percent and "Bulk 01" not in percent
    assert browser.get("/admin/users?page=abc").status_code == 200
    assert browser.get("/admin/users?page=9999").status_code == 200
    assert browser.get("/admin/users/999999").status_code == 404


def test_assign_roles_is_logged(browser, users, admin, db):
    person = users(email="future.mod@example.org")
    response = browser.submit(
        f"/admin/users/{person.id}", {"roles": ["moderator", "planner"]}, action=f"/admin/users/{person.id}/roles"
    )
    assert response.status_code == 302
    assert db.session.get(User, person.id).roles == {"participant", "moderator", "planner"}
    decision = db.session.scalar(select(ModerationDecision).where(ModerationDecision.action == "set_roles"))
    assert decision.actor_id == admin.id and decision.target_id == person.id
    assert '"participant"' in decision.state_before and '"moderator"' in decision.state_after
    # taking roles away; participant always stays
    browser.submit(f"/admin/users/{person.id}", {}, action=f"/admin/users/{person.id}/roles")
    assert db.session.get(User, person.id).roles == {"participant"}


def test_unknown_role_is_refused(browser, users, admin, db):
    person = users()
    response = browser.submit(
        f"/admin/users/{person.id}", {"roles": ["emperor"]}, action=f"/admin/users/{person.id}/roles"
    )
    assert response.status_code == 422
    assert db.session.get(User, person.id).roles == {"participant"}


def test_admin_cannot_change_own_roles(browser, admin):
    response = browser.submit(f"/admin/users/{admin.id}", {"roles": []}, action=f"/admin/users/{admin.id}/roles")
    assert response.status_code == 403


def test_block_and_unblock(browser, users, admin, db, app):
    person = users(email="troll@example.org", display_name="Troll")
    until = date.today() + timedelta(days=7)
    response = browser.submit(
        f"/admin/users/{person.id}",
        {"reason": "Beleidigungen", "until": until.isoformat()},
        action=f"/admin/users/{person.id}/block",
    )
    assert response.status_code == 302
    blocked = db.session.get(User, person.id)
    assert blocked.is_blocked and blocked.blocked_reason == "Beleidigungen"
    assert blocked.blocked_until.date() in (until, until + timedelta(days=1))  # end of that day in Cologne
    [mail] = outbox("account_blocked")
    assert mail.recipient == "troll@example.org" and "Beleidigungen" in mail.body_text

    from tests.conftest import Browser

    troll = Browser(app.test_client())
    troll.login("troll@example.org")
    page = troll.get("/").get_data(as_text=True)
    assert "Beleidigungen" in page

    browser.submit(f"/admin/users/{person.id}", {}, action=f"/admin/users/{person.id}/unblock")
    assert not db.session.get(User, person.id).is_blocked
    actions = list(db.session.scalars(select(ModerationDecision.action).order_by(ModerationDecision.id)))
    assert actions == ["block_user", "unblock_user"]
    history = browser.get(f"/admin/users/{person.id}").get_data(as_text=True)
    assert "Konto gesperrt" in history and "Sperre aufgehoben" in history and "block_user" not in history


@pytest.mark.parametrize(
    "data, field",
    [
        ({"reason": "", "until": ""}, "reason"),
        ({"reason": "x", "until": "2001-01-01"}, "until"),
        ({"reason": "x", "until": "tomorrow"}, "until"),
        ({"reason": "x" * 501, "until": ""}, "reason"),
    ],
)
def test_block_needs_reason_and_future_date(browser, users, admin, db, data, field):
    person = users()
    response = browser.submit(f"/admin/users/{person.id}", data, action=f"/admin/users/{person.id}/block")
    assert response.status_code == 422
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert soup.find(id=f"{field}-error")
    assert soup.find(id="reason").get("value", "") == data["reason"]  # what was typed stays
    assert not db.session.get(User, person.id).is_blocked


def test_admin_can_block_staff(browser, users, admin, db):
    planner = users(roles=("participant", "planner"))
    response = browser.submit(
        f"/admin/users/{planner.id}", {"reason": "Test"}, action=f"/admin/users/{planner.id}/block"
    )
    assert response.status_code == 302
    assert db.session.get(User, planner.id).is_blocked


def test_audit_log_cannot_be_changed(db, users, admin):
    from participation.core.audit import record_decision

    decision = record_decision(admin, "note", admin, reason="x")
    db.session.commit()
    decision.reason = "rewritten"
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.commit()
    db.session.rollback()
    db.session.delete(decision)
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.commit()
    db.session.rollback()


def test_edit_a_page(browser, admin, db):
    db.session.add(Page(slug="imprint", title_de="Impressum", title_en="Imprint", body_de="alt", body_en="old"))
    db.session.commit()
    data = {
        "title_de": "Impressum",
        "title_en": "Imprint",
        "body_de": "Stadt **Köln**\n\n<script>alert(1)</script>",
        "body_en": "City of **Cologne**",
    }
    response = browser.submit("/admin/pages/imprint", data)
    assert response.status_code == 302
    page = browser.get("/pages/imprint").get_data(as_text=True)
    assert "<strong>Köln</strong>" in page and "<script>alert" not in page
    assert browser.get("/admin/pages/nope").status_code == 404


def test_page_edit_errors_keep_the_text(browser, admin, db):
    db.session.add(Page(slug="terms", title_de="AGB", title_en="Terms", body_de="", body_en=""))
    db.session.commit()
    response = browser.submit(
        "/admin/pages/terms", {"title_de": "", "title_en": "Terms", "body_de": "Mein Entwurf", "body_en": ""}
    )
    assert response.status_code == 422
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert soup.find(id="title_de-error") and soup.find(id="body_de").text.strip() == "Mein Entwurf"
    assert db.session.scalar(select(Page.title_de).where(Page.slug == "terms")) == "AGB"
