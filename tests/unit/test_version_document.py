"""A masterplan version as a document: what goes in (public input only, no personal data), the Markdown
and Word forms, and a query count that does not grow with the paragraphs."""

from __future__ import annotations

import io
import re

import docx
import pytest
from flask_babel import force_locale
from markdown_it import MarkdownIt
from sqlalchemy import event

from participation.comments.services import add_comment
from participation.drafts import services as drafts
from participation.drafts.importer import apply_draft, parse_markdown
from participation.drafts.models import AGREE, DISAGREE, NEUTRAL
from participation.exports import document, word
from participation.incorporation.services import incorporate
from participation.proposals import services as proposals
from tests.drafting import DRAFT, first_paragraph, open_phase

CHAPTER_TITLE = "Offene Daten\x07 <script>alert(1)</script>\n## Neu # [^1.1-1] **fett** [Link](https://evil.example)"
PROPOSAL_TITLE = "WLAN <b>für</b> alle\x0b #1 [^2.1-1] `x`"
PARAGRAPH_TEXT = (
    "Alle Schulen bekommen **schnelles** Internet, siehe [den Plan](https://example.org/plan).\n\n"
    "- WLAN in jedem Raum\n- Tablets für *alle* Klassen"
)
COMMENT_BODY = (
    "Auch die **Berufsschulen** gehören dazu, mit Glasfaser bis in jede Werkstatt und genug Geräten für alle."
)


def _hide(contribution) -> None:
    contribution.status = "hidden"  # as the moderation leaves it


@pytest.fixture
def plan(db, users):
    open_phase(db, proposals=True)
    planner = users(email="plan@example.org", display_name="Paula Planerin", roles=("participant", "planner"))
    author = users(email="anna@example.org", display_name="Anna Autorin")
    voters = [users(email=f"voter{n}@example.org", display_name=f"Wähler*in {n}") for n in range(3)]
    version = drafts.create_version(None, "Digitales Köln 2025")
    apply_draft(version, parse_markdown(DRAFT))
    first, second = version.chapters
    first.topic, first.introduction = "education", "Bildung *für alle* Kölner*innen."
    second.title = CHAPTER_TITLE
    paragraph = first_paragraph(version)
    paragraph.text = PARAGRAPH_TEXT
    drafts.open_consultation(None, version)
    db.session.flush()
    for voter, value in zip(voters, (AGREE, AGREE, DISAGREE), strict=True):
        drafts.cast_vote(voter, paragraph, value)
    drafts.cast_vote(voters[0], first.paragraphs[1], NEUTRAL)
    comment = add_comment(voters[0], COMMENT_BODY, "addition", first, paragraph)
    hidden_comment = add_comment(voters[1], "Versteckter Kommentar", "addition", first, paragraph)
    _hide(hidden_comment)
    accepted = proposals.submit(author, PROPOSAL_TITLE, "Jede Schule bekommt WLAN.", "education", first.id)
    proposals.answer(planner, accepted, "accepted", "Ja.")
    hidden = proposals.submit(author, "Geheimer Vorschlag", "Darf niemand sehen.", "education", first.id)
    _hide(hidden)
    incorporate(planner, paragraph, accepted, "full", "Satz 2 neu.\n# keine Überschrift [^x]")
    incorporate(planner, paragraph, comment, "partly", "")
    incorporate(planner, paragraph, hidden, "full", "")
    incorporate(planner, paragraph, hidden_comment, "partly", "")
    db.session.commit()
    return {
        "version": version,
        "accepted": accepted,
        "hidden": hidden,
        "comment": comment,
        "hidden_comment": hidden_comment,
    }


def _gather(app, version):
    with app.test_request_context("/"):
        return document.gather(version)


def _docx_text(data: bytes) -> tuple[docx.document.Document, str]:
    opened = docx.Document(io.BytesIO(data))
    texts = [paragraph.text for paragraph in opened.paragraphs]
    texts += [cell.text for table in opened.tables for row in table.rows for cell in row.cells]
    return opened, "\n".join(texts)


