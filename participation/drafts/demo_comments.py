"""Demo comments and replies on the first draft (seeded by `flask seed demo`)."""

# (chapter number 1-8, paragraph number within the chapter starting at 1 or None for the chapter itself,
#  stakeholder group, kind or None, text, reply or None)
# stakeholder group is one of: residents, businesses, universities, municipal_companies, civil_society,
# administration, other; kind is one of: agree, object, addition, question
DEMO_COMMENTS = [
    (
        1,
        3,
        "residents",
        "agree",
        "Gut, dass ausdrücklich drinsteht, dass niemand Nachteile haben darf, der nicht online ist. "
        "Meine Mutter ist über achtzig und kommt mit Apps überhaupt nicht zurecht. Bitte das auch "
        "wirklich so umsetzen und nicht nur ins Leitbild schreiben.",
        None,
    ),
    (
        1,
        6,
        "civil_society",
        "question",
        "Welche Kennzahlen genau sollen gemessen werden, und wo werden sie veröffentlicht? Ohne "
        "konkrete Zielwerte lässt sich später kaum überprüfen, ob der Masterplan erfolgreich war.",
        "Vielen Dank für die Frage. Die Kennzahlen werden in den einzelnen Kapiteln genannt; die "
        "Zielwerte sollen mit dem ersten Maßnahmenkonzept festgelegt und auf einem öffentlichen "
        "Dashboard veröffentlicht werden. Wir prüfen, ob wir sie bereits im zweiten Entwurf ergänzen.",
    ),
    (
        1,
        None,
        "other",
        None,
        "Insgesamt ein guter Aufschlag. Mir fehlt aber ein eigenes Kapitel zu Klima und "
        "Nachhaltigkeit, das Thema kommt nur am Rand vor. Digitalisierung verbraucht schließlich "
        "auch Energie und Ressourcen.",
        None,
    ),
    (
        2,
        1,
        "residents",
        "question",
        "Die Grundschule meiner Tochter in Kalk hat immer noch nur im Lehrerzimmer WLAN. Gibt es "
        "eine Übersicht, welche Schulen wann an der Reihe sind?",
        "Eine Übersicht über den Ausbaustand aller städtischen Schulen ist in Vorbereitung und soll "
        "mit dem ersten Zwischenbericht veröffentlicht werden. Ihren Hinweis geben wir an das Amt "
        "für Schulentwicklung weiter.",
    ),
    (
        2,
        2,
        "administration",
        "addition",
        "Aus Sicht der Schulverwaltung: Neben dem IT-Support braucht es eine verlässliche Regelung "
        "für die Ersatzbeschaffung. Geräte aus dem DigitalPakt sind in wenigen Jahren veraltet, "
        "dafür müssen dauerhaft Mittel im Haushalt eingeplant werden.",
        None,
    ),
    (
        2,
        4,
        "residents",
        "agree",
        "Die Stadtbibliothek macht das jetzt schon super, mein Sohn war im Makerspace und total "
        "begeistert. Gerne mehr davon, vor allem auch in den Zweigstellen am Stadtrand!",
        None,
    ),
    (
        2,
        6,
        "universities",
        "addition",
        "An der Hochschule gibt es bereits Schnupperangebote für Schülerinnen in MINT-Fächern. Wir "
        "würden diese gern mit den Jugendzentren verknüpfen und schlagen dafür ein gemeinsames "
        "Koordinationstreffen mit dem Jugendamt vor.",
        None,
    ),
    (
        2,
        3,
        "universities",
        "question",
        "Wie sollen die Fortbildungen für Lehrkräfte organisiert werden? Dafür ist ja eigentlich "
        "das Land zuständig. Die Abstimmung mit der Bezirksregierung sollte im Text ausdrücklich "
        "erwähnt werden.",
        "Danke für den Hinweis. Die Fortbildung der Lehrkräfte liegt tatsächlich in der "
        "Verantwortung des Landes; die Stadt will ergänzende Angebote machen. Die Abstimmung mit "
        "der Bezirksregierung nehmen wir im zweiten Entwurf ausdrücklich auf.",
    ),
    (
        3,
        2,
        "businesses",
        "agree",
        "Ein echter Lotsendienst wäre ein großer Fortschritt. Wir haben bei unserer Gründung mit "
        "vier verschiedenen Stellen gesprochen, bis endlich klar war, wer für unsere Werkstattfläche "
        "zuständig ist.",
        None,
    ),
    (
        3,
        4,
        "businesses",
        "object",
        "Pilotprojekte sind schön, aber Start-ups brauchen Aufträge. Wenn nach dem Pilot wieder "
        "eine große Ausschreibung kommt, gewinnt am Ende doch der etablierte Anbieter. Hier muss "
        "der Plan deutlich konkreter werden.",
        "Das Problem ist bekannt. Das Vergaberecht setzt Grenzen, bietet aber mit der "
        "Innovationspartnerschaft ein Verfahren, das Entwicklung und spätere Beschaffung verbinden "
        "kann. Wir prüfen, wie die Stadt dieses Instrument stärker nutzen kann.",
    ),
    (
        3,
        3,
        "universities",
        "agree",
        "Der Schwerpunkt Sport- und Gesundheitstechnologien passt sehr gut. Aus der Sporthochschule "
        "entstehen regelmäßig Ideen, für die in Köln bisher passende Förderung und geeignete Räume "
        "fehlen.",
        None,
    ),
    (
        3,
        5,
        "businesses",
        None,
        "Als Einzelhändlerin in Nippes wünsche ich mir vor allem praktische Hilfe: Wie komme ich "
        "mit vertretbarem Aufwand auf Online-Marktplätze, ohne meine Stammkundschaft im Laden zu "
        "vernachlässigen?",
        "Unsere Interessengemeinschaft im Veedel hat dazu eine gemeinsame Online-Plattform der "
        "Geschäfte getestet. Vielleicht wäre so etwas auch stadtweit sinnvoll, KölnBusiness könnte "
        "das koordinieren.",
    ),
    (
        4,
        1,
        "residents",
        "object",
        "Bis 2025 alles online? Klingt gut, aber solange ich für den Anwohnerparkausweis noch "
        "persönlich vorbeikommen muss, glaube ich erst daran, wenn ich es sehe. Lieber weniger "
        "versprechen und dafür wirklich liefern.",
        None,
    ),
    (
        4,
        2,
        "civil_society",
        "addition",
        "Bitte auch an wohnungslose Menschen und Geflüchtete denken. Für sie ist die persönliche "
        "Beratung im Bürgeramt oft der einzige Weg. Die Beratung vor Ort sollte mehrsprachig und "
        "auch ohne Online-Termin möglich bleiben.",
        None,
    ),
    (
        4,
        6,
        "other",
        "question",
        "Welche Open-Source-Lösungen werden konkret geprüft? Andere Verwaltungen setzen da schon "
        "einiges ein. Und wird der Quellcode selbst entwickelter Anwendungen auch öffentlich "
        "zugänglich gemacht?",
        None,
    ),
    (
        4,
        5,
        "administration",
        "agree",
        "Als Beschäftigte im Bürgeramt begrüße ich das Qualifizierungsprogramm sehr. Wichtig ist, "
        "dass dafür auch Arbeitszeit zur Verfügung steht und Schulungen nicht zusätzlich zum vollen "
        "Tagesgeschäft stattfinden müssen.",
        None,
    ),
    (
        5,
        2,
        "municipal_companies",
        "addition",
        "Ergänzung aus Sicht eines städtischen Verkehrsunternehmens: Echtzeitdaten zu Aufzügen und "
        "Rolltreppen sind für mobilitätseingeschränkte Fahrgäste besonders wichtig. Wir regen an, "
        "verlässliche Informationen zur Barrierefreiheit ausdrücklich als Ziel aufzunehmen.",
        None,
    ),
    (
        5,
        4,
        "residents",
        "agree",
        "Die Meldefunktion für wilden Müll find ich klasse. Bei uns in Mülheim stehen ständig "
        "Sperrmüllhaufen rum. Wichtig wär nur, dass dann auch wirklich jemand kommt und man nicht "
        "bloß eine automatische Antwort kriegt.",
        "Danke für die Rückmeldung! Die Statusanzeige soll den tatsächlichen Bearbeitungsstand "
        "zeigen, also auch, wann die Ablagerung entfernt wurde, und nicht nur den Eingang der "
        "Meldung bestätigen.",
    ),
    (
        5,
        5,
        "municipal_companies",
        "question",
        "Wer trägt die Kosten für Betrieb und Weiterentwicklung der urbanen Datenplattform? Für die "
        "Gesellschaften ist wichtig, frühzeitig zu wissen, welche Beiträge erwartet werden und wie "
        "Betriebs- und Geschäftsgeheimnisse geschützt bleiben.",
        "Finanzierung und Regeln zur Datennutzung sollen in der Digitalrunde gemeinsam erarbeitet "
        "und im ersten Maßnahmenkonzept festgelegt werden. Betriebs- und Geschäftsgeheimnisse "
        "bleiben dabei selbstverständlich geschützt.",
    ),
    (
        5,
        None,
        "civil_society",
        "object",
        "Das Kapitel liest sich stark aus Sicht der Unternehmen. Wo bleibt die Kontrolle durch Rat "
        "und Öffentlichkeit? Smart City darf nicht heißen, dass Entscheidungen über Sensoren und "
        "Daten hinter verschlossenen Türen fallen.",
        None,
    ),
    (
        6,
        1,
        "civil_society",
        "agree",
        "Offen als Standard ist genau der richtige Ansatz. Wichtig wäre ein verbindlicher Zeitplan, "
        "welche Datensätze bis wann veröffentlicht werden, zum Beispiel Haushaltsdaten, "
        "Baumkataster und Verkehrszählungen.",
        None,
    ),
    (
        6,
        4,
        "administration",
        "addition",
        "Aus Sicht eines Bezirksamts: Die Bezirksvertretungen sollten die Plattform nicht nur nutzen "
        "können, sondern auch Unterstützung bei Moderation und Auswertung erhalten. Dafür fehlen in "
        "den Bezirken bisher die personellen Kapazitäten.",
        None,
    ),
    (
        6,
        6,
        "universities",
        "object",
        "Ein Verzeichnis allein reicht nicht. Algorithmische Systeme sollten vor dem Einsatz "
        "unabhängig geprüft werden, gerade wenn sie Entscheidungen über Menschen vorbereiten. Die "
        "Kölner Hochschulen könnten hier mit Expertise aus Informatik, Recht und Ethik unterstützen.",
        None,
    ),
    (
        7,
        1,
        "businesses",
        "object",
        "In unserem Gewerbegebiet in Porz warten wir seit Jahren auf Glasfaser. „Möglichst alle“ bis "
        "2025 ist mir zu unverbindlich. Bitte konkrete Ausbauziele für die Gewerbegebiete nennen.",
        "Die Breitbandkoordination nimmt den Hinweis auf. Für Gewerbegebiete ohne Ausbauzusage "
        "prüfen wir Fördermöglichkeiten von Bund und Land. Konkrete Ziele je Gebiet sollen in das "
        "Maßnahmenkonzept aufgenommen werden.",
    ),
    (
        7,
        2,
        "residents",
        "question",
        "Wie werden Anwohner*innen beteiligt, wenn ein Mobilfunkmast auf einer Schule oder Kita "
        "geplant ist? Viele Eltern haben da Fragen, und eine reine Information reicht vielleicht "
        "nicht aus.",
        None,
    ),
    (
        7,
        4,
        "municipal_companies",
        "agree",
        "Ein gemeinsames Sensornetz von Stadt und Gesellschaften ist sinnvoll und vermeidet "
        "parallele Strukturen. Wir bringen gern unsere Erfahrungen aus bestehenden Pilotprojekten "
        "ein.",
        None,
    ),
    (
        8,
        4,
        "other",
        "agree",
        "Das Algorithmenregister aus Amsterdam ist ein sehr gutes Vorbild, schön, dass Köln sich "
        "daran orientiert. Ein regelmäßiger Austausch mit weiteren Städten, die Ähnliches aufbauen, "
        "wäre ebenfalls hilfreich.",
        None,
    ),
    (
        8,
        7,
        "other",
        "object",
        "Bonn und Düsseldorf fehlen mir hier. Gerade für Pendler*innen wäre eine Abstimmung mit den "
        "Nachbarstädten bei Tickets, Apps und Verwaltungsleistungen wichtiger als der Blick nach "
        "London.",
        None,
    ),
    (
        8,
        6,
        "municipal_companies",
        None,
        "Zum Thema Rechenzentren und Abwärme: Das sollte in Köln früh mit der kommunalen "
        "Wärmeplanung verknüpft werden. Wir stehen für Gespräche dazu gern zur Verfügung.",
        None,
    ),
]
