"""The proposal list: search, filters and their counts, shareable filter states, the random
order, and a fixed number of queries whatever the data."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select

from participation.proposals import services
from participation.proposals.models import PENDING, Proposal
from tests.conftest import Browser, logged_in, queries_for
from tests.proposing import propose, titles

# --- the list --------------------------------------------------------------------------------


def test_search_filters_and_counts(app, db, people, phase):
    propose(people["anna"], "Schnelles Internet für Schulen", "Glasfaser in jede Schule.", "education", "ehrenfeld")
    propose(people["firma"], "Schulhöfe begrünen", "Mehr Bäume auf dem Schulhof.", "smart_city", "kalk")
    propose(people["uni"], "Offene Daten der Verkehrsbetriebe", "Fahrpläne in Echtzeit.", "open_data", "kalk")
    propose(people["uni"], "Geheimer Entwurf", "Wartet auf Prüfung: Schule.", "education", status=PENDING)
    db.session.commit()
    visitor = Browser(app.test_client())

    # German stemming: "Schule" finds "Schulen" and "Schulhof"; pending proposals are not found
    found = visitor.get("/proposals/?q=Schule")
    assert sorted(titles(found)) == ["Schnelles Internet für Schulen", "Schulhöfe begrünen"]
    html = found.get_data(as_text=True)
    assert "2 Vorschläge" in html
    # counts per filter value, given the search: two districts, one each
    assert re.search(r'<option value="ehrenfeld">Ehrenfeld \(1\)</option>', html)
    assert re.search(r'<option value="kalk">Kalk \(1\)</option>', html)
    # a filter narrows the search; its own counts still show the other values
    narrowed = visitor.get("/proposals/?q=Schule&district=kalk").get_data(as_text=True)
    assert titles(visitor.get("/proposals/?q=Schule&district=kalk")) == ["Schulhöfe begrünen"]
    assert re.search(r'<option value="ehrenfeld">Ehrenfeld \(1\)</option>', narrowed)
    assert re.search(r'<option value="kalk" selected>Kalk \(1\)</option>', narrowed)
    # the other filters, each by itself
    assert titles(visitor.get("/proposals/?group=universities")) == ["Offene Daten der Verkehrsbetriebe"]
    assert titles(visitor.get("/proposals/?topic=smart_city")) == ["Schulhöfe begrünen"]
    assert titles(visitor.get("/proposals/?status=accepted")) == []
    # unknown values are ignored, never passed on; hostile searches find nothing and do not fail
    assert len(titles(visitor.get("/proposals/?topic=x'--&district=<b>&group=1&chapter=abc&sort=id"))) == 3
    for query in ['"', "*", "NEAR(", "a OR", "-", "'); DROP TABLE proposal; --", "ä" * 500]:
        response = visitor.get("/proposals/", query_string={"q": query})
        assert response.status_code == 200, query


def test_every_filter_state_is_a_shareable_url_and_paging_keeps_it(app, db, people, phase):
    for number in range(45):
        propose(people["anna"], f"Vorschlag Nummer {number:02d}", f"Bank Nummer {number}.", "education", "kalk")
    db.session.commit()
    visitor = Browser(app.test_client())
    first = visitor.get("/proposals/?topic=education&district=kalk&sort=supported")
    html = first.get_data(as_text=True)
    assert "45 Vorschläge" in html
    next_link = re.search(r'href="([^"]+)" rel="next"', html).group(1).replace("&amp;", "&")
    state = parse_qs(urlsplit(next_link).query)
    assert state == {"page": ["2"], "topic": ["education"], "district": ["kalk"], "sort": ["supported"]}
    assert len(titles(visitor.get(next_link))) == 20


def test_random_order_stays_the_same_for_one_visitor_while_paging(app, db, people, phase):
    for number in range(50):
        propose(people["anna"], f"Idee {number:02d}", f"Text {number}.")
    db.session.commit()
    visitor = Browser(app.test_client())
    pages = [titles(visitor.get(f"/proposals/?sort=random&page={page}")) for page in (1, 2, 3)]
    assert sorted(title for page in pages for title in page) == sorted(f"Idee {n:02d}" for n in range(50))  # each once
    assert titles(visitor.get("/proposals/?sort=random")) == pages[0]  # again the same
    newest = titles(visitor.get("/proposals/?sort=newest"))
    assert pages[0] != newest
    # the seed is in the links, so a shared link shows the same order to someone else
    link = re.search(r'href="([^"]+)" rel="next"', visitor.get("/proposals/?sort=random").get_data(as_text=True))
    other = Browser(app.test_client())
    assert titles(other.get(link.group(1).replace("&amp;", "&"))) == pages[1]
    # and another visitor without the link gets another order
    assert any(titles(Browser(app.test_client()).get("/proposals/?sort=random")) != pages[0] for _ in range(3))


def test_no_seed_turns_the_random_order_into_newest_or_oldest_first(app, db, people, phase):
    """The random order used to be id × a + b modulo a prime: consecutive ids then form an
    arithmetic progression, which for about one seed in a hundred simply falls or rises, so the
    "random" first page was the newest-first one (the flaky paging test above). Over a thousand
    seeds, no first page is newest- or oldest-first, and the order is as unrelated to the ids as
    a real shuffle's: for 50 items a shuffle's rank correlation exceeds 0.5 about twice in 10,000."""
    from participation.proposals.listing import PER_PAGE, RANDOM, Listing

    for number in range(50):
        propose(people["anna"], f"Idee {number:02d}", f"Text {number}.")
    db.session.commit()
    ids = sorted(db.session.scalars(select(Proposal.id)))
    newest, oldest = ids[::-1][:PER_PAGE], ids[:PER_PAGE]
    rank = {proposal_id: position for position, proposal_id in enumerate(ids)}
    coinciding, correlated = [], []
    for seed in range(1, 1001):
        order = list(db.session.scalars(Listing(sort=RANDOM, seed=seed).ordered().with_only_columns(Proposal.id)))
        assert sorted(order) == ids and order == list(
            db.session.scalars(Listing(sort=RANDOM, seed=seed).ordered().with_only_columns(Proposal.id))
        )
        if order[:PER_PAGE] in (newest, oldest):
            coinciding.append(seed)
        n = len(order)
        rho = 1 - 6 * sum((position - rank[i]) ** 2 for position, i in enumerate(order)) / (n * (n * n - 1))
        if abs(rho) > 0.5:
            correlated.append(seed)
    assert coinciding == []
    assert len(correlated) <= 5, correlated


def test_list_issues_a_fixed_number_of_queries(app, db, people, phase):
    def add(n):
        for number in range(n):
            proposal = propose(people["anna" if number % 2 else "uni"], f"Schule {number}", f"Bildung {n}-{number}.")
            services.support(people["firma"], proposal)
        db.session.commit()

    reader = logged_in(app, "firma@example.org")
    add(25)
    small = {url: queries_for(reader.client, url) for url in _LIST_URLS}
    add(40)
    assert {url: queries_for(reader.client, url) for url in _LIST_URLS} == small
    assert max(small.values()) <= 14


def test_proposal_page_issues_a_fixed_number_of_queries(app, db, people, phase):
    from participation.comments.services import add_comment

    proposal = propose(people["anna"], "Mehr Bänke", "Am Rhein.")
    services.support(people["uni"], proposal)
    db.session.commit()

    def discuss(n):
        for number in range(n):
            person = people["uni" if number % 2 else "firma"]
            parent = add_comment(person, f"Kommentar {number}", None, proposal=proposal)
            add_comment(people["anna"], "Antwort", None, parent=parent)
        db.session.commit()

    reader = logged_in(app, "uni@example.org")
    url = f"/proposals/{proposal.id}"
    discuss(2)
    few = queries_for(reader.client, url)
    discuss(40)
    # one more: the threads fill more than a page, which counts them (a first page that is not
    # full counts nothing); never one per comment
    assert queries_for(reader.client, url) == few + 1
    assert few + 1 <= 13  # one of them: the measures that grew out of it (participation.measures.parts)


_LIST_URLS = ["/proposals/", "/proposals/?q=Schule", "/proposals/?topic=education&sort=random", "/proposals/?page=2"]
