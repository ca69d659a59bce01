"""The pages a new site starts with (`flask seed demo`). The legal pages' texts hold what does not
fit the fixed structure their facts are shown in (participation/pages/legal.py); the other pages
are the city's own texts, which the demo only stands in for. Seeding adds missing pages and
never touches a page an admin has edited."""

from __future__ import annotations

from sqlalchemy import select

from participation.extensions import db
from participation.pages import easy_language
from participation.pages.models import Page

# the menu named here is the admin's page list (templates/admin/index.html)
PLACEHOLDER_DE = (
    "**Platzhalter:** Dieser Text ist ein Platzhalter der Demo und noch nicht rechtlich geprüft. "
    "Die Administration ersetzt ihn unter *Administration → Seiten (Impressum, Datenschutz, Barrierefreiheit, "
    "Nutzungsbedingungen)* durch den gültigen Text der Stadt Köln."
)
PLACEHOLDER_EN = (
    "**Placeholder:** this text is a placeholder of the demo and has not been legally reviewed. "
    "The administration replaces it under *Administration → Pages (imprint, privacy, accessibility, terms)* "
    "with the City of Cologne's valid text."
)
# what earlier seeds wrote before a page's text: a page still holding that is brought up to date
OLD_PLACEHOLDER_DE = (
    "**Platzhalter:** Dieser Text ist ein Platzhalter der Demo und noch nicht rechtlich geprüft. "
    "Die Administration ersetzt ihn unter *Verwaltung → Seiten* durch den gültigen Text der Stadt Köln."
)
OLD_PLACEHOLDER_EN = (
    "**Placeholder:** this text is a placeholder of the demo and has not been legally reviewed. "
    "The administration replaces it under *Administration → Pages* with the City of Cologne's valid text."
)

IMPRINT_DE = (
    "Diese Plattform ist das Beteiligungsangebot der Stadt Köln zum Masterplan „Digitales Köln 2025“.\n\n"
    "## Nutzung der Inhalte\n\n"
    "Die veröffentlichten Beiträge, Antworten und Abstimmungsergebnisse stehen ohne Namen als offene Daten "
    "unter der Datenlizenz Deutschland – Namensnennung – 2.0 zur Verfügung."
)
IMPRINT_EN = (
    'This platform is the City of Cologne\'s participation platform for the masterplan "Digitales Köln 2025".\n\n'
    "## Use of the content\n\n"
    "The published contributions, answers and voting results are available without names as open data under "
    "the Data licence Germany – attribution – version 2.0."
)
PRIVACY_DE = (
    "Diese Datenschutzerklärung informiert nach Art. 13 der Datenschutz-Grundverordnung (DSGVO) darüber, welche "
    "personenbezogenen Daten die Beteiligungsplattform „Digitales Köln 2025“ verarbeitet. Die Angaben zu Daten, "
    "Zwecken, Rechtsgrundlagen und Speicherdauer unten erzeugt die Plattform aus ihren aktuellen Einstellungen."
)
PRIVACY_EN = (
    "This privacy notice tells you under Art. 13 of the General Data Protection Regulation (GDPR) which "
    'personal data the participation platform "Digitales Köln 2025" processes. The platform produces the '
    "details below on data, purposes, legal bases and retention from its current settings."
)
ACCESSIBILITY_DE = (
    "- Erläuterungen in Deutscher Gebärdensprache, wie sie die BITV NRW verlangt, gibt es noch nicht.\n"
    "- Ein elektronisches Kontaktformular für Rückmeldungen zur Barrierefreiheit (§ 10b Abs. 2 Nr. 2 BGG NRW) "
    "gibt es noch nicht; bitte schreiben Sie an die unten genannte Adresse.\n"
    "- Dateien zum Herunterladen (Word-Dateien der Zwischenberichte und Entwürfe, Tabellen als XLSX und CSV, "
    "das ZIP der offenen Daten) sind nicht auf Barrierefreiheit geprüft. Ihr Inhalt steht auch auf den "
    "Seiten der Plattform.\n"
    "- Beiträge der Teilnehmenden sind Inhalte Dritter: Die Plattform gibt ihnen eine zugängliche Form "
    "(Absätze, Listen, Links), kann aber nicht sicherstellen, dass ihre Texte leicht verständlich sind."
)
ACCESSIBILITY_EN = (
    "- Explanations in German Sign Language, as BITV NRW requires, are not available yet.\n"
    "- An electronic contact form for feedback on accessibility (§ 10b (2) no. 2 BGG NRW) is not available "
    "yet; please write to the address given below.\n"
    "- Files to download (Word files of interim reports and drafts, tables as XLSX and CSV, the open-data ZIP) "
    "have not been checked for accessibility. Their content is also on the platform's pages.\n"
    "- Participants' contributions are third-party content: the platform gives them an accessible form "
    "(paragraphs, lists, links) but cannot make sure that their texts are easy to understand."
)

