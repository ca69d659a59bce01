"""No personal data in shared page parts: every shared template and shared value in the registry
(participation.core.cache.registry) is rendered for two people of the same kind whose own state
differs (votes, own comments, organisations, supports, follows, roles), each time into an empty
store, so that each of them renders the shared part themselves. The shared parts must be the
same for both, and hold neither's name, address or CSRF token, nor their choices; each person's
own page must show their own state (else the scenario proves nothing).

A shared template without a registry entry is refused when it renders (fragments.shared) and is
found here in the source; an entry without a scenario here fails `test_every_entry_has_a_scenario`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from participation import ROOT
from participation.comments.services import add_comment
from participation.core import cache
from participation.core.cache import fragments, registry
from participation.core.cache.stores import MemoryStore
from participation.core.models import utcnow
from participation.drafts import services as drafts
from participation.measures.discussion import follow as follow_measure
from participation.organisations.models import VERIFIED, Membership, Organisation
from participation.proposals import services as proposals
from tests.conftest import Browser
from tests.drafting import first_paragraph, open_phase
from tests.measure_public import report
from tests.measuring import measure, measure_phase
from tests.proposing import propose

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
SOURCE_CALL = re.compile(r"""(?:fragments|queues)\.shared\(\s*"([^"]+)"|cache\.value\(\s*"([^"]+)\"""")


@pytest.fixture
def app_config():
    # every kind of shared part kept, as in production
    return {"LIST_CACHE_SECONDS": 60, "QUEUE_CACHE_SECONDS": 60, "REPORT_CACHE_SECONDS": 300}


@dataclass
class Person:
    browser: Browser
    email: str
    name: str
    shows: list[str | re.Pattern] = field(default_factory=list)  # in this person's page alone
    name_is_public: bool = False  # they wrote something on the page, under their name
    user: object = None


@dataclass
class Scenario:
    url: str
    people: tuple[Person, Person]


def _found(marker: str | re.Pattern, text: str) -> bool:
    return bool(marker.search(text)) if isinstance(marker, re.Pattern) else marker in text


@pytest.fixture
def person(app, db, users):
    def make(key: str, roles=("participant",), organisation: str | None = None) -> Person:
        name = f"{key.capitalize()} Leakcheck"
        user = users(email=f"{key}@example.org", display_name=name, roles=roles)
        shows = []
        if organisation:
            verein = Organisation(name=organisation, kind="association")
            db.session.add(verein)
            db.session.flush()
            db.session.add(Membership(user_id=user.id, organisation_id=verein.id, status=VERIFIED))
            db.session.commit()
        browser = Browser(app.test_client())
        browser.login(user.email)
        return Person(browser, user.email, name, shows, user=user)

    return make


# --- scenarios, one function per page; each returns the page and the people ----------------------


def _draft_people(db, person, draft, on_chapter=False):
    """Two contributors: Anna voted agree, is a planner too and speaks for an organisation; Ben
    voted disagree. Each wrote a comment (their own edit links are theirs alone)."""
    open_phase(db, votes=True, comments=True, proposals=True, supports=True)
    paragraph = first_paragraph(draft)
    anna = person("anna", roles=("participant", "planner"), organisation="Verein Annaleak")
    ben = person("ben")
    drafts.cast_vote(anna.user, paragraph, 1)
    drafts.cast_vote(ben.user, paragraph, -1)
    own = {
        who.email: add_comment(
            who.user, f"Gedanke von {who.name}", None, paragraph.chapter, None if on_chapter else paragraph
        )
        for who in (anna, ben)
    }
    db.session.commit()
    for who, choice in ((anna, "agree"), (ben, "disagree")):
        who.name_is_public = True  # their comments carry their names for everyone
        who.shows.append(f'value="{choice}" class="vote-button vote-button--chosen"')
        who.shows.append(f"/comments/{own[who.email].id}/edit")
    anna.shows.append("Verein Annaleak")
    return paragraph, anna, ben


def chapter_page(db, person, draft) -> Scenario:
    paragraph, anna, ben = _draft_people(db, person, draft, on_chapter=True)
    return Scenario(f"/masterplan/chapters/{paragraph.chapter_id}", (anna, ben))


def paragraph_page(db, person, draft) -> Scenario:
    paragraph, anna, ben = _draft_people(db, person, draft)
    return Scenario(f"/masterplan/paragraphs/{paragraph.id}", (anna, ben))


def version_page(db, person, draft) -> Scenario:
    _, anna, ben = _draft_people(db, person, draft)
    for who in (anna, ben):  # the table of contents shows no comments, votes or forms of one's own
        who.shows, who.name_is_public = [], False
        who.shows.append(who.name)  # the account link in the header
    return Scenario(f"/masterplan/{draft.number}/", (anna, ben))


def opinions_page(db, person, draft) -> Scenario:
    paragraph, anna, ben = _draft_people(db, person, draft)
    for who in (anna, ben):
        who.shows, who.name_is_public = [who.name], False  # the header's account link
    return Scenario(f"/masterplan/chapters/{paragraph.chapter_id}/opinions", (anna, ben))


def _proposal_people(db, person):
    open_phase(db, votes=False, comments=True, proposals=True, supports=True)
    author = person("autor")
    anna, ben = person("anna", organisation="Verein Annaleak"), person("ben")
    first = propose(author.user, "Annas Lieblingsidee", "Text eins.")
    second = propose(author.user, "Bens Lieblingsidee", "Text zwei.")
    db.session.commit()
    return anna, ben, first, second


def proposal_list(db, person, draft) -> Scenario:
    anna, ben, first, second = _proposal_people(db, person)
    proposals.support(anna.user, first)
    proposals.support(ben.user, second)
    db.session.commit()
    mark = "(?:(?!</li>).)*Sie unterstützen ihn"
    anna.shows.append(re.compile(f"Annas Lieblingsidee</a>{mark}", re.S))
    ben.shows.append(re.compile(f"Bens Lieblingsidee</a>{mark}", re.S))
    return Scenario("/proposals/", (anna, ben))


def proposal_page(db, person, draft) -> Scenario:
    anna, ben, first, _ = _proposal_people(db, person)
    proposals.support(anna.user, first)
    proposals.follow(anna.user, first)
    comment = add_comment(ben.user, "Bens Einwand", None, proposal=first)
    db.session.commit()
    anna.shows += ['value="withdraw"', 'value="unfollow"', "Verein Annaleak"]
    ben.shows.append(f"/comments/{comment.id}/edit")
    ben.name_is_public = True
    return Scenario(f"/proposals/{first.id}", (anna, ben))


def _staff(db, person, draft, role: str):
    """Two staff of the same kind; Anna also voted and speaks for an organisation. A third
    person's comment waits for moderation, and a fourth is blocked."""
    paragraph = first_paragraph(draft)
    anna = person("anna", roles=("participant", role), organisation="Verein Annaleak")
    ben = person("ben", roles=("participant", role))
    drafts.cast_vote(anna.user, paragraph, 1)
    other = person("dritte")
    add_comment(other.user, "Wartet auf Freigabe", None, paragraph.chapter, paragraph, held_because=["first"])
    add_comment(other.user, "Schon sichtbar", None, paragraph.chapter, paragraph)
    blocked = person("gesperrt")
    blocked.user.blocked_at, blocked.user.blocked_reason = utcnow() - timedelta(hours=1), "Beleidigungen"
    db.session.commit()
    for who in (anna, ben):
        who.shows.append(who.name)  # the header's account link
    return anna, ben


def moderation_queue(db, person, draft) -> Scenario:
    anna, ben = _staff(db, person, draft, "moderator")
    return Scenario("/moderation/new", (anna, ben))


def blocked_list(db, person, draft) -> Scenario:
    anna, ben = _staff(db, person, draft, "moderator")
    return Scenario("/moderation/blocked", (anna, ben))


def comments_to_answer(db, person, draft) -> Scenario:
    anna, ben = _staff(db, person, draft, "planner")
    return Scenario("/planning/comments/", (anna, ben))


def export_page(db, person, draft) -> Scenario:
    anna, ben = _staff(db, person, draft, "planner")
    return Scenario("/planning/exports/", (anna, ben))


def planners_report(db, person, draft) -> Scenario:
    anna, ben = _staff(db, person, draft, "planner")
    return Scenario("/planning/report/", (anna, ben))


def public_report(db, person, draft) -> Scenario:
    _, anna, ben = _draft_people(db, person, draft)
    for who in (anna, ben):
        who.shows, who.name_is_public = [who.name], False  # the header's account link
    return Scenario("/report/", (anna, ben))


def home_page(db, person, draft) -> Scenario:
    """Each has a proposal and a comment on the draft waiting for an answer, and follows the other's
    proposal, which got a comment: the personal part is theirs; the shared figures are totals."""
    open_phase(db, votes=False, comments=False, proposals=True, supports=True)
    anna, ben = person("anna"), person("ben")
    first = {anna.email: "Anna", ben.email: "Ben"}
    own = {}
    for number, who in enumerate((anna, ben)):
        own[who.email] = propose(who.user, f"Wartende Idee von {first[who.email]}", f"Begründung {number}, lang.")
        add_comment(who.user, f"Anmerkung von {first[who.email]}", None, draft.chapters[0], first_paragraph(draft))
    db.session.commit()
    for who, other in ((anna, ben), (ben, anna)):
        proposals.follow(who.user, own[other.email])
    db.session.commit()
    for who in (anna, ben):
        add_comment(who.user, "Ein Nachtrag", None, proposal=own[who.email])
    db.session.commit()
    for who, other in ((anna, ben), (ben, anna)):
        who.shows += [
            who.name,  # the header's account link
            re.compile(rf'Wartende Idee von {first[who.email]}</a>\s*<span class="status">'),
            f"Anmerkung von {first[who.email]}</a>",
            re.compile(rf"Wartende Idee von {first[other.email]}</a>:\s*1 neuer Kommentar"),
        ]
    return Scenario("/", (anna, ben))


def _measure_people(db, person):
    """Anna speaks for the body responsible for a draft sub-measure (she is its editor, not the
    published measure's); Ben is an ordinary participant."""
    anna, ben = person("anna", organisation="Verein Annaleak"), person("ben")
    parent = measure(db, title_de="Öffentliche Hauptmaßnahme")
    verein = db.session.scalar(select(Organisation).where(Organisation.name == "Verein Annaleak"))
    measure(db, public=False, title_de="Annas Entwurfsteil", parent_id=parent.id, organisation_id=verein.id)
    db.session.commit()
    return anna, ben, parent


def measure_list(db, person, draft) -> Scenario:
    anna, ben, _ = _measure_people(db, person)
    anna.shows.append("/planning/measures/")  # her link to the editors' list
    ben.shows.append(ben.name)  # the header's account link
    return Scenario("/measures/", (anna, ben))


def measure_page(db, person, draft) -> Scenario:
    anna, ben, parent = _measure_people(db, person)
    measure_phase(db)
    follow_measure(anna.user, parent)
    comment = add_comment(ben.user, "Bens Frage zur Maßnahme", None, measure=parent)
    db.session.commit()
    anna.shows += [f"/measures/{parent.id}/unfollow", "Verein Annaleak"]
    ben.shows.append(f"/comments/{comment.id}/edit")
    ben.name_is_public = True
    return Scenario(f"/measures/{parent.id}", (anna, ben))


def interim_report(db, person, draft) -> Scenario:
    """Anna speaks for an advisory board: she is offered to write its statement on the report."""
    anna, ben, parent = _measure_people(db, person)
    board = Organisation(name="Beirat Annaleak", kind="advisory_board")
    db.session.add(board)
    db.session.flush()
    db.session.add(Membership(user_id=anna.user.id, organisation_id=board.id, status=VERIFIED))
    published = report(db, "Zwischenbericht Leakcheck", [parent], publish=True)
    db.session.commit()
    anna.shows.append(f"/statements/report/{published.id}/board/{board.id}")
    ben.shows.append(ben.name)
    return Scenario(f"/measures/reports/{published.id}", (anna, ben))


SCENARIOS: dict[str, Callable] = {
    scenario.__name__: scenario
    for scenario in (
        version_page,
        chapter_page,
        paragraph_page,
        opinions_page,
        proposal_list,
        proposal_page,
        moderation_queue,
        blocked_list,
        comments_to_answer,
        export_page,
        planners_report,
        public_report,
        home_page,
        measure_list,
        measure_page,
        interim_report,
    )
}
COVERS = {
    "version_page": ("drafts/_version_body.html",),
    "chapter_page": ("drafts/_chapter_body.html",),
    "paragraph_page": ("drafts/_paragraph_body.html",),
    "opinions_page": ("drafts/_opinions_body.html",),
    "proposal_list": ("proposals/_index_body.html",),
    "proposal_page": ("proposals/_show_body.html",),
    "moderation_queue": ("moderation/_queue_body.html", "moderation queue summary"),
    "blocked_list": ("moderation/_blocked_body.html", "moderation queue summary"),
    "comments_to_answer": ("evaluation/_comment_queue_body.html",),
    "export_page": ("exports/_body.html",),
    "planners_report": ("statistics/_body.html",),
    "public_report": ("statistics/_body.html",),
    "home_page": ("main/_home_body.html", "home key figures"),
    "measure_list": ("measures/_index_body.html",),
    "measure_page": ("measures/_show_body.html",),
    "interim_report": ("reporting/_show_body.html",),
}


def test_every_entry_has_a_scenario():
    covered = {name for names in COVERS.values() for name in names}
    assert covered == set(registry.ENTRIES), "each registry entry needs a scenario here, and only those"
    assert set(COVERS) == set(SCENARIOS)


def test_every_shared_template_in_the_source_has_an_entry():
    """Views name their shared templates literally; each must be registered (and is refused
    at run time otherwise), and each registered template must exist."""
    named = set()
    for path in Path(ROOT, "participation").rglob("*.py"):
        for match in SOURCE_CALL.finditer(path.read_text(encoding="utf-8")):
            named.add(match.group(1) or match.group(2))
    assert named, "the pattern finds the shared templates"
    assert named <= set(registry.ENTRIES), named - set(registry.ENTRIES)
    for entry in registry.ENTRIES.values():
        assert not entry.template or Path(ROOT, "templates", entry.name).is_file(), entry.name


def test_a_shared_template_without_an_entry_is_refused(app):
    with app.test_request_context("/"):
        with pytest.raises(LookupError):
            fragments.shared("drafts/_version_nav.html", (), dict)
        with pytest.raises(ValueError):
            fragments.shared("drafts/_opinions_body.html", (1, 2), dict)


def _shared_now(store: MemoryStore) -> dict[str, tuple[str, str]]:
    """What the store holds: per key, everything it holds as text, and its shared text alone (the
    pieces outside the slots; the slots hold each reader's variants, the same for all)."""
    held = {}
    for key, value in MemoryStore.entries(store).items():
        assert key[0] in registry.ENTRIES, key
        if isinstance(value, fragments.Fragment):
            everything = fragments.CODEC.dump(value)
            held[json.dumps(key, default=str)] = ("".join(everything), "".join(value.pieces))
        else:
            text = json.dumps(value, default=str, ensure_ascii=False)
            held[json.dumps(key, default=str)] = (text, text)
    return held


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_shared_parts_are_the_same_for_two_people_and_hold_nothing_of_theirs(app, db, person, draft, name):
    scenario = SCENARIOS[name](db, person, draft)
    store = cache.store()
    pages, held = [], []
    for who in scenario.people:
        store.clear()  # each renders the shared parts themselves
        response = who.browser.get(scenario.url)
        assert response.status_code == 200, (name, who.email, response.status_code)
        pages.append(response.get_data(as_text=True))
        held.append(_shared_now(store))
    assert {json.loads(key)[0] for key in held[0]} >= set(COVERS[name]), "the page renders what it covers"
    assert held[0] == held[1], "the shared parts differ between two people of the same kind"

    everything = "".join(text for text, _ in held[0].values())
    pieces = "".join(shared for _, shared in held[0].values())
    for index, who in enumerate(scenario.people):
        page, others = pages[index], pages[1 - index]
        secrets = [who.email, *TOKEN.findall(page)]
        if not who.name_is_public:
            secrets.append(who.name)
        for secret in secrets:
            assert secret not in everything, (name, who.email, secret)
        for marker in who.shows:  # the person's own state: on their page, not the other's, not shared
            assert _found(marker, page), (name, who.email, marker)
            assert not _found(marker, pieces), (name, who.email, marker)
            assert not _found(marker, others), (name, who.email, marker)
