"""Every download names its type and, for text, its charset exactly once: a doubled parameter
("text/csv; charset=utf-8; charset=utf-8") is invalid, and strict clients refuse it."""

from __future__ import annotations

from flask import url_for

from participation.exports import datasets
from participation.statistics import figures
from tests.conftest import Browser
from tests.site_map import DOWNLOADS, event_sample, seed_site
from tests.site_map_action import strategy_document_sample

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _downloads(site) -> dict[str, str]:
    """{url: the exact Content-Type it must have}: every CSV there is, and one of each other kind."""
    expected = {url_for("exports.download", kind=kind, fmt="csv"): CSV for kind in datasets.KINDS}
    expected |= {url_for("exports.download", kind="proposals", fmt="json"): "application/json"}
    expected |= {url_for("exports.download", kind="all", fmt="xlsx"): XLSX}
    expected |= {url_for("statistics.summary_download", key=key, fmt="csv"): CSV for key in figures.keys(False)}
    expected |= {url_for("statistics.full_download", key=key, fmt="csv"): CSV for key in figures.keys(True)}
    expected |= {url_for("statistics.full_download", key="report", fmt="xlsx"): XLSX}
    expected |= {url_for("exports.version_document", number=1, fmt="md"): "text/markdown; charset=utf-8"}
    expected |= {url_for("admin.audit_csv"): CSV, url_for("admin.audit_csv", action="hide"): CSV}
    expected |= {url_for("open_data.download_open_data"): "application/zip"}
    expected |= {url_for("reports.download_docx", report_id=site.published_report_id): DOCX}
    expected |= {
        url_for("reports.download_markdown", report_id=site.published_report_id): "text/markdown; charset=utf-8"
    }
    expected |= {url_for("measure_transfer.download", fmt="xlsx"): XLSX}
    expected |= {url_for("measure_transfer.download", fmt="zip"): "application/zip"}
    expected |= {
        url_for(
            "organisation_pages.document",
            organisation_id=site.board_id,
            document_id=strategy_document_sample(site, "organisation_pages.document"),
        ): "application/pdf"
    }
    event_id = event_sample(site, "events.calendar")
    expected |= {url_for("events.calendar", event_id=event_id): "text/calendar; charset=utf-8"}
    return expected


def test_every_download_names_its_charset_once(app, db):
    site = seed_site()
    admin = Browser(app.test_client())
    assert admin.login(site.email("admin")).status_code == 302
    with app.test_request_context():
        expected = _downloads(site)
    got = {url: admin.get(url).headers.get("Content-Type") for url in expected}
    assert got == expected
    # and every download route of the site map is among them
    reached = {app.url_map.bind("localhost").match(url.split("?")[0])[0] for url in expected}
    assert {endpoint for endpoint in DOWNLOADS if not endpoint.startswith(("api.", "openapi."))} <= reached