def test_gather_holds_the_public_input_and_the_figures(app, plan):
    doc = _gather(app, plan["version"])
    assert (doc.number, doc.title, doc.status) == (1, "Digitales Köln 2025", "consultation")
    assert [chapter.number for chapter in doc.chapters] == [1, 2]
    first = doc.chapters[0]
    assert first.topic_label == "Digitale Bildung"
    assert [p.number for p in first.paragraphs] == ["1.1", "1.2"] and doc.chapters[1].paragraphs[0].number == "2.1"
    paragraph = first.paragraphs[0]
    assert (paragraph.subheading, paragraph.agree, paragraph.neutral, paragraph.disagree) == ("Schulen", 2, 0, 1)
    shaped = [(c.kind, c.id, c.extent_label) for c in paragraph.shaped_by]
    assert shaped == [("proposal", plan["accepted"].id, "vollständig"), ("comment", plan["comment"].id, "teilweise")]
    proposal, comment = paragraph.shaped_by
    assert proposal.title == PROPOSAL_TITLE and proposal.path == f"/proposals/{plan['accepted'].id}"
    assert comment.path == f"/comments/{plan['comment'].id}/path"
    assert comment.title.startswith("Auch die Berufsschulen gehören dazu") and comment.title.endswith("…")
    figures = doc.figures
    # Anna (the hidden proposal does not count), three voters, one of them also commented
    assert (figures.participants, figures.proposals, figures.comments, figures.votes) == (4, 1, 1, 4)
    assert figures.incorporations == 2 and figures.period_start == plan["version"].published_at


def test_markdown_has_the_structure_votes_and_footnotes(app, plan):
    accepted, comment = plan["accepted"], plan["comment"]
    doc = _gather(app, plan["version"])
    text = document.markdown(doc)
    assert text.startswith("# Digitales Köln 2025\n")
    assert "## 1 Digitale Bildung" in text and "### Schulen" in text
    assert "**1.1** Alle Schulen bekommen **schnelles** Internet" in text and "- WLAN in jedem Raum" in text
    assert "**1.2** Lehrkräfte werden fortgebildet." in text and "**2.1** Die Stadt" in text
    assert "Zustimmung 2 · neutral 0 · Ablehnung 1" in text
    assert "Geprägt von 2 Beiträgen aus der Beteiligung[^1.1-1][^1.1-2]" in text
    assert re.search(rf"^\[\^1\.1-1\]: .*WLAN .*<http://localhost/proposals/{accepted.id}>$", text, re.M)
    assert re.search(rf"^\[\^1\.1-2\]: .*teilweise .*<http://localhost/comments/{comment.id}/path>$", text, re.M)
    with app.test_request_context("/"), force_locale("en"):
        english = document.markdown(document.gather(plan["version"]))
    assert "agree 2 · neutral 0 · disagree 1" in english and "taken fully" in english


