"""The Nu Html Checker (vnu.jar from the npm package vnu-jar) on every page, as every kind of
person, in German and English, plus the stylesheet: zero errors."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from participation import ROOT
from tests.conftest import Browser
from tests.site_map import PERSONAS, form_states, get_pages, seed_site

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def run_vnu(paths) -> list[dict]:
    if not VNU.exists():
        pytest.fail(f"{VNU} is missing: `make test` installs it (npm ci)")
    if not shutil.which("java"):
        pytest.fail("java is missing: `make test` installs it (apt-get install default-jre-headless)")
    result = subprocess.run(
        [
            "java",
            "-jar",
            str(VNU),
            "--format",
            "json",
            "--errors-only",
            "--exit-zero-always",
            "--also-check-css",
            *map(str, paths),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    return [message for message in json.loads(result.stderr)["messages"] if message["type"] == "error"]


def test_every_page_is_valid_html(app, db, database_url, tmp_path):
    if not database_url.startswith("sqlite"):
        pytest.skip("markup does not depend on the database; validated once, on SQLite")
    site = seed_site()
    files = []
    for persona in PERSONAS:
        for language in ("de", "en") if persona in ("visitor", "admin") else ("de",):
            browser = Browser(app.test_client())
            if persona != "visitor":
                browser.login(site.email(persona), unconfirmed=persona == "unconfirmed")
            for url in get_pages(app, site):
                response = browser.get(url, headers={"Accept-Language": language})
                if response.mimetype != "text/html" or response.status_code in (301, 302, 303):
                    continue  # JSON, or a redirect whose target is validated in its own right
                name = f"{persona}-{language}-{url.strip('/').replace('/', '_') or 'home'}.html"
                path = tmp_path / name[:150]
                path.write_bytes(response.get_data())
                files.append(path)
            if persona == "participant":
                for name, response in form_states(browser).items():
                    path = tmp_path / f"{persona}-{language}-{name}.html"
                    path.write_bytes(response.get_data())
                    files.append(path)
    files.append(ROOT / "participation" / "static" / "css" / "site.css")
    assert len(files) > 50
    errors = run_vnu(files)
    assert [f"{m['url'].rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in errors] == []
