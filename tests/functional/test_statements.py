"""The advisory boards' statements: one per board on each published interim report and each public
version of the plan, written and changed by the board's verified members only, logged, and shown
with the version and the report."""

from __future__ import annotations

import json
from datetime import date

import pytest
from flask import render_template_string
from sqlalchemy import func, select

from participation.core import composition
from participation.core.audit import ModerationDecision
from participation.core.models import utcnow
from participation.drafts import services as drafts
from participation.reporting.models import DRAFT, PUBLISHED, STATEMENT_MAX, InterimReport, Statement
from tests.conftest import Browser, logged_in
from tests.measuring import organisation, verified_member

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> [link](javascript:alert(1))'


def _report(db, status=PUBLISHED, title="Zwischenbericht 2027/1"):
    report = InterimReport(
        title_de=title,
        title_en="Interim report 2027/1",
        period_start=date(2027, 1, 1),
        period_end=date(2027, 6, 30),
        status=status,
        published_at=utcnow() if status == PUBLISHED else None,
    )
    db.session.add(report)
    db.session.commit()
    return report


@pytest.fixture
def boards(db, users, draft):
    business = organisation(db, "Beirat Wirtschaft", kind="advisory_board")
    science = organisation(db, "Beirat Wissenschaft", kind="advisory_board")
    company = organisation(db, "RheinEnergie AG")
    people = {
        "wirt": users(email="wirt@example.org", display_name="Wiebke"),
        "wiss": users(email="wiss@example.org", display_name="Wim"),
        "other": users(email="other@example.org", display_name="Olga"),
        "rhein": users(email="rhein@example.org", display_name="Rhea"),
    }
    verified_member(db, people["wirt"], business)
    verified_member(db, people["wiss"], science)
    verified_member(db, people["rhein"], company)
    db.session.commit()
    return {"business": business, "science": science, "company": company, **people}


def _decisions(db, action):
    return list(db.session.scalars(select(ModerationDecision).where(ModerationDecision.action == action)))


def test_a_board_member_publishes_and_changes_the_statement_on_a_version(app, db, boards, draft):
    business = boards["business"]
    url = f"/statements/version/{draft.number}/board/{business.id}"
    wirt = logged_in(app, "wirt@example.org")
    version_page = wirt.get(f"/masterplan/{draft.number}/").get_data(as_text=True)
    assert "Stellungnahme von Beirat Wirtschaft schreiben" in version_page and url in version_page

    empty = wirt.submit(url, {"body": ""})
    assert empty.status_code == 422 and "Bitte schreiben Sie die Stellungnahme." in empty.get_data(as_text=True)
    too_long = wirt.submit(url, {"body": "x" * (STATEMENT_MAX + 1)})
    assert too_long.status_code == 422
    assert "höchstens" in too_long.get_data(as_text=True) and "x" * 100 in too_long.get_data(as_text=True)

    done = wirt.submit(url, {"body": "Der Beirat begrüßt **den Entwurf**."})
    assert done.status_code == 303 and done.headers["Location"].endswith(f"/masterplan/{draft.number}/#statements")
    public = Browser(app.test_client()).get(f"/masterplan/{draft.number}/").get_data(as_text=True)
    assert "Stellungnahmen der Beiräte" in public and "<strong>den Entwurf</strong>" in public
    assert "Beirat Wirtschaft" in public and url not in public  # visitors get no link to write
    assert len(_decisions(db, "statement_published")) == 1

    # changing keeps one statement per board and version, logged with before and after
    form = wirt.get(url).get_data(as_text=True)
    assert "Der Beirat begrüßt" in form and "Stellungnahme von Beirat Wirtschaft ändern" in wirt.get(
        f"/masterplan/{draft.number}/"
    ).get_data(as_text=True)
    assert wirt.submit(url, {"body": "Der Beirat begrüßt den Entwurf mit Vorbehalt."}).status_code == 303
    assert db.session.scalar(select(func.count()).select_from(Statement)) == 1
    changed = _decisions(db, "statement_changed")
    assert len(changed) == 1 and "Vorbehalt" in json.loads(changed[0].state_after)["body"]
    assert "Vorbehalt" in Browser(app.test_client()).get(f"/masterplan/{draft.number}/").get_data(as_text=True)

    # another board writes its own, shown beside the first
    science = boards["science"]
    wiss = logged_in(app, "wiss@example.org")
    assert wiss.submit(f"/statements/version/{draft.number}/board/{science.id}", {"body": "Gut."}).status_code == 303
    assert db.session.scalar(select(func.count()).select_from(Statement)) == 2


