"""The demo's measures of smart city, open data, infrastructure, the vision and learning from other
cities (the format: participation/measures/demo_data.py)."""

from __future__ import annotations

from participation.measures.demo_data import AFI, AWB, BIBLIOTHEK, KOELNBUSINESS, RHEINENERGIE, STADTENTWICKLUNG

M = [
    {
        "key": "lorawan",
        "topic": "smart_city",
        "org": RHEINENERGIE,
        "title": ("Stadtweites LoRaWAN-Netz", "City-wide LoRaWAN network"),
        "text": (
            "RheinEnergie baut ein stadtweites Funknetz für Sensoren (LoRaWAN) auf. Verwaltung, städtische "
            "Gesellschaften und Hochschulen nutzen es für Messwerte von Bodenfeuchte bis Füllstand "
            "(Teilstrategie *Smart City*).",
            "RheinEnergie builds a city-wide radio network for sensors (LoRaWAN). The administration, "
            "municipal companies and universities use it for readings from soil moisture to fill levels "
            "(sub-strategy *Smart City*).",
        ),
        "start": "2024-06-01",
        "end": "2026-12-31",
        "budget": 2_600_000,
        "weight": 3,
        "mode": "milestones",
        "inside": False,
        "created": "2025-01-27",
        "published": "2025-02-03",
        "events": [("2025-02-03", "status", "implementing", "Netzplanung abgeschlossen, Ausbau läuft.")],
        "milestones": [
            ("Innenstadt versorgt", "City centre covered", "2025-03-31", "2025-03-20", 1),
            (
                "Alle linksrheinischen Bezirke versorgt",
                "All districts left of the Rhine covered",
                "2025-09-30",
                "2025-10-08",
                2,
            ),
            (
                "Alle rechtsrheinischen Bezirke versorgt",
                "All districts right of the Rhine covered",
                "2026-06-30",
                "2026-06-24",
                2,
            ),
            ("Offenes Sensordaten-Portal", "Open sensor data portal", "2026-12-31", None, 1),
        ],
        "indicators": [
            (
                "Installierte LoRaWAN-Gateways",
                "LoRaWAN gateways installed",
                "Gateways",
                "gateways",
                32,
                "2024-12-31",
                250,
                "2026-12-31",
                "RheinEnergie, Netzbetrieb",
                [
                    ("2025-03-31", 71),
                    ("2025-06-30", 104),
                    ("2025-12-31", 158),
                    ("2026-06-30", 221),
                    ("2026-09-30", 236),
                ],
            ),
        ],
        "updates": [
            (
                "2025-10-09",
                "Alle linksrheinischen Bezirke sind versorgt. Als Nächstes folgen Kalk, Mülheim und Porz.",
                "All districts left of the Rhine are covered. Kalk, Mülheim and Porz come next.",
            ),
        ],
    },
    {
        "key": "ladepunkte",
        "topic": "smart_city",
        "org": RHEINENERGIE,
        "title": ("Öffentliche Ladepunkte für E-Mobilität", "Public charging points for e-mobility"),
        "text": (
            "RheinEnergie baut öffentlich zugängliche Ladepunkte aus, vorrangig in Wohnvierteln ohne "
            "private Stellplätze; Auslastung und Störungen werden als offene Daten veröffentlicht.",
            "RheinEnergie expands publicly accessible charging points, first in residential areas without "
            "private parking; utilisation and outages are published as open data.",
        ),
        "start": "2024-01-01",
        "end": "2028-12-31",
        "budget": 35_000_000,
        "weight": 3,
        "inside": False,
        "created": "2025-01-27",
        "published": "2025-02-03",
        "events": [
            ("2025-02-03", "status", "implementing", "Ausbauprogramm 2025–2028 vom Aufsichtsrat beschlossen."),
            ("2025-06-30", "progress", 22, ""),
            ("2025-12-31", "progress", 31, ""),
            ("2026-06-30", "progress", 42, ""),
        ],
        "indicators": [
            (
                "Öffentliche Ladepunkte",
                "Public charging points",
                "Ladepunkte",
                "charging points",
                1_250,
                "2024-12-31",
                3_000,
                "2028-12-31",
                "RheinEnergie, Ladeinfrastruktur-Monitoring",
                [("2025-06-30", 1_480), ("2025-12-31", 1_690), ("2026-06-30", 1_960), ("2026-09-30", 2_070)],
            ),
        ],
    },
    {
        "key": "awb-fuellstand",
        "topic": "smart_city",
        "org": AWB,
        "title": ("Füllstandssensoren an Abfallbehältern", "Fill-level sensors on waste bins"),
        "text": (
            "Die AWB statten Papierkörbe an belebten Plätzen und Glascontainer mit Füllstandssensoren aus. "
            "Die Daten laufen über das LoRaWAN-Netz; geleert wird, wenn es nötig ist.",
            "AWB equips litter bins in busy squares and bottle banks with fill-level sensors. The data run "
            "over the LoRaWAN network; bins are emptied when they need to be.",
        ),
        "start": "2025-04-01",
        "end": "2027-06-30",
        "budget": 1_900_000,
        "weight": 2,
        "inside": False,
        "created": "2025-04-07",
        "published": "2025-04-14",
        "events": [
            ("2025-05-05", "status", "implementing", "Pilot am Neumarkt und am Rheinufer gestartet."),
            ("2025-09-30", "progress", 15, ""),
            ("2025-12-31", "progress", 25, ""),
            ("2026-06-30", "progress", 48, ""),
            ("2026-10-31", "progress", 60, ""),
        ],
        "indicators": [
            (
                "Abfallbehälter mit Füllstandssensor",
                "Waste bins with a fill-level sensor",
                "Behälter",
                "bins",
                0,
                "2025-03-31",
                2_000,
                "2027-06-30",
                "AWB, Behälterkataster",
                [("2025-06-30", 120), ("2025-12-31", 480), ("2026-06-30", 960), ("2026-09-30", 1_210)],
            ),
        ],
    },
    {
        "key": "awb-touren",
        "topic": "smart_city",
        "org": AWB,
        "title": ("Digitale Tourenplanung der Straßenreinigung", "Digital route planning for street cleaning"),
        "text": (
            "Die Touren der Straßenreinigung werden aus Füllständen, Wetter und Veranstaltungen berechnet "
            "statt nach festem Plan gefahren.",
            "Street-cleaning routes are computed from fill levels, weather and events instead of following "
            "a fixed plan.",
        ),
        "start": "2025-06-01",
        "end": "2026-04-30",
        "inside": False,
        "created": "2025-05-19",
        "published": "2025-05-26",
        "events": [
            ("2025-06-02", "status", "implementing", "Software beschafft."),
            ("2025-12-31", "progress", 40, ""),
            ("2026-06-30", "progress", 65, ""),
        ],
        "updates": [
            (
                "2026-05-04",
                "Die Anbindung an die Fahrzeugtelematik braucht mehr Zeit; Abschluss voraussichtlich Anfang 2027.",
                "Connecting to the vehicles' telematics takes longer; completion expected early 2027.",
            ),
        ],
    },
    {
        "key": "digitaler-zwilling",
        "topic": "smart_city",
        "org": STADTENTWICKLUNG,
        "title": ("Digitaler Zwilling Köln", "Digital twin of Cologne"),
        "text": (
            "Ein 3D-Stadtmodell mit Bebauung, Grün und Verkehr, in dem Planungen vor dem Bau sichtbar "
            "werden und Beteiligung anschaulich wird.",
            "A 3D city model with buildings, green spaces and traffic in which plans become visible before "
            "they are built, and participation becomes tangible.",
        ),
        "start": "2025-03-01",
        "end": "2027-12-31",
        "budget": 3_400_000,
        "weight": 2,
        "created": "2025-02-24",
        "published": "2025-03-03",
        "events": [
            ("2025-03-03", "status", "preparing", "Ausschreibung vorbereitet."),
            ("2025-07-01", "progress", 10, ""),
            (
                "2025-11-20",
                "status",
                "paused",
                "Vergabe gerügt; das Verfahren ruht bis zur Entscheidung der Vergabekammer.",
            ),
        ],
    },
    {
        "key": "digitale-stelen",
        "topic": "smart_city",
        "org": STADTENTWICKLUNG,
        "title": ("Digitale Info-Stelen in der Innenstadt", "Digital information kiosks in the city centre"),
        "text": (
            "Interaktive Stelen an zehn Plätzen der Innenstadt mit Stadtinformationen, Abfahrtszeiten und "
            "Veranstaltungen.",
            "Interactive kiosks in ten squares of the city centre with city information, departures and events.",
        ),
        "start": "2025-06-01",
        "end": "2026-12-31",
        "budget": 900_000,
        "district": "innenstadt",
        "created": "2025-05-12",
        "published": "2025-05-19",
        "events": [
            ("2025-07-01", "status", "preparing", "Standorte mit der Denkmalpflege abgestimmt."),
            ("2025-10-31", "progress", 15, ""),
            (
                "2026-03-20",
                "status",
                "stopped",
                "Die Förderzusage des Landes ist entfallen und die Nutzung der Testgeräte war gering; die "
                "Mittel fließen in das LoRaWAN-Netz.",
            ),
        ],
    },
    {
        "key": "open-data-portal",
        "topic": "open_data",
        "org": STADTENTWICKLUNG,
        "title": ("Offene Daten: mehr Datensätze im Portal", "Open data: more datasets on the portal"),
        "text": (
            "Das Open-Data-Portal der Stadt wächst: Jedes Fachamt benennt Datensätze, die maschinenlesbar "
            "und unter offener Lizenz erscheinen (Teilstrategie *Datenökonomie*).",
            "The city's open-data portal grows: every department names datasets that appear machine-readable "
            "and under an open licence (sub-strategy *data economy*).",
        ),
        "start": "2025-01-01",
        "end": "2027-12-31",
        "weight": 2,
        "created": "2025-01-20",
        "published": "2025-01-27",
        "events": [
            ("2025-01-27", "status", "implementing", "Datenlotsen in allen Dezernaten benannt."),
            ("2025-06-30", "progress", 25, ""),
            ("2025-12-31", "progress", 40, ""),
            ("2026-06-30", "progress", 55, ""),
        ],
        "indicators": [
            (
                "Veröffentlichte offene Datensätze",
                "Open datasets published",
                "Datensätze",
                "datasets",
                640,
                "2024-12-31",
                1_000,
                "2027-12-31",
                "offenedaten-koeln.de, Katalogstatistik",
                [("2025-06-30", 702), ("2025-12-31", 768), ("2026-06-30", 834), ("2026-09-30", 861)],
            ),
        ],
    },
    {
        "key": "beteiligungsplattform",
        "topic": "open_data",
        "org": AFI,
        "title": ("Beteiligungsplattform Digitales Köln", "Participation platform Digitales Köln"),
        "text": (
            "Die Plattform, auf der Kölner*innen den Masterplan mitschreiben und verfolgen, was aus ihren "
            "Vorschlägen wird.",
            "The platform on which Cologne's residents co-write the masterplan and follow what becomes of "
            "their proposals.",
        ),
        "start": "2025-01-01",
        "end": "2025-10-31",
        "budget": 450_000,
        "created": "2025-01-13",
        "published": "2025-01-20",
        "events": [
            ("2025-01-20", "status", "implementing", "Entwicklung begonnen."),
            ("2025-06-30", "progress", 70, ""),
            ("2025-10-27", "progress", 100, ""),
            ("2025-10-27", "status", "completed", "Plattform online; die erste Beteiligungsphase läuft."),
        ],
    },
    {
        "key": "gigabit-gewerbe",
        "topic": "infrastructure",
        "org": KOELNBUSINESS,
        "title": ("Gigabit für Gewerbegebiete", "Gigabit for business parks"),
        "text": (
            "KölnBusiness koordiniert den geförderten Glasfaserausbau in unterversorgten Gewerbegebieten "
            "mit den Netzbetreibern.",
            "KölnBusiness coordinates the subsidised fibre roll-out in under-served business parks with the "
            "network operators.",
        ),
        "start": "2026-04-01",
        "end": "2028-12-31",
        "budget": 6_500_000,
        "inside": False,
        "created": "2026-03-09",
        "published": "2026-03-16",
        "events": [("2026-04-13", "status", "preparing", "Markterkundungsverfahren gestartet.")],
        "indicators": [
            (
                "Gewerbegebiete mit Gigabit-Anschluss",
                "Business parks with gigabit connections",
                "%",
                "%",
                61,
                "2025-12-31",
                95,
                "2028-12-31",
                "KölnBusiness, Breitbandatlas",
                [("2026-06-30", 63), ("2026-09-30", 66)],
            ),
        ],
    },
    {
        "key": "wlan-bibliotheken",
        "topic": "infrastructure",
        "org": BIBLIOTHEK,
        "title": ("Freies WLAN in Bibliotheken und an Plätzen", "Free Wi-Fi in libraries and public squares"),
        "text": (
            "Kostenloses WLAN ohne Anmeldung in allen Stadtteilbibliotheken und an 40 Plätzen, mit "
            "Arbeitsplätzen und Steckdosen für Schüler*innen.",
            "Free Wi-Fi without registration in every district library and in 40 squares, with desks and "
            "sockets for pupils.",
        ),
        "start": "2025-03-01",
        "end": "2026-12-31",
        "budget": 1_100_000,
        "district": "citywide",
        "created": "2025-02-24",
        "published": "2025-03-03",
        "events": [
            ("2025-04-01", "status", "implementing", "Rahmenvertrag mit dem Netzbetreiber."),
            ("2025-12-31", "progress", 45, ""),
            ("2026-06-30", "progress", 70, ""),
            ("2026-10-15", "progress", 85, ""),
        ],
        "indicators": [
            (
                "Öffentliche WLAN-Hotspots",
                "Public Wi-Fi hotspots",
                "Hotspots",
                "hotspots",
                85,
                "2024-12-31",
                240,
                "2026-12-31",
                "Stadtbibliothek Köln und Amt für Informationsverarbeitung",
                [("2025-06-30", 118), ("2025-12-31", 156), ("2026-06-30", 197), ("2026-09-30", 214)],
            ),
        ],
    },
    {
        "key": "cloud-strategie",
        "topic": "infrastructure",
        "org": AFI,
        "title": ("Rechenzentrum und Cloud-Strategie", "Data centre and cloud strategy"),
        "text": (
            "Das Rechenzentrum der Stadt wird modernisiert; eine souveräne Cloud-Strategie legt fest, "
            "welche Dienste wo betrieben werden.",
            "The city's data centre is modernised; a sovereign cloud strategy decides which services run where.",
        ),
        "start": "2026-07-01",
        "end": "2028-12-31",
        "created": "2026-04-20",
        "published": "2026-04-27",
        "events": [],
    },
    {
        "key": "barrierefreiheit",
        "topic": "vision",
        "org": AFI,
        "title": ("Barrierefreie Online-Angebote", "Accessible online services"),
        "text": (
            "Jedes Online-Formular der Stadt wird vor dem Start mit Screenreader und Tastatur geprüft – "
            "gemeinsam mit Menschen, die darauf angewiesen sind (BITV 2.0).",
            "Every online form of the city is tested with a screen reader and keyboard before launch – "
            "together with people who depend on them (BITV 2.0).",
        ),
        "start": "2025-05-01",
        "end": "2027-12-31",
        "created": "2025-04-22",
        "published": "2025-04-28",
        "events": [
            ("2025-05-05", "status", "implementing", "Prüfteam mit dem Behindertenbeirat gebildet."),
            ("2025-12-31", "progress", 30, ""),
            ("2026-06-30", "progress", 45, ""),
        ],
        "indicators": [
            (
                "Barrierefrei geprüfte Online-Formulare",
                "Online forms tested for accessibility",
                "%",
                "%",
                12,
                "2025-03-31",
                100,
                "2027-12-31",
                "Amt für Informationsverarbeitung, BITV-Prüfberichte",
                [("2025-09-30", 24), ("2025-12-31", 33), ("2026-06-30", 47)],
            ),
        ],
    },
    {
        "key": "programm-abschluss",
        "topic": "vision",
        "org": AFI,
        "title": (
            "Digitalisierungsprogramm 2018: Abschluss und Überführung",
            "Digitalisation programme 2018: completion and transfer",
        ),
        "text": (
            "Die Projekte des Digitalisierungsprogramms seit 2018 (u. a. *Bürgerdienste der Zukunft*, "
            "*Bürokratieabbau für Unternehmen*) werden abgeschlossen oder in den Masterplan überführt.",
            "The projects of the digitalisation programme since 2018 (among them *citizen services of the "
            "future*, *less red tape for businesses*) are completed or carried into the masterplan.",
        ),
        "start": "2024-01-01",
        "end": "2025-12-31",
        "created": "2025-01-13",
        "published": "2025-01-20",
        "events": [
            ("2025-01-20", "status", "implementing", "Bestandsaufnahme der laufenden Projekte."),
            ("2025-06-30", "progress", 80, ""),
            ("2025-12-18", "progress", 100, ""),
            ("2025-12-18", "status", "completed", "Restprojekte in den Masterplan überführt."),
        ],
    },
    {
        "key": "staedtenetzwerk",
        "topic": "cities",
        "org": STADTENTWICKLUNG,
        "title": ("Lernen von Wien, Amsterdam und Mannheim", "Learning from Vienna, Amsterdam and Mannheim"),
        "text": (
            "Regelmäßiger Austausch mit Partnerstädten zu Smart City, Datenstrategie und Beteiligung; die "
            "Ergebnisse fließen in die Fortschreibung des Handlungskonzepts.",
            "Regular exchange with partner cities on smart city, data strategy and participation; the "
            "results feed into the updates of the action concept.",
        ),
        "start": "2025-06-01",
        "end": "2027-12-31",
        "inside": True,
        "created": "2025-06-02",
        "published": "2025-06-10",
        "events": [],
    },
]

# the measure that grew out of the demo proposal "Offene Verkehrsdaten in Echtzeit" (accepted):
# created after its answer, so its dates are relative to the proposal's answer (days after it)
FROM_PROPOSAL = {
    "key": "echtzeit-verkehrsdaten",
    "proposal": "Offene Verkehrsdaten in Echtzeit",
    "topic": "open_data",
    "org": STADTENTWICKLUNG,
    "title": ("Echtzeit-Nahverkehrsdaten als offene Daten", "Real-time public transport data as open data"),
    "text": (
        "Aus einem Vorschlag der Beteiligung: Fahrplan- und Verspätungsdaten von KVB und Stadt erscheinen "
        "in Echtzeit als offene Daten (GTFS-Realtime), damit Forschung und Apps bessere Auskünfte geben.",
        "From a proposal made in the participation: timetable and delay data of KVB and the city appear "
        "in real time as open data (GTFS Realtime), so research and apps can give better information.",
    ),
    "start": "2027-01-01",
    "end": "2027-12-31",
    "inside": False,
}
