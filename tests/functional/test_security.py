"""CSRF on every POST, security headers, cookies, `next` redirects and the SECRET_KEY guard."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from participation import create_app
from participation.config import ConfigError
from participation.core.security import CONTENT_SECURITY_POLICY
from participation.extensions import csrf
from tests.conftest import Browser, outbox
from tests.factories import PASSWORD
from tests.site_map import get_pages, routes, seed_site, url_for_rule


def table_snapshot(db):
    snapshot = {}
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(select(table)).all()
        snapshot[table.name] = sorted(map(repr, rows))
    return snapshot


def test_no_view_but_the_one_click_unsubscribes_is_exempt_from_csrf(app):
    # the only exemptions: a mail program's one-click unsubscribe (RFC 8058) carries the signed link
    # instead (tests/functional/test_notifications.py, test_announcements.py)
    exempt = {"participation.mail.views.stop", "participation.announcements.views.stop"}
    assert csrf._exempt_views == exempt and not csrf._exempt_blueprints
    assert app.config.get("WTF_CSRF_ENABLED", True) and app.config.get("WTF_CSRF_CHECK_DEFAULT", True)


@pytest.mark.parametrize("who", ["visitor", "admin"])
def test_every_post_without_token_is_refused_and_changes_nothing(app, client, db, who):
    site = seed_site()
    browser = Browser(client)
    if who == "admin":
        browser.login(site.email("admin"))
    rules = [rule for endpoint, method, rule in routes(app) if method == "POST"]
    assert len(rules) >= 10
    for rule in rules:
        url = url_for_rule(rule, site)  # first: a sample for deleting is made on the way
        before = table_snapshot(db)
        data = {
            "email": "victim@example.org",
            "password": "x" * 12,
            "password_confirm": "x" * 12,
            "reason": "r",
            "roles": ["admin"],
            "locale": "en",
            "display_name": "Hijacked",
            "current_password": PASSWORD,
            "stakeholder_group": "other",
            "title_de": "x",
            "title_en": "x",
            "accept_terms": "y",
        }
        response = client.post(url, data=data)
        assert response.status_code == 400, (rule.rule, response.status_code)
        assert table_snapshot(db) == before, rule.rule
        wrong = client.post(url, data=dict(data, csrf_token="forged-token"))
        assert wrong.status_code == 400, rule.rule


def check_headers(response, url):
    headers = response.headers
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, url
    assert headers["X-Content-Type-Options"] == "nosniff", url
    assert headers["Referrer-Policy"] == "same-origin", url
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], url


def test_policy_forbids_inline_script():
    directives = dict(part.strip().split(" ", 1) for part in CONTENT_SECURITY_POLICY.split(";"))
    assert directives["default-src"] == "'self'" and directives["script-src"] == "'self'"
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY and "unsafe-eval" not in CONTENT_SECURITY_POLICY


def same_origin_problems(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    problems = []
    for script in soup.find_all("script"):
        if not script.get("src", "").startswith("/static/"):
            problems.append("inline or foreign script")
    if soup.find_all("style"):
        problems.append("<style>")
    for element in soup.find_all(True):
        if "style" in element.attrs or [a for a in element.attrs if a.startswith("on")]:
            problems.append(f"inline style or handler on <{element.name}>")
        for attribute in ("src", "href", "action", "srcset", "poster"):
            value = element.get(attribute)
            if value is None or (element.name == "a" and attribute == "href"):
                continue  # links may point anywhere; resources and form targets may not
            if not value.startswith(("/", "#")) or value.startswith("//"):
                problems.append(f"<{element.name} {attribute}={value!r}>")
    return problems


@pytest.mark.parametrize("persona", ["visitor", "admin"])
def test_every_page_sends_the_headers_and_loads_only_from_this_site(app, db, persona):
    site = seed_site()
    browser = Browser(app.test_client())
    if persona != "visitor":
        browser.login(site.email(persona), unconfirmed=persona == "unconfirmed")
    for url in [*get_pages(app, site), "/static/css/site.css", "/static/favicon.svg"]:
        with browser.get(url) as response:
            check_headers(response, url)
            if response.mimetype == "text/html":
                assert same_origin_problems(response.get_data(as_text=True)) == [], url
    assert "no-store" in browser.get("/").headers["Cache-Control"]


def test_a_visitor_gets_only_the_strictly_necessary_session_cookie(app, db, client):
    site = seed_site()
    for url in get_pages(app, site):
        client.get(url)
    Browser(client).submit("/", {"locale": "en"}, action="/language")
    names = {cookie.key for cookie in client._cookies.values()}
    assert names <= {"session"}, names


def test_session_cookie_flags(browser, users, client):
    users(email="cookie@example.org")
    browser.login("cookie@example.org")
    cookie = client.get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Lax"


def test_cookies_are_secure_outside_development(monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://mitmachen.example.org")
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["PASSWORD_HASH_METHOD"] == "scrypt"


def test_secret_key_is_required_outside_development(monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app()
    monkeypatch.setenv("APP_ENV", "development")
    assert create_app().config["SECRET_KEY"]


def test_unknown_environment_is_refused(monkeypatch):
    monkeypatch.setenv("APP_ENV", "staging")
    with pytest.raises(ConfigError, match="APP_ENV"):
        create_app()


NEXT_ATTACKS = [
    "https://evil.example/",
    "//evil.example",
    "/\\evil.example",
    "\\/evil.example",
    "https:evil.example",
    "%2F%2Fevil.example",
    "http%3A%2F%2Fevil.example",
    "javascript:alert(1)",
    "/\r\n//evil.example",
    "\x00//evil.example",
    "///evil.example",
]


@pytest.mark.parametrize("target", NEXT_ATTACKS)
def test_login_next_never_leaves_the_site(browser, users, target):
    users(email="nav@example.org")
    response = browser.submit(
        "/login", {"email": "nav@example.org", "password": "correct horse battery", "next": target}
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith("//") and "evil" not in location


@pytest.mark.parametrize("target", NEXT_ATTACKS)
def test_language_switch_next_never_leaves_the_site(browser, target):
    response = browser.submit("/", {"locale": "en", "next": target}, action="/language")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_login_next_to_this_site_is_followed(browser, users):
    users(email="deep@example.org")
    response = browser.get("/account/password")
    assert response.status_code == 302 and "next=" in response.headers["Location"]
    response = browser.submit(
        response.headers["Location"], {"email": "deep@example.org", "password": "correct horse battery"}
    )
    assert response.headers["Location"] == "/account/password"


def test_oversized_request_is_refused(client):
    response = client.post("/login", data={"email": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413


def test_rate_limits_count_the_client_behind_trusted_proxies(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", "1")
    app = create_app({"APP_ENV": "testing", "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})

    @app.route("/whoami")
    def whoami():
        from flask import request

        return request.remote_addr

    response = app.test_client().get("/whoami", headers={"X-Forwarded-For": "203.0.113.7"})
    assert response.get_data(as_text=True) == "203.0.113.7"


def test_production_needs_a_public_base_url_and_tls_for_smtp_logins(monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    with pytest.raises(ConfigError, match="PUBLIC_BASE_URL"):
        create_app()
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://mitmachen.example.org")
    monkeypatch.setenv("MAIL_USERNAME", "robot")
    with pytest.raises(ConfigError, match="MAIL_USE_TLS"):
        create_app()
    monkeypatch.setenv("MAIL_USE_TLS", "true")
    assert create_app().config["MAIL_USE_TLS"]


@pytest.mark.parametrize("app_config", [{"PUBLIC_BASE_URL": "https://mitmachen.example.org", "TRUSTED_PROXIES": 1}])
def test_mailed_links_ignore_the_host_header(client, users):
    from tests.conftest import csrf_token_from, outbox

    users(email="victim@example.org")
    evil = {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}
    token = csrf_token_from(client.get("/password/forgot", headers=evil).get_data(as_text=True))
    response = client.post("/password/forgot", data={"email": "victim@example.org", "csrf_token": token}, headers=evil)
    assert response.status_code == 200
    [mail] = outbox("reset_password")
    assert "https://mitmachen.example.org/password/reset/" in mail.body_text
    assert "evil" not in mail.body_text


@pytest.mark.parametrize("app_config", [{"RATELIMIT_LOGIN": "3 per minute", "RATELIMIT_LOGIN_ACCOUNT": "50 per hour"}])
def test_guessing_from_many_addresses_does_not_lock_the_owner_out(browser, users, client):
    users(email="owner@example.org")
    for n in range(6):
        response = client.post(
            "/login",
            data={"email": "owner@example.org", "password": "guess", "csrf_token": browser.token("/login")},
            environ_base={"REMOTE_ADDR": f"198.51.100.{n}"},
        )
        assert response.status_code == 422
    assert browser.login("owner@example.org").status_code == 302


@pytest.mark.parametrize("app_config", [{"RATELIMIT_MAIL_PER_ADDRESS": "2 per hour"}])
def test_mail_to_one_address_is_limited(browser, users):
    users(email="inbox@example.org", confirmed=False)
    codes = [browser.submit("/password/forgot", {"email": "inbox@example.org"}).status_code for _ in range(3)]
    # reset mail is spaced, not refused (a refusal would let strangers block the owner's mail)
    assert codes == [200, 200, 200]
    assert len(outbox("reset_password")) == 1
    browser.login("inbox@example.org", unconfirmed=True)
    codes = [browser.submit("/account/", {}, action="/confirm/resend").status_code for _ in range(3)]
    assert codes == [302, 302, 429]


def test_a_blocked_admin_has_no_admin_powers(browser, users, db):
    from participation.core.models import utcnow

    admin = users(email="fallen@example.org", roles=("participant", "admin"))
    other = users(roles=("participant", "admin"))
    admin.blocked_at = utcnow()
    admin.blocked_reason = "compromised"
    db.session.commit()
    browser.login("fallen@example.org")
    assert browser.get("/admin/users").status_code == 403
    response = browser.submit("/", {"roles": []}, action=f"/admin/users/{other.id}/roles")
    assert response.status_code == 403
    assert "admin" in db.session.get(type(other), other.id).roles