def test_refusals(app, db, boards, draft):
    business, science, company = boards["business"], boards["science"], boards["company"]
    report = _report(db)
    unpublished = _report(db, status=DRAFT, title="Entwurf")
    visitor = Browser(app.test_client())
    answer = visitor.get(f"/statements/report/{report.id}/board/{business.id}")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]
    wirt = logged_in(app, "wirt@example.org")
    # another board's statement, and a company that is no advisory board
    assert wirt.get(f"/statements/report/{report.id}/board/{science.id}").status_code == 403
    refused = wirt.submit(
        f"/statements/report/{report.id}/board/{business.id}",
        {"body": "Fremd"},
        action=f"/statements/report/{report.id}/board/{science.id}",
    )
    assert refused.status_code == 403 and "Beirat Wissenschaft" in refused.get_data(as_text=True)
    assert (
        logged_in(app, "rhein@example.org").get(f"/statements/report/{report.id}/board/{company.id}").status_code == 404
    )
    # not a member at all
    other = logged_in(app, "other@example.org")
    assert other.get(f"/statements/report/{report.id}/board/{business.id}").status_code == 403
    # unpublished report, a version being prepared, ids that do not exist
    assert wirt.get(f"/statements/report/{unpublished.id}/board/{business.id}").status_code == 404
    preparing = drafts.copy_version(None, draft)
    db.session.commit()
    assert wirt.get(f"/statements/version/{preparing.number}/board/{business.id}").status_code == 404
    assert wirt.get(f"/statements/version/99/board/{business.id}").status_code == 404
    assert wirt.get(f"/statements/report/999999/board/{business.id}").status_code == 404
    assert wirt.get(f"/statements/report/{report.id}/board/999999").status_code == 404
    # a blocked member may not speak for the board
    boards["wirt"].blocked_at, boards["wirt"].blocked_reason = utcnow(), "Spam"
    db.session.commit()
    assert wirt.get(f"/statements/report/{report.id}/board/{business.id}").status_code in (302, 403)
    assert db.session.scalar(select(func.count()).select_from(Statement)) == 0


def test_statements_on_a_published_report_are_lent_to_its_page(app, db, boards):
    report = _report(db)
    business = boards["business"]
    url = f"/statements/report/{report.id}/board/{business.id}"
    wirt = logged_in(app, "wirt@example.org")
    assert "Zwischenbericht 2027/1" in wirt.get(url).get_data(as_text=True)
    done = wirt.submit(url, {"body": "Fortschritt ist sichtbar."})
    page = f"/measures/reports/{report.id}"
    assert done.status_code == 303 and done.headers["Location"].endswith(f"{page}#statements")
    assert "Fortschritt ist sichtbar." in wirt.get(url).get_data(as_text=True)  # kept in the form
    shown = wirt.get(page).get_data(as_text=True)  # with the report, under the board's name
    assert "Beirat Wirtschaft" in shown and "Fortschritt ist sichtbar." in shown
    with app.test_request_context("/"):
        html = render_template_string(
            '{% include "reporting/_statements.html" %}', **composition.gathered("reporting.report", report)
        )
    assert "Beirat Wirtschaft" in html and "Fortschritt ist sichtbar." in html
    assert len(_decisions(db, "statement_published")) == 1


def test_xss_in_statements_is_neutralised(app, db, boards, draft):
    business = boards["business"]
    report = _report(db)
    wirt = logged_in(app, "wirt@example.org")
    for url in (
        f"/statements/version/{draft.number}/board/{business.id}",
        f"/statements/report/{report.id}/board/{business.id}",
    ):
        assert wirt.submit(url, {"body": HOSTILE}).status_code == 303
        assert "<script>alert" not in wirt.get(url).get_data(as_text=True)
    page = Browser(app.test_client()).get(f"/masterplan/{draft.number}/").get_data(as_text=True)
    assert "Beirat Wirtschaft" in page
    assert "<script>alert" not in page and "<img src=x" not in page and 'href="javascript:' not in page
    with app.test_request_context("/"):
        html = render_template_string(
            '{% include "reporting/_statements.html" %}', **composition.gathered("reporting.report", report)
        )
    assert "Beirat Wirtschaft" in html
    assert "<script>alert" not in html and "<img src=x" not in html and 'href="javascript:' not in html


def test_the_organisation_form_offers_the_new_kinds(app, db, users):
    users(email="admin@example.org", roles=("participant", "admin"))
    page = logged_in(app, "admin@example.org").get("/admin/organisations").get_data(as_text=True)
    assert 'value="advisory_board"' in page and 'value="city_office"' in page
