"""The audit log as admins read it: every decision, filters, and a spreadsheet-safe download."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from participation.core.exports import cell
from participation.core.models import utcnow
from tests.conftest import Browser, logged_in
from tests.xss import page_problems


def admin_browser(app, users) -> Browser:
    users(email="root@example.org", roles=("participant", "admin"))
    return logged_in(app, "root@example.org")


def test_decisions_are_listed_filtered_and_downloaded(app, db, users):
    admin = admin_browser(app, users)
    person = users(email="troll@example.org", display_name="Troll")
    page = f"/admin/users/{person.id}"
    reason = '=HYPERLINK("http://evil.example","<b>klick</b>")'
    admin.submit(page, {"reason": reason, "until": ""}, action=f"{page}/block")
    admin.submit(page, {}, action=f"{page}/unblock")
    admin.submit(page, {"roles": ["moderator"]}, action=f"{page}/roles")

    listed = admin.get("/admin/audit")
    html = listed.get_data(as_text=True)
    assert listed.status_code == 200 and "3 Einträge" in html
    assert "Konto gesperrt" in html and "Sperre aufgehoben" in html and "Rollen geändert" in html
    assert "&lt;b&gt;klick&lt;/b&gt;" in html and page_problems(html) == []
    only_blocks = admin.get("/admin/audit?action=block_user").get_data(as_text=True)
    assert "1 Eintrag" in only_blocks and "Sperre aufgehoben" not in only_blocks.split("result-count")[1]
    tomorrow = (utcnow() + timedelta(days=2)).date().isoformat()
    assert "0 Einträge" in admin.get(f"/admin/audit?since={tomorrow}").get_data(as_text=True)
    # unknown values are ignored; a range that ends before it starts is refused at the field
    assert "3 Einträge" in admin.get("/admin/audit?action=drop+table&target_type=x").get_data(as_text=True)
    backwards = admin.get(f"/admin/audit?since={tomorrow}&until=2020-01-01")
    assert backwards.status_code == 422 and "Das Ende liegt vor dem Anfang" in backwards.get_data(as_text=True)

    download = admin.get("/admin/audit.csv?action=block_user")
    assert download.mimetype == "text/csv"
    assert "attachment" in download.headers["Content-Disposition"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    rows = list(csv.reader(io.StringIO(download.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["time (UTC)", "actor", "action"]
    assert len(rows) == 2 and rows[1][2] == "block_user"
    assert rows[1][5] == "'" + reason  # a spreadsheet shows it, never runs it


def test_cells_that_look_like_formulas_are_defused():
    for dangerous in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"):
        assert cell(dangerous) == "'" + dangerous
    assert cell("Köln = schön") == "Köln = schön"
    assert cell(None) == "" and cell(42) == "42"