def test_markdown_user_text_cannot_break_the_structure(app, plan):
    text = document.markdown(_gather(app, plan["version"]))
    assert "\x07" not in text and "\x0b" not in text
    tokens = MarkdownIt("commonmark", {"html": True}).parse(text)
    headings = [(t.tag, tokens[i + 1].content) for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert [tag for tag, _ in headings] == ["h1", "h2", "h3", "h2"]
    chapter_two = headings[-1][1]
    assert (
        chapter_two.startswith("2 Offene Daten") and "&lt;script&gt;" in chapter_two and "\\[\\^1.1-1\\]" in chapter_two
    )
    assert not [t for t in tokens if t.type in ("html_block", "html_inline")]
    inline = [child for t in tokens if t.type == "inline" for child in t.children]
    assert not [c for c in inline if c.type == "link_open" and "evil" in c.attrs["href"]]
    # the footnote marks are the document's own: none from the titles or the planner's note
    assert re.findall(r"(?<!\\)\[\^([^\]]+)\]", text) == ["1.1-1", "1.1-2", "1.1-1", "1.1-2"]
    assert "\\# keine Überschrift" in text


def test_docx_has_cover_chapters_numbers_and_links(app, plan):
    accepted, comment = plan["accepted"], plan["comment"]
    data = word.docx(_gather(app, plan["version"]))
    opened, text = _docx_text(data)
    assert opened.paragraphs[0].style.name == "Title" and opened.paragraphs[0].text == "Digitales Köln 2025"
    assert "Masterplan, Version 1" in text and "offen für Kommentare" in text
    figures = [row.cells[1].text for row in opened.tables[0].rows]
    assert figures == ["4", "1", "1", "4", "2"]
    headings = [p.text for p in opened.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "1 Digitale Bildung",
        "2 Offene Daten <script>alert(1)</script> ## Neu # [^1.1-1] **fett** [Link](https://evil.example)",
    ]
    assert "Schulen" in [p.text for p in opened.paragraphs if p.style.name == "Heading 2"]
    numbered = next(p for p in opened.paragraphs if p.text.startswith("1.1 "))
    assert numbered.runs[0].bold and numbered.runs[0].text == "1.1 "
    assert numbered.text == "1.1 Alle Schulen bekommen schnelles Internet, siehe den Plan (https://example.org/plan)."
    assert any(run.bold and run.text == "schnelles" for run in numbered.runs)
    bullets = [p.text for p in opened.paragraphs if p.style.name == "List Bullet"]
    assert bullets == ["WLAN in jedem Raum", "Tablets für alle Klassen"]
    assert "Zustimmung 2 · neutral 0 · Ablehnung 1" in text
    assert "[1.1-1] Vorschlag" in text and "WLAN <b>für</b> alle #1 [^2.1-1] `x`" in text
    links = [link.url for p in opened.paragraphs for link in p.hyperlinks]
    assert links == [f"http://localhost/proposals/{accepted.id}", f"http://localhost/comments/{comment.id}/path"]
    assert "1.2 Lehrkräfte werden fortgebildet." in text and "2.1 Die Stadt" in text
    assert opened.core_properties.author == ""


def test_hidden_input_and_personal_data_stay_out(app, plan):
    doc = _gather(app, plan["version"])
    markdown_text = document.markdown(doc)
    _, word_text = _docx_text(word.docx(doc))
    for text in (markdown_text, word_text):
        assert "Geheimer Vorschlag" not in text and f"/proposals/{plan['hidden'].id}" not in text
        assert "Versteckter" not in text and f"/comments/{plan['hidden_comment'].id}" not in text
        assert "@example.org" not in text
        for name in ("Anna Autorin", "Paula Planerin", "Wähler*in"):
            assert name not in text


def test_figures_count_the_version_period_only(app, db, users, plan):
    version = plan["version"]
    drafts.close_consultation(None, version)
    db.session.commit()
    late = users(email="late@example.org")
    proposals.submit(late, "Zu spät", "Nach dem Ende der Beteiligung.", "education")
    db.session.commit()
    figures = _gather(app, version).figures
    assert (figures.participants, figures.proposals) == (4, 1)
    assert figures.period_end == version.closed_at


def test_links_are_absolute_without_a_request_too(app, plan):
    doc = document.gather(plan["version"])
    proposal = doc.chapters[0].paragraphs[0].shaped_by[0]
    assert proposal.url == f"http://localhost/proposals/{plan['accepted'].id}"
    assert proposal.path == f"/proposals/{plan['accepted'].id}"


def test_control_characters_never_reach_the_word_file(app, plan):
    doc = _gather(app, plan["version"])
    doc.chapters[0].paragraphs[0].text = "Text\x00 mit\x1f Steuer\ufffezeichen\n\n- Punkt\x01"
    doc.chapters[0].paragraphs[0].shaped_by[0].note = "Hinweis\x02"
    _, text = _docx_text(word.docx(doc))
    assert "1.1 Text mit Steuerzeichen" in text and "Hinweis" in text


@pytest.mark.parametrize(
    "text",
    [
        "# Titel\nText\n===\n<!-- ab hier ein Kommentar\n[^1.1-1]: fremde Fußnote",
        "Code:\n```\noffen\n```js\nkein Ende",
        "- Punkt\n  ```\n  im Listenpunkt offen",
        # the list ends the fence before a count of fences would: what follows is no code, and no tag
        "- item\n\n  ```\n<img src=x onerror=alert(1)>",
        "1. a\n   ~~~\n<iframe src=//evil.example>",
    ],
)
def test_planner_markdown_cannot_swallow_or_reshape_the_rest(text):
    tokens = MarkdownIt("commonmark", {"html": True}).parse(document.block_markdown(text) + "\n\n## Danach\n")
    assert [t.tag for t in tokens if t.type == "heading_open"] == ["h2"]
    assert tokens[-2].content == "Danach"
    assert not [t for t in tokens if t.type in ("html_block", "html_inline")]
    assert "[^1.1-1]:" not in document.block_markdown(text)


def _hand_made(text: str) -> document.VersionDocument:
    figures = document.ParticipationFigures(0, 0, 0, 0, 0, None, None)
    paragraph = document.DocumentParagraph("1.1", "", text, 0, 0, 0)
    chapter = document.DocumentChapter(1, "Kapitel", "", "", [paragraph])
    return document.VersionDocument(1, "Plan", "preparing", "in Vorbereitung", False, None, "", figures, [chapter])


def test_a_paragraph_that_starts_with_a_list_keeps_it(app):
    doc = _hand_made("- eins\n- zwei\n\n3. drei\n4. vier")
    assert "**1.1**\n\n- eins\n- zwei" in document.markdown(doc)
    opened, _ = _docx_text(word.docx(doc))
    styles = [(p.style.name, p.text) for p in opened.paragraphs if p.style.name != "Heading 1"]
    assert ("Normal", "1.1") in styles
    assert [text for style, text in styles if style.startswith("List")] == ["eins", "zwei", "3. drei", "4. vier"]


def _version_with(db, users, paragraphs: int):
    """A public version with two chapters and `paragraphs` paragraphs, each voted on and shaped by an
    accepted proposal, the first one also by a comment."""
    planner = users(roles=("participant", "planner"))
    author, voter = users(), users()
    half = paragraphs // 2
    source = "# Kapitel A\n\n" + "\n\n".join(f"Absatz A{n} mit {paragraphs}." for n in range(half))
    source += "\n\n# Kapitel B\n\n" + "\n\n".join(f"Absatz B{n} mit {paragraphs}." for n in range(paragraphs - half))
    version = drafts.create_version(None, f"{paragraphs} Absätze")
    apply_draft(version, parse_markdown(source))
    drafts.open_consultation(None, version)
    db.session.flush()
    everything = [p for chapter in version.chapters for p in chapter.paragraphs]
    assert len(everything) == paragraphs
    for n, paragraph in enumerate(everything):
        drafts.cast_vote(voter, paragraph, AGREE)
        proposal = proposals.submit(author, f"Vorschlag {paragraphs}-{n}", f"Text {paragraphs}-{n}.", "education")
        proposals.answer(planner, proposal, "accepted", "Ja.")
        incorporate(planner, paragraph, proposal, "full", "")
    comment = add_comment(voter, f"Ein Kommentar zu {paragraphs}.", None, version.chapters[0], everything[0])
    incorporate(planner, everything[0], comment, "partly", "")
    db.session.commit()
    return version


def _queries(app, db, version) -> tuple[int, document.VersionDocument]:
    statements = []

    def count(*args):
        statements.append(args[2])

    db.session.expire_all()
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        doc = _gather(app, version)
        document.markdown(doc)
        word.docx(doc)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements), doc


def test_gather_needs_the_same_few_queries_for_2_and_20_paragraphs(app, db, users):
    small, big = _version_with(db, users, 2), _version_with(db, users, 20)
    small_count, small_doc = _queries(app, db, small)
    big_count, big_doc = _queries(app, db, big)
    assert sum(len(c.paragraphs) for c in big_doc.chapters) == 20
    assert sum(len(p.shaped_by) for c in big_doc.chapters for p in c.paragraphs) == 21
    assert small_doc.figures.incorporations == 3 and big_doc.figures.votes == 20
    assert small_count == big_count <= 10
