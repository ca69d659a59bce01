"""The action concept in public: the filtered list with its roll-up, a measure's page with its
milestones, indicator charts, sources and timeline, drafts seen by their editors only, and the
path of a contribution on to the measures that grew out of it."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from participation.comments.services import add_comment
from participation.drafts import services as drafts
from participation.incorporation.services import incorporate
from participation.measures import services
from participation.proposals import services as proposals
from tests.conftest import Browser, logged_in, queries_for
from tests.measuring import measure, organisation, verified_member


def titles(response) -> list[str]:
    html = response.get_data(as_text=True)
    return re.findall(r'<li class="measure-card">\s*<h3><a href="/measures/\d+" lang="\w+">([^<]+)</a>', html)


@pytest.fixture
def planner(users):
    return users(email="plan@example.org", display_name="Paula Planerin", roles=("participant", "planner"))


@pytest.fixture
def concept(db, planner):
    """Four published measures of two bodies in two fields of action, and a draft."""
    awb = organisation(db, "AWB Abfallwirtschaftsbetriebe Köln")
    rhein = organisation(db)
    made = {
        "fibre": measure(db, planner, title_de="Glasfaser für Schulen", title_en="Fibre for schools"),
        "lora": measure(
            db,
            planner,
            title_de="LoRaWAN-Netz",
            title_en="LoRaWAN network",
            topic="smart_city",
            district="ehrenfeld",
            weight=3,
        ),
        "bins": measure(
            db,
            planner,
            title_de="Sensoren in Mülltonnen",
            title_en="Sensors in bins",
            topic="smart_city",
            organisation_id=awb.id,
            inside_administration=False,
            district="ehrenfeld",
        ),
        "portal": measure(db, planner, title_de="Serviceportal", title_en="", topic="infrastructure", weight=2),
        "draft": measure(db, planner, public=False, title_de="Geheimer Entwurf", title_en="Secret draft"),
    }
    services.change_measure(planner, made["fibre"], {"progress_set": 40})
    services.change_measure(planner, made["lora"], {"progress_set": 80})
    services.change_measure(planner, made["bins"], {"progress_set": 20, "status": "implementing"}, reason="Los")
    services.change_measure(planner, made["portal"], {"progress_set": 10})
    db.session.commit()
    made["awb"], made["rhein"] = awb, rhein
    return made


def test_the_list_shows_published_measures_with_progress_and_filters_narrow_it(app, db, client, concept):
    page = client.get("/measures/")
    html = page.get_data(as_text=True)
    assert sorted(titles(page)) == sorted(
        ["Glasfaser für Schulen", "LoRaWAN-Netz", "Sensoren in Mülltonnen", "Serviceportal"]
    )
    assert "Geheimer Entwurf" not in html
    assert '<progress class="progress-bar" max="100" value="40"' in html and "Fortschritt: 40 %" in html
    assert "AWB Abfallwirtschaftsbetriebe Köln" in html and "in Umsetzung" in html
    assert '<a href="/measures/" aria-current="page">Handlungskonzept</a>' in html
    # sorted by field of action, then title
    assert titles(page).index("Glasfaser für Schulen") < titles(page).index("LoRaWAN-Netz")

    def listed(query):
        return sorted(titles(client.get(f"/measures/?{query}")))

    assert listed("topic=smart_city") == ["LoRaWAN-Netz", "Sensoren in Mülltonnen"]
    assert listed(f"organisation={concept['awb'].id}") == ["Sensoren in Mülltonnen"]
    assert listed("status=implementing") == ["Sensoren in Mülltonnen"]
    assert listed("district=ehrenfeld") == ["LoRaWAN-Netz", "Sensoren in Mülltonnen"]
    assert listed("where=outside") == ["Sensoren in Mülltonnen"]
    assert listed("where=inside&topic=smart_city") == ["LoRaWAN-Netz"]
    assert titles(client.get("/measures/?sort=progress"))[0] == "LoRaWAN-Netz"
    # counts per value go with the other filters
    assert "Ehrenfeld (2)" in client.get("/measures/?topic=smart_city").get_data(as_text=True)
    english = client.get("/measures/?sort=title", headers={"Accept-Language": "en"})
    assert titles(english) == ["Fibre for schools", "LoRaWAN network", "Sensors in bins", "Serviceportal"]


@pytest.mark.parametrize(
    "query",
    [
        "topic=<script>",
        "organisation=99999999999999999999",
        "organisation=-1",
        "organisation=abc",
        "status=deleted'--",
        "district=%00",
        "where=both",
        "sort=id;drop",
        "page=-5",
        "page=999999",
        "topic=education&topic=smart_city",
    ],
)
def test_hostile_or_unknown_filter_values_give_a_clean_page(client, concept, query):
    response = client.get(f"/measures/?{query}")
    # a NUL byte is refused by the app's input bounds before any view (400), the rest are ignored
    assert response.status_code == (400 if "%00" in query else 200)
    assert "<script>" not in response.get_data(as_text=True)


def test_the_roll_up_is_weighted_per_field_of_action_and_follows_the_filters(client, concept):
    html = client.get("/measures/").get_data(as_text=True)
    rollup = html[html.index('id="rollup-title"') : html.index('id="results-title"')]
    # infrastructure: (40·1 + 10·2) / 3 = 20; smart city: (80·3 + 20·1) / 4 = 65; all: 320 / 7 ≈ 46
    assert re.search(r"Infrastruktur.*?</th><td class=\"number\">2</td>.*?: 20 %", rollup, re.S)
    assert re.search(r"Smart City.*?</th><td class=\"number\">2</td>.*?: 65 %", rollup, re.S)
    assert re.search(r"Alle Handlungsfelder</th><td class=\"number\">4</td>.*?: 46 %", rollup, re.S)
    filtered = client.get("/measures/?district=ehrenfeld").get_data(as_text=True)
    rollup = filtered[filtered.index('id="rollup-title"') : filtered.index('id="results-title"')]
    assert "Infrastruktur" not in rollup
    assert re.search(r"Alle Handlungsfelder</th><td class=\"number\">2</td>.*?: 65 %", rollup, re.S)


def test_drafts_are_seen_by_planners_and_the_responsible_members_only(app, db, users, concept):
    draft = concept["draft"]
    users(email="p@example.org")
    member = users(email="m@example.org")
    other = users(email="o@example.org")
    verified_member(db, member, concept["rhein"])
    verified_member(db, other, concept["awb"])
    db.session.commit()
    url = f"/measures/{draft.id}"
    assert Browser(app.test_client()).get(url).status_code == 404
    assert Browser(app.test_client()).get(f"{url}/timeline").status_code == 404
    assert logged_in(app, "p@example.org").get(url).status_code == 404
    assert logged_in(app, "o@example.org").get(url).status_code == 404  # a member of another body
    for email in ("plan@example.org", "m@example.org"):
        page = logged_in(app, email).get(url)
        assert page.status_code == 200 and "Entwurf" in page.get_data(as_text=True)
    assert Browser(app.test_client()).get("/measures/999999").status_code == 404


def test_a_measures_page_with_milestones_indicator_chart_and_table(app, db, client, concept, planner):
    made = concept["fibre"]
    services.add_milestone(planner, made, {"title_de": "Ausschreibung", "planned_on": date(2020, 3, 1)})
    services.add_milestone(
        planner, made, {"title_de": "Bau", "planned_on": date(2020, 6, 1), "achieved_on": date(2020, 7, 1)}
    )
    indicator = services.add_indicator(
        planner,
        made,
        {
            "title_de": "Schulen mit Glasfaser",
            "unit_de": "%",
            "baseline": 12,
            "target": 100,
            "target_on": date(2027, 12, 31),
        },
    )
    services.record_value(planner, indicator, date(2026, 1, 1), 25, "Schulamt 2026")
    services.record_value(planner, indicator, date(2026, 7, 1), 38.5, "Schulamt Juli")
    services.post_update(planner, made, "Die **Ausschreibung** läuft.", "Tender *running*.")
    services.change_measure(planner, made, {"budget_eur": 1250000, "description_de": "Mehr *Tempo*."})
    db.session.commit()
    html = client.get(f"/measures/{made.id}").get_data(as_text=True)
    assert "Mehr <em>Tempo</em>." in html and "Die <strong>Ausschreibung</strong> läuft." in html
    assert "1.250.000,00\xa0€" in html and "RheinEnergie AG" in html
    assert "überfällig" in html and "verspätet erreicht" in html
    assert "direkt gesetzt" in html  # how the progress is found
    svg = re.search(r"<svg .*?</svg>", html, re.S).group(0)
    root = ET.fromstring(svg)  # noqa: S314 (our own output)
    assert root.get("role") == "img" and root.get("aria-labelledby")
    assert "Schulen mit Glasfaser" in svg and "Ziel: 100 %" in svg
    assert svg.count("<circle") == 2
    assert "<caption" in html and "Messwerte: Schulen mit Glasfaser" in html
    assert "Schulamt Juli" in html and "38,5" in html
    english = client.get(f"/measures/{made.id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Tender <em>running</em>." in english and "Fibre for schools" in english


def test_the_timeline_shows_the_body_never_the_person_and_starts_at_publication(app, db, users, concept, planner):
    made = concept["bins"]
    member = users(email="m@example.org", display_name="Maria Mitglied")
    verified_member(db, member, concept["awb"])
    services.change_measure(member, made, {"status": "paused"}, reason="Lieferengpass")
    db.session.commit()
    draft = concept["draft"]
    services.change_measure(planner, draft, {"title_de": "Vorher geheim"})
    services.publish_measure(planner, draft)
    db.session.commit()

    html = Browser(app.test_client()).get(f"/measures/{made.id}").get_data(as_text=True)
    timeline = html[html.index('id="timeline-title"') :]
    assert "AWB Abfallwirtschaftsbetriebe Köln" in timeline and "Stabsstelle Digitalisierung" in timeline
    assert "in Umsetzung" in timeline and "pausiert" in timeline and "Lieferengpass" in timeline
    assert "Maria Mitglied" not in html and "m@example.org" not in html
    assert "Paula Planerin" not in html and "plan@example.org" not in html
    whole = Browser(app.test_client()).get(f"/measures/{made.id}/timeline").get_data(as_text=True)
    assert "Lieferengpass" in whole and "Maria Mitglied" not in whole
    # drafting is not public: only what happened from its publication on
    published = Browser(app.test_client()).get(f"/measures/{draft.id}/timeline").get_data(as_text=True)
    assert "veröffentlicht" in published and "Geheimer Entwurf" not in published


def test_only_public_contributions_behind_a_measure_are_shown(app, db, users, concept, planner, draft):
    author = users(email="a@example.org", display_name="Anna")
    shown = proposals.submit(author, "Schnelles Netz", "Bitte.", "infrastructure")
    hidden = proposals.submit(author, "Versteckter Vorschlag", "Weg.", "infrastructure")
    withdrawn = proposals.submit(author, "Zurückgezogen", "Weg.", "infrastructure")
    shown.status, hidden.status, withdrawn.status = "accepted", "hidden", "withdrawn"
    kept = add_comment(author, "Guter Punkt", None, draft.chapters[0])
    gone = add_comment(author, "Gelöschter Punkt", None, draft.chapters[0])
    gone.status = "deleted"
    made = concept["fibre"]
    for proposal in (shown, hidden, withdrawn):
        services.link_source(planner, made, proposal_id=proposal.id)
    for comment in (kept, gone):
        services.link_source(planner, made, comment_id=comment.id)
    db.session.commit()
    html = Browser(app.test_client()).get(f"/measures/{made.id}").get_data(as_text=True)
    assert "Schnelles Netz" in html and f"/comments/{kept.id}" in html
    assert "Versteckter Vorschlag" not in html and "Zurückgezogen" not in html
    assert f"/comments/{gone.id}" not in html


def test_the_list_issues_a_fixed_number_of_queries(app, db, client, planner):
    counts = []
    for batch in (3, 30):
        for n in range(batch):
            body = organisation(db, f"Amt {batch}-{n}", kind="city_office")
            parent = measure(db, planner, title_de=f"Maßnahme {batch}-{n}", organisation_id=body.id)
            measure(db, planner, title_de=f"Teil {batch}-{n}", organisation_id=body.id, parent_id=parent.id)
        db.session.commit()
        counts.append(queries_for(client, "/measures/"))
    assert counts[0] == counts[1] and counts[1] <= 15, counts


def test_the_path_of_a_proposal_continues_to_the_measures_that_grew_out_of_it(app, db, users, planner, draft):
    author = users(email="a@example.org", display_name="Anna")
    direct = proposals.submit(author, "Sensoren an Bäumen", "Bitte.", "smart_city")
    through_plan = proposals.submit(author, "WLAN in Schulen", "Bitte.", "education")
    for proposal in (direct, through_plan):
        proposals.answer(planner, proposal, "accepted", "Ja.")
    version = drafts.copy_version(planner, draft)
    db.session.flush()
    paragraph = version.chapters[0].paragraphs[0]
    incorporate(planner, paragraph, through_plan, "full", "")
    drafts.open_consultation(planner, version)
    trees = measure(db, planner, title_de="Baumsensoren", topic="smart_city")
    services.link_source(planner, trees, proposal_id=direct.id)
    schools = measure(db, planner, title_de="WLAN für alle Schulen", topic="education")
    services.change_measure(planner, schools, {"progress_set": 55})
    services.link_paragraph(planner, schools, paragraph.lineage_key)
    secret = measure(db, planner, public=False, title_de="Noch geheim")
    services.link_source(planner, secret, proposal_id=direct.id)
    db.session.commit()

    public = Browser(app.test_client())
    path = public.get(f"/proposals/{through_plan.id}/path").get_data(as_text=True)
    assert "Maßnahmen des Handlungskonzepts" in path
    assert f'href="/measures/{schools.id}"' in path and "Fortschritt: 55 %" in path and "geplant" in path
    assert path.index("Übernommen") < path.index("WLAN für alle Schulen")
    assert "Baumsensoren" not in path
    direct_path = public.get(f"/proposals/{direct.id}/path").get_data(as_text=True)
    assert "Baumsensoren" in direct_path and "Noch geheim" not in direct_path
    page = public.get(f"/proposals/{direct.id}").get_data(as_text=True)
    assert f'href="/measures/{trees.id}"' in page and "Noch geheim" not in page
    # and from the measure back to the plan
    measure_page = public.get(f"/measures/{schools.id}").get_data(as_text=True)
    assert f'href="/masterplan/paragraphs/{paragraph.id}"' in measure_page
    nothing = proposals.submit(author, "Nichts daraus", "Bitte.", "education")
    nothing.status = "published"
    db.session.commit()
    assert "Noch keine Maßnahme" in public.get(f"/proposals/{nothing.id}/path").get_data(as_text=True)


def test_the_proposal_page_follows_the_measures_behind_it_at_once(app, db, users, planner, draft):
    """The proposal's page is shared under its revision: linking, publishing or changing a
    measure that grew out of it raises that revision, through the plan too."""
    author = users(email="a@example.org", display_name="Anna")
    direct = proposals.submit(author, "Sensoren an Bäumen", "Bitte.", "smart_city")
    through_plan = proposals.submit(author, "WLAN in Schulen", "Bitte.", "education")
    for proposal in (direct, through_plan):
        proposals.answer(planner, proposal, "accepted", "Ja.")
    version = drafts.copy_version(planner, draft)
    db.session.flush()
    paragraph = version.chapters[0].paragraphs[0]
    incorporate(planner, paragraph, through_plan, "full", "")
    drafts.open_consultation(planner, version)
    trees = measure(db, planner, public=False, title_de="Baumsensoren", topic="smart_city")
    schools = measure(db, planner, title_de="WLAN für alle Schulen", topic="education")
    db.session.commit()
    public = Browser(app.test_client())

    def shown(proposal):
        return public.get(f"/proposals/{proposal.id}").get_data(as_text=True)

    assert "Baumsensoren" not in shown(direct) and "WLAN für alle" not in shown(through_plan)
    services.link_source(planner, trees, proposal_id=direct.id)
    services.link_paragraph(planner, schools, paragraph.lineage_key)
    db.session.commit()
    assert "Baumsensoren" not in shown(direct)  # still a draft
    assert "WLAN für alle Schulen" in shown(through_plan)
    services.publish_measure(planner, trees)
    db.session.commit()
    assert "Baumsensoren" in shown(direct)
    services.change_measure(planner, schools, {"progress_set": 70})
    services.change_measure(planner, trees, {"status": "completed"}, reason="Fertig")
    db.session.commit()
    assert "Fortschritt: 70 %" in shown(through_plan)
    assert "abgeschlossen" in shown(direct)
    # taking the measure off the paragraph takes it off the shared page too
    services.unlink_paragraph(planner, schools, paragraph.lineage_key)
    db.session.commit()
    assert "WLAN für alle Schulen" not in shown(through_plan)


def test_a_measures_page_issues_a_fixed_number_of_queries(app, db, client, concept, planner):
    made = concept["fibre"]
    counts = []
    for batch in (1, 8):
        for n in range(batch):
            stone = {"title_de": f"Meilenstein {batch}-{n}", "planned_on": date(2026, 1, 1 + n)}
            services.add_milestone(planner, made, stone)
            indicator = services.add_indicator(planner, made, {"title_de": f"Indikator {batch}-{n}", "target": 9})
            for day in range(1, 4):
                services.record_value(planner, indicator, date(2026, 2, day), day, "Amt")
            services.post_update(planner, made, f"Neuigkeit {batch}-{n}")
            child = measure(db, planner, title_de=f"Teil {batch}-{n}", parent_id=made.id)
            services.change_measure(planner, child, {"status": "paused"}, reason="Warten")
        db.session.commit()
        counts.append(queries_for(client, f"/measures/{made.id}"))
    assert counts[0] == counts[1] and counts[1] <= 25, counts


def test_the_shared_pages_follow_every_public_change_at_once(app, db, client, concept, planner):
    """The list, a measure's page and a published report are rendered once and shared
    (FRAGMENT_CACHE_SECONDS is a minute here, as in production); a change is seen at once."""
    from participation.reporting import services as reporting

    fibre = concept["fibre"]
    first = reporting.create_report(
        planner,
        {
            "title_de": "Bericht",
            "title_en": "Report",
            "period_start": date(2026, 1, 1),
            "period_end": date(2026, 6, 30),
        },
    )
    reporting.publish_report(planner, first)
    db.session.commit()
    report_page = f"/measures/reports/{first.id}"
    for page in ("/measures/", f"/measures/{fibre.id}", report_page):
        assert client.get(page).status_code == 200  # now kept
    assert "Geheimer Entwurf" not in client.get("/measures/").get_data(as_text=True)

    services.change_measure(planner, fibre, {"status": "paused", "progress_set": 55}, reason="Lieferengpass")
    services.publish_measure(planner, concept["draft"])
    correction = reporting.correct_report(planner, first, "Zahlen der Schulen berichtigt")
    reporting.publish_report(planner, correction)
    db.session.commit()

    listing = client.get("/measures/?status=paused").get_data(as_text=True)
    assert titles(client.get("/measures/?status=paused")) == ["Glasfaser für Schulen"], listing
    assert "Geheimer Entwurf" in client.get("/measures/").get_data(as_text=True)
    page = client.get(f"/measures/{fibre.id}").get_data(as_text=True)
    assert "Lieferengpass" in page and "55" in page
    response = client.get(report_page)
    assert "Zahlen der Schulen berichtigt" in response.get_data(as_text=True)
    # sent in pieces (the kept part encoded once): the length still names every byte
    assert response.content_length == len(response.get_data()) and response.mimetype == "text/html"


def test_made_up_filters_and_far_pages_are_served_but_not_kept(app, db, client, concept):
    """Any organisation id and page number is accepted; only lists that can show something are
    kept, so a loop over made-up ones cannot crowd the shared parts out of the store."""
    from participation.core import cache
    from participation.core.cache.stores import MemoryStore

    store = cache.store()
    store.clear()
    for query in ("organisation=987654", "page=101", "organisation=987654&page=last"):
        response = client.get(f"/measures/?{query}")
        assert response.status_code == 200
        assert "Glasfaser für Schulen" not in response.get_data(as_text=True)
    assert not MemoryStore.entries(store)
    rhein = concept["rhein"].id
    assert "Glasfaser für Schulen" in client.get(f"/measures/?organisation={rhein}").get_data(as_text=True)
    assert [key[0] for key in MemoryStore.entries(store)] == ["measures/_index_body.html"]
