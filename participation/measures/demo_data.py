"""The demo's action concept, written for this project from public facts (DESIGN.md section 1):
measures of the city offices and the municipal companies with a history over 2025 and 2026.

Each measure: key (its external id "demo-KEY"), field of action, responsible body, titles and
descriptions (de, en), dates, progress mode, and what happened to it (`events`: date, field,
value, reason), milestones (title de, en, planned, reached or None, weight), indicators (title
de, en, unit de, en, baseline, baseline date, target, target date, source, values by date) and
dated public updates. The dates are chosen so that the interim reports of the second half of 2025
and the first half of 2026 differ: new, completed, stopped and delayed measures."""

from __future__ import annotations

AFI = "Amt für Informationsverarbeitung"
SCHULEN = "Amt für Schulentwicklung"
STADTENTWICKLUNG = "Amt für Stadtentwicklung und Statistik"
BUERGERDIENSTE = "Amt für Bürgerdienste"
BIBLIOTHEK = "Stadtbibliothek Köln"
RHEINENERGIE = "RheinEnergie AG"
AWB = "AWB Abfallwirtschaftsbetriebe Köln"
KOELNBUSINESS = "KölnBusiness Wirtschaftsförderung"
KOELNMESSE = "Koelnmesse GmbH"

M = [
    {
        "key": "schulen-glasfaser",
        "topic": "education",
        "org": SCHULEN,
        "title": ("Glasfaser für alle Kölner Schulen", "Fibre for every school in Cologne"),
        "text": (
            "Alle rund 270 städtischen Schulen erhalten einen Glasfaseranschluss mit mindestens 1 Gbit/s "
            "und ein flächendeckendes WLAN. Schulen in Stadtteilen mit hohem Förderbedarf werden zuerst "
            "angeschlossen.\n\n- Ausbau über den DigitalPakt Schule\n- WLAN in allen Unterrichtsräumen",
            "All of the roughly 270 municipal schools get a fibre connection of at least 1 Gbit/s and "
            "Wi-Fi throughout. Schools in districts with the greatest need are connected first.\n\n"
            "- Funded through the DigitalPakt Schule\n- Wi-Fi in every classroom",
        ),
        "start": "2024-09-01",
        "end": "2027-12-31",
        "budget": 48_500_000,
        "weight": 3,
        "created": "2025-02-10",
        "published": "2025-02-17",
        "events": [
            ("2025-03-01", "status", "implementing", "Rahmenvertrag für den Ausbau vergeben."),
            ("2025-06-30", "progress", 20, ""),
            ("2025-12-15", "progress", 35, ""),
            ("2026-06-20", "progress", 52, ""),
            ("2026-11-10", "progress", 61, ""),
        ],
        "indicators": [
            (
                "Anteil der Schulen mit Glasfaseranschluss",
                "Share of schools with a fibre connection",
                "%",
                "%",
                38,
                "2024-12-31",
                100,
                "2027-12-31",
                "Amt für Schulentwicklung, Ausbaucontrolling",
                [("2025-03-31", 41), ("2025-09-30", 49), ("2025-12-31", 55), ("2026-06-30", 66), ("2026-09-30", 71)],
            ),
        ],
        "updates": [
            (
                "2025-10-06",
                "In Chorweiler und Kalk sind die ersten 18 Schulen angeschlossen.",
                "In Chorweiler and Kalk the first 18 schools are connected.",
            ),
            (
                "2026-07-02",
                "Zwei Drittel der Schulen haben jetzt Glasfaser; Tiefbau in Porz verzögert sich.",
                "Two thirds of the schools now have fibre; civil works in Porz are delayed.",
            ),
        ],
    },
    {
        "key": "schulen-endgeraete",
        "topic": "education",
        "org": SCHULEN,
        "title": ("Digitale Endgeräte und Lernplattform", "Digital devices and a learning platform"),
        "text": (
            "Schüler*innen und Lehrkräfte erhalten Tablets und Laptops aus dem Medienentwicklungsplan; "
            "alle Schulen nutzen eine gemeinsame, datenschutzkonforme Lernplattform.",
            "Pupils and teachers receive tablets and laptops from the media development plan; every "
            "school uses a shared, privacy-compliant learning platform.",
        ),
        "start": "2025-01-01",
        "end": "2026-12-31",
        "budget": 21_000_000,
        "weight": 2,
        "mode": "milestones",
        "created": "2025-02-10",
        "published": "2025-02-17",
        "events": [("2025-02-20", "status", "implementing", "Medienentwicklungsplan vom Rat beschlossen.")],
        "milestones": [
            ("Ausschreibung der Endgeräte", "Tender for the devices", "2025-04-30", "2025-04-28", 1),
            (
                "Lernplattform an allen Gymnasien",
                "Learning platform at all grammar schools",
                "2025-09-30",
                "2025-10-14",
                1,
            ),
            (
                "Lernplattform an allen Grundschulen",
                "Learning platform at all primary schools",
                "2026-03-31",
                "2026-05-20",
                2,
            ),
            ("40.000 Geräte ausgegeben", "40,000 devices handed out", "2026-12-31", None, 2),
        ],
        "indicators": [
            (
                "Ausgegebene Endgeräte",
                "Devices handed out",
                "Geräte",
                "devices",
                12_000,
                "2024-12-31",
                40_000,
                "2026-12-31",
                "Schul-IT-Support, Inventar",
                [("2025-06-30", 18_400), ("2025-12-31", 24_900), ("2026-06-30", 31_200), ("2026-10-31", 35_800)],
            ),
        ],
    },
    {
        "key": "bibliothek-digitallotsen",
        "topic": "education",
        "org": BIBLIOTHEK,
        "title": ("Digitallotsen in den Stadtteilbibliotheken", "Digital guides in the district libraries"),
        "text": (
            "Ehrenamtliche Digitallotsen helfen wöchentlich beim Smartphone, bei Online-Anträgen und "
            "Videotelefonie – in allen Stadtteilbibliotheken und Bürgerzentren.",
            "Volunteer digital guides help weekly with smartphones, online applications and video calls – "
            "in every district library and community centre.",
        ),
        "start": "2025-04-01",
        "end": "2027-03-31",
        "budget": 350_000,
        "created": "2025-03-20",
        "published": "2025-04-01",
        "inside": False,
        "events": [
            ("2025-05-01", "status", "implementing", "Erste Lotsen geschult, Sprechstunden laufen."),
            ("2025-12-01", "progress", 40, ""),
            ("2026-06-01", "progress", 65, ""),
        ],
        "indicators": [
            (
                "Beratungen pro Quartal",
                "Consultations per quarter",
                "Beratungen",
                "consultations",
                0,
                "2025-03-31",
                3_000,
                "2027-03-31",
                "Stadtbibliothek Köln, Statistik",
                [("2025-06-30", 420), ("2025-09-30", 910), ("2025-12-31", 1_380), ("2026-06-30", 2_150)],
            ),
        ],
    },
    {
        "key": "koelnbusiness-gruendungslotse",
        "topic": "economy",
        "org": KOELNBUSINESS,
        "title": ("Gründungslotse: ein Ansprechpartner für Start-ups", "Start-up pilot: one contact for founders"),
        "text": (
            "KölnBusiness bündelt Anträge und Genehmigungen für digitale Gründungen in einem Lotsendienst "
            "und fördert Start-ups mit Beratung, Netzwerk und Zugang zu städtischen Pilotprojekten.",
            "KölnBusiness bundles applications and permits for digital start-ups in one pilot service and "
            "supports start-ups with advice, networks and access to municipal pilot projects.",
        ),
        "start": "2025-01-15",
        "end": "2027-12-31",
        "budget": 1_200_000,
        "weight": 2,
        "inside": False,
        "district": "innenstadt",
        "created": "2025-01-20",
        "published": "2025-01-27",
        "events": [
            ("2025-02-03", "status", "implementing", "Lotsendienst im Startplatz eröffnet."),
            ("2025-09-30", "progress", 30, ""),
            ("2026-03-31", "progress", 45, ""),
            ("2026-09-30", "progress", 60, ""),
        ],
        "indicators": [
            (
                "Unterstützte Start-ups",
                "Start-ups supported",
                "Start-ups",
                "start-ups",
                0,
                "2025-01-01",
                300,
                "2027-12-31",
                "KölnBusiness, CRM-Auswertung",
                [("2025-06-30", 46), ("2025-12-31", 102), ("2026-06-30", 161), ("2026-09-30", 188)],
            ),
        ],
    },
    {
        "key": "koelnbusiness-reallabor",
        "topic": "economy",
        "org": KOELNBUSINESS,
        "title": ("Reallabor Mülheimer Hafen", "Living lab at Mülheim harbour"),
        "text": (
            "Ein zeitlich begrenztes Reallabor, in dem Start-ups Logistik- und Mobilitätslösungen im "
            "öffentlichen Raum erproben – mit den Anwohnenden und den Fachämtern.",
            "A time-limited living lab where start-ups test logistics and mobility solutions in public "
            "space – together with residents and the city's departments.",
        ),
        "start": "2025-09-01",
        "end": "2027-06-30",
        "budget": 800_000,
        "mode": "milestones",
        "inside": False,
        "district": "muelheim",
        "created": "2025-08-18",
        "published": "2025-09-01",
        "events": [("2025-10-15", "status", "preparing", "Fläche mit dem Hafenbetreiber abgestimmt.")],
        "milestones": [
            ("Fläche gesichert", "Site secured", "2025-10-31", "2025-10-15", 1),
            ("Anwohnendenversammlung", "Residents' meeting", "2026-02-28", "2026-03-05", 1),
            ("Genehmigung der Testfelder", "Permit for the test fields", "2026-05-31", None, 2),
            ("Erste Testphase abgeschlossen", "First test phase finished", "2026-12-31", None, 2),
        ],
    },
    {
        "key": "koelnmesse-formate",
        "topic": "economy",
        "org": KOELNMESSE,
        "title": ("Digitale und hybride Messeformate", "Digital and hybrid trade-fair formats"),
        "text": (
            "Die Koelnmesse ergänzt ihre Leitmessen um digitale Plattformen, Livestreams und ganzjährige "
            "Community-Angebote; Kölner Start-ups erhalten Ausstellungsflächen zu Sonderkonditionen.",
            "Koelnmesse adds digital platforms, livestreams and year-round community offers to its leading "
            "fairs; Cologne start-ups get exhibition space at special rates.",
        ),
        "start": "2025-01-01",
        "end": "2027-12-31",
        "weight": 2,
        "inside": False,
        "district": "innenstadt",
        "created": "2025-03-03",
        "published": "2025-03-10",
        "events": [
            ("2025-03-10", "status", "implementing", "Digitalstrategie der Koelnmesse beschlossen."),
            ("2025-11-30", "progress", 35, ""),
            ("2026-05-31", "progress", 55, ""),
        ],
        "indicators": [
            (
                "Digitale und hybride Messeformate",
                "Digital and hybrid trade-fair formats",
                "Formate",
                "formats",
                4,
                "2024-12-31",
                20,
                "2027-12-31",
                "Koelnmesse, Geschäftsbericht",
                [("2025-06-30", 7), ("2025-12-31", 10), ("2026-06-30", 13)],
            ),
        ],
        "updates": [
            (
                "2026-02-12",
                "Die ISM 2026 lief erstmals mit einer ganzjährigen digitalen Fachbesucherplattform.",
                "ISM 2026 ran with a year-round digital platform for trade visitors for the first time.",
            ),
        ],
    },
    {
        "key": "ozg-programm",
        "topic": "administration",
        "org": AFI,
        "title": ("Programm Verwaltungsleistungen online (OZG)", "Programme: administrative services online (OZG)"),
        "text": (
            "Das Programm setzt das Onlinezugangsgesetz in Köln um und führt das Digitalisierungsprogramm "
            "seit 2018 fort (Teilstrategie *Digital Governance*). Sein Fortschritt ergibt sich aus den "
            "Teilprojekten.",
            "The programme implements the Online Access Act in Cologne and continues the digitalisation "
            "programme running since 2018 (sub-strategy *Digital Governance*). Its progress is computed "
            "from its sub-projects.",
        ),
        "start": "2025-01-01",
        "end": "2027-12-31",
        "budget": 12_000_000,
        "weight": 4,
        "mode": "submeasures",
        "created": "2025-01-13",
        "published": "2025-01-20",
        "events": [("2025-01-20", "status", "implementing", "Programmsteuerung eingerichtet.")],
        "indicators": [
            (
                "Online verfügbare Verwaltungsleistungen",
                "Administrative services available online",
                "Leistungen",
                "services",
                160,
                "2024-12-31",
                420,
                "2027-12-31",
                "Amt für Informationsverarbeitung, OZG-Dashboard",
                [
                    ("2025-03-31", 184),
                    ("2025-06-30", 212),
                    ("2025-12-31", 251),
                    ("2026-06-30", 298),
                    ("2026-09-30", 317),
                ],
            ),
        ],
    },
    {
        "key": "ozg-termine",
        "parent": "ozg-programm",
        "topic": "administration",
        "org": BUERGERDIENSTE,
        "title": ("Online-Terminbuchung mit Vertretung", "Online appointments, also on behalf of others"),
        "text": (
            "Termine in allen Kundenzentren online buchen – auch für Angehörige mit Vollmacht, mit "
            "Erinnerung und Absage per E-Mail.",
            "Book appointments at every service centre online – also for relatives with a power of "
            "attorney, with reminders and cancellation by email.",
        ),
        "start": "2025-02-01",
        "end": "2026-06-30",
        "created": "2025-01-13",
        "published": "2025-01-20",
        "events": [
            ("2025-02-03", "status", "implementing", "Auftrag an den Dienstleister erteilt."),
            ("2025-06-30", "progress", 40, ""),
            ("2025-12-10", "progress", 75, ""),
            ("2026-05-15", "progress", 100, ""),
            ("2026-05-15", "status", "completed", "In allen Kundenzentren live; Vertretung seit Mai möglich."),
        ],
    },
    {
        "key": "ozg-bauantrag",
        "parent": "ozg-programm",
        "topic": "administration",
        "org": AFI,
        "title": ("Digitaler Bauantrag", "Digital building permit application"),
        "text": (
            "Bauanträge werden vollständig digital gestellt, geprüft und beschieden; Fachämter arbeiten "
            "parallel an einer Akte.",
            "Building permit applications are submitted, reviewed and decided fully digitally; the "
            "departments work in parallel on one file.",
        ),
        "start": "2025-01-01",
        "end": "2026-03-31",
        "weight": 2,
        "created": "2025-01-13",
        "published": "2025-01-20",
        "events": [
            ("2025-02-15", "status", "implementing", "Landeslösung übernommen, Anpassung begonnen."),
            ("2025-09-30", "progress", 35, ""),
            ("2025-12-31", "progress", 50, ""),
            ("2026-06-15", "progress", 70, ""),
            ("2026-10-15", "progress", 80, ""),
        ],
        "updates": [
            (
                "2026-04-08",
                "Die Anbindung der Fachverfahren dauert länger als geplant; der Start verschiebt sich.",
                "Connecting the departments' systems takes longer than planned; the launch is delayed.",
            ),
        ],
    },
    {
        "key": "ozg-eakte",
        "parent": "ozg-programm",
        "topic": "administration",
        "org": AFI,
        "title": ("E-Akte in allen Dezernaten", "Electronic files in every department"),
        "text": (
            "Die elektronische Akte ersetzt die Papierakte in allen Dezernaten; Schulungen begleiten die Einführung.",
            "The electronic file replaces paper files in every department; training accompanies the roll-out.",
        ),
        "start": "2025-01-01",
        "end": "2027-12-31",
        "weight": 2,
        "mode": "milestones",
        "created": "2025-01-13",
        "published": "2025-01-20",
        "events": [("2025-03-01", "status", "implementing", "Pilot im Dezernat Finanzen gestartet.")],
        "milestones": [
            ("Pilot Dezernat Finanzen", "Pilot in the finance department", "2025-06-30", "2025-06-23", 1),
            ("Vier Dezernate umgestellt", "Four departments switched", "2025-12-31", "2026-01-28", 2),
            ("Acht Dezernate umgestellt", "Eight departments switched", "2026-12-31", None, 2),
            ("Alle Dezernate umgestellt", "All departments switched", "2027-12-31", None, 3),
        ],
    },
    {
        "key": "ozg-gewerbe",
        "parent": "ozg-programm",
        "topic": "administration",
        "org": AFI,
        "title": ("Gewerbeanmeldung online", "Business registration online"),
        "text": (
            "Gewerbe an-, um- und abmelden ohne Termin – ein Beitrag zum Bürokratieabbau für Unternehmen.",
            "Register, change and deregister a business without an appointment – less red tape for businesses.",
        ),
        "start": "2025-01-01",
        "end": "2025-09-30",
        "created": "2025-01-13",
        "published": "2025-01-20",
        "events": [
            ("2025-01-20", "status", "implementing", "Umsetzung mit dem Land NRW abgestimmt."),
            ("2025-05-30", "progress", 60, ""),
            ("2025-09-25", "progress", 100, ""),
            ("2025-09-25", "status", "completed", "Online-Dienst freigeschaltet."),
        ],
    },
    {
        "key": "datenkompetenz",
        "topic": "administration",
        "org": AFI,
        "title": ("Datenkompetenz in der Verwaltung", "Data literacy in the administration"),
        "text": (
            "Eine Weiterbildungsreihe mit den Kölner Hochschulen, damit Fachämter ihre Daten selbst "
            "auswerten und als offene Daten veröffentlichen.",
            "A training series with Cologne's universities so that departments analyse their own data and "
            "publish it as open data.",
        ),
        "start": "2026-03-01",
        "end": "2027-06-30",
        "budget": 240_000,
        "created": "2026-01-19",
        "published": "2026-01-26",
        "events": [("2026-03-02", "status", "preparing", "Kooperationsvertrag mit der Universität zu Köln.")],
    },
    {
        "key": "maengelmelder",
        "topic": "administration",
        "org": BUERGERDIENSTE,
        "title": ("Mängelmelder mit Rückmeldung", "Defect reports with feedback"),
        "text": (
            "Wer eine kaputte Laterne oder ein Schlagloch meldet, erfährt, wann repariert wird – nicht nur, "
            "dass die Meldung eingegangen ist.",
            "Whoever reports a broken street light or a pothole learns when it will be repaired – not only "
            "that the report arrived.",
        ),
        "start": "2026-04-01",
        "end": "2027-03-31",
        "district": "citywide",
        "created": "2026-02-09",
        "published": "2026-02-16",
        "events": [
            ("2026-04-01", "status", "implementing", "Schnittstelle zum Straßenbau-Fachverfahren beauftragt."),
            ("2026-06-25", "progress", 20, ""),
            ("2026-10-30", "progress", 45, ""),
        ],
    },
]