# (slug, German title, English title, German text, English text, demo placeholder in front)
PAGES = [
    ("imprint", "Impressum", "Imprint", IMPRINT_DE, IMPRINT_EN, False),
    ("privacy", "Datenschutzerklärung", "Privacy notice", PRIVACY_DE, PRIVACY_EN, False),
    (
        "accessibility",
        "Erklärung zur Barrierefreiheit",
        "Accessibility statement",
        ACCESSIBILITY_DE,
        ACCESSIBILITY_EN,
        False,
    ),
    (
        "terms",
        "Nutzungsbedingungen",
        "Terms of use",
        "Beiträge müssen sachlich sein und dürfen keine Rechte Dritter verletzen.",
        "Contributions must be factual and must not infringe the rights of others.",
        True,
    ),
    (
        "netiquette",
        "Netiquette",
        "Netiquette",
        "Wir diskutieren respektvoll, bleiben beim Thema und schreiben keine persönlichen Daten anderer.",
        "We discuss respectfully, stay on topic and do not post other people's personal data.",
        True,
    ),
    (
        "easy-language",
        "Leichte Sprache",
        "Easy language",
        easy_language.EASY_LANGUAGE_DE,
        easy_language.EASY_LANGUAGE_EN,
        False,
    ),
]

# the texts earlier seeds gave the legal pages, after the old placeholder
OLD_TEXTS = {
    "imprint": (
        "Verantwortlich für dieses Angebot ist die Stadt Köln, Stabsstelle Digitalisierung.",
        "The City of Cologne, digitalisation unit, is responsible for this service.",
    ),
    "privacy": (
        "Wir speichern nur, was für die Beteiligung nötig ist: E-Mail-Adresse, Anzeigename, "
        "Gruppe und Ihre Beiträge. Ihre E-Mail-Adresse wird nie angezeigt oder weitergegeben. "
        "Diese Seite lädt nichts von fremden Servern.",
        "We store only what taking part needs: email address, display name, group and your "
        "contributions. Your email address is never shown or passed on. This site loads nothing "
        "from other servers.",
    ),
    "accessibility": (
        "Diese Plattform soll die Anforderungen der BITV 2.0 und der WCAG 2.1 (Stufe AA) erfüllen.",
        "This platform aims to meet BITV 2.0 and WCAG 2.1 (level AA).",
    ),
}


def default_bodies(slug: str) -> tuple[str, str]:
    for page_slug, _title_de, _title_en, text_de, text_en, placeholder in PAGES:
        if page_slug == slug:
            if placeholder:
                return f"{PLACEHOLDER_DE}\n\n{text_de}", f"{PLACEHOLDER_EN}\n\n{text_en}"
            return text_de, text_en
    raise KeyError(slug)


# pages whose earlier text was a placeholder sentence, with either placeholder in front of it
REPLACED = {"easy-language": easy_language.PLACEHOLDER_SENTENCES}


def _as_first_seeded(page: Page) -> bool:
    """Whether the page still holds the text an earlier seed gave it, with the old placeholder
    (or, for a page whose placeholder text is replaced by real content, with either placeholder)."""
    if page.slug in REPLACED:
        text_de, text_en = REPLACED[page.slug]
        return any(
            (page.body_de, page.body_en) == (f"{before_de}\n\n{text_de}", f"{before_en}\n\n{text_en}")
            for before_de, before_en in ((OLD_PLACEHOLDER_DE, OLD_PLACEHOLDER_EN), (PLACEHOLDER_DE, PLACEHOLDER_EN))
        )
    for slug, _title_de, _title_en, text_de, text_en, _placeholder in PAGES:
        if slug == page.slug:
            text_de, text_en = OLD_TEXTS.get(slug, (text_de, text_en))
            return (page.body_de, page.body_en) == (
                f"{OLD_PLACEHOLDER_DE}\n\n{text_de}",
                f"{OLD_PLACEHOLDER_EN}\n\n{text_en}",
            )
    return False


def seed_pages() -> None:
    """Add the missing pages; bring up to date the ones nobody has changed since an earlier seed."""
    existing = {page.slug: page for page in db.session.scalars(select(Page))}
    for slug, title_de, title_en, _text_de, _text_en, _placeholder in PAGES:
        body_de, body_en = default_bodies(slug)
        page = existing.get(slug)
        if page is None:
            db.session.add(Page(slug=slug, title_de=title_de, title_en=title_en, body_de=body_de, body_en=body_en))
        elif page.updated_by_id is None and _as_first_seeded(page):
            page.body_de, page.body_en = body_de, body_en
