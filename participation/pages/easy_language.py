"""The default text of the page "Leichte Sprache" (/pages/easy-language): what the platform is and
how to take part, in German easy language (Leichte Sprache: short sentences, one statement each,
active verbs, no abbreviations, hard words explained) and in English easy read. Admins may change
it; the list of chapters and measures with a summary in easy language is added below it by
participation.easy_language, whatever the text says."""

from __future__ import annotations

EASY_LANGUAGE_DE = """\
## Was ist diese Internet-Seite?

Diese Internet-Seite gehört der Stadt Köln.
Hier können Sie bei einem Plan mitmachen.
Der Plan heißt: Digitales Köln 2025.

## Was ist ein Masterplan?

Ein Masterplan ist ein großer Plan.
In dem Plan steht:
Das will die Stadt Köln in den nächsten Jahren machen.

In diesem Plan geht es um das Thema: digital.
Digital bedeutet:
Man macht etwas mit dem Computer, mit dem Handy oder im Internet.

Ein Beispiel:
Sie brauchen einen neuen Ausweis.
Dann können Sie im Internet einen Termin beim Amt machen.
Sie müssen dafür nicht anrufen.

Die Stadt Köln schreibt den Plan.
Die Stadt will den Plan aber nicht allein schreiben.
Die Stadt will den Plan zusammen mit den Menschen in Köln schreiben.
Also auch mit Ihnen.

## Wie können Sie mitmachen?

Sie können auf 4 Arten mitmachen.

### 1. Lesen

Sie können den Plan lesen.
Der Plan hat mehrere Teile.
Die Teile heißen: Kapitel.

Zu manchen Kapiteln gibt es einen kurzen Text in Leichter Sprache.
Sie finden den Text oben im Kapitel.
Klicken Sie dort auf: In Leichter Sprache.
Unten auf dieser Seite ist eine Liste.
In der Liste stehen alle Texte in Leichter Sprache.

Zum Lesen brauchen Sie kein Benutzer-Konto.

### 2. Ihre Meinung schreiben

Sie können zu jedem Teil vom Plan etwas schreiben.
Das heißt: Sie schreiben einen Kommentar.
Zum Beispiel:

- Das finde ich gut.
- Das finde ich nicht gut.
- Ich habe eine Frage.

### 3. Abstimmen

Ein Kapitel hat mehrere Absätze.
Ein Absatz ist ein kurzes Stück Text.
Sie können zu jedem Absatz abstimmen.
Sie wählen eine von 3 Antworten:

- Ich stimme zu.
- Neutral.
  Das heißt: Ich bin nicht dafür.
  Ich bin auch nicht dagegen.
- Ich stimme nicht zu.

### 4. Eigene Ideen vorschlagen

Sie haben eine eigene Idee für Köln?
Dann schreiben Sie Ihre Idee auf.
Das heißt: Sie machen einen Vorschlag.

Andere Menschen können Ihren Vorschlag unterstützen.
Unterstützen bedeutet:
Die Menschen sagen: Wir finden die Idee gut.

### Was brauchen Sie zum Mitmachen?

Zum Schreiben, Abstimmen und Vorschlagen brauchen Sie ein Benutzer-Konto.
Ein Benutzer-Konto ist wie ein Ausweis für diese Internet-Seite.

So bekommen Sie ein Benutzer-Konto:

1. Klicken Sie oben auf: Registrieren.
2. Schreiben Sie Ihre E-Mail-Adresse auf.
3. Denken Sie sich ein Pass-Wort aus.
   Ein Pass-Wort ist ein geheimes Wort.
   Nur Sie kennen das Pass-Wort.
4. Denken Sie sich einen Namen für diese Internet-Seite aus.
   Das darf auch ein anderer Name sein.
   Andere Menschen sehen nur diesen Namen.
5. Sie bekommen eine E-Mail.
   In der E-Mail ist ein Link.
   Ein Link bringt Sie auf eine andere Internet-Seite.
   Klicken Sie auf den Link.
   Jetzt können Sie mitmachen.

Sie können nur zu bestimmten Zeiten mitmachen.
Auf der Start-Seite steht:
Was können Sie gerade machen?

## Was passiert mit Ihren Ideen?

Die Stadt Köln liest alle Vorschläge und Kommentare.
Die Stadt antwortet auf Ihren Vorschlag.
Sie finden die Antwort bei Ihrem Vorschlag.

Die Antwort kann so sein:

- Die Idee kommt in den Plan.
- Ein Teil von der Idee kommt in den Plan.
- Die Idee kommt nicht in den Plan.
  Dann schreibt die Stadt auch:
  Warum kommt die Idee nicht in den Plan?

Danach schreibt die Stadt einen neuen Plan.
Beim neuen Plan steht:
Diese Idee kommt von den Menschen in Köln.
So sehen Sie:
Das ist aus Ihrer Idee geworden.

Aus dem Plan werden Aufgaben für die Stadt.
Eine Aufgabe heißt auch: Maßnahme.
Ein Beispiel für eine Maßnahme:
Alle Schulen bekommen schnelles Internet.
Alle Maßnahmen stehen auf der Seite: Handlungskonzept.
Dort sehen Sie:
Wer macht die Aufgabe?
Wie weit ist die Aufgabe schon?

## Regeln für alle

Auf dieser Internet-Seite gibt es Regeln.
Eine Regel ist zum Beispiel:
Alle sind freundlich zueinander.
Die Regeln stehen auf der Seite [Netiquette](/pages/netiquette).

Manche Menschen halten sich nicht an die Regeln.
Dann versteckt das Team von dieser Internet-Seite den Text von diesen Menschen.

## Hilfe und Kontakt

Sie haben eine Frage?
Oder Sie haben ein Problem mit dieser Internet-Seite?
Dann schreiben Sie der Stadt Köln eine E-Mail.
Die E-Mail-Adresse steht auf der Seite [Impressum](/pages/imprint).
Das Impressum ist eine Seite mit den Kontakt-Daten von der Stadt.

Sie können auch einen anderen Menschen um Hilfe bitten.
Zum Beispiel: einen Menschen aus Ihrer Familie.

## Daten-Schutz

Die Stadt Köln speichert nur wenige Daten von Ihnen:

- Ihre E-Mail-Adresse,
- Ihren Namen auf dieser Internet-Seite,
- Ihre Texte: Ihre Kommentare und Ihre Vorschläge.

Niemand sonst bekommt Ihre E-Mail-Adresse.

Mehr zum Daten-Schutz steht in der [Datenschutz-Erklärung](/pages/privacy).
Achtung: Die Datenschutz-Erklärung ist nicht in Leichter Sprache.
"""

EASY_LANGUAGE_EN = """\
## What is this website?

This website belongs to the City of Cologne.
Here you can help to make a plan.
The plan is called: Digitales Köln 2025.
That is German for: Digital Cologne 2025.

## What is a masterplan?

A masterplan is a big plan.
The plan says what the City of Cologne wants to do in the next years.

This plan is about digital things.
Digital means:
you do something with a computer, with a mobile phone or on the internet.

An example:
You need a new identity card.
You can book a time at the city office on the internet.
You do not have to phone the office.

The City of Cologne writes the plan.
But the city does not want to write the plan alone.
The city wants to write the plan together with the people of Cologne.
That means you too.

## How can you take part?

You can take part in 4 ways.

### 1. Read

You can read the plan.
The plan has several parts.
The parts are called: chapters.
The plan is in German.

Some chapters have a short text in easy German.
You find it at the top of the chapter.
Click on: In Leichter Sprache.
That is German for: in easy language.
At the bottom of this page you find a list of all texts in easy language.

You do not need an account to read.

### 2. Say what you think

You can write something about every part of the plan.
This is called: a comment.
For example:

- I like this.
- I do not like this.
- I have a question.

### 3. Vote

A chapter has several paragraphs.
A paragraph is a short piece of text.
You can vote on every paragraph.
You choose 1 of 3 answers:

- I agree.
- Neutral.
  This means: I am not for it.
  I am not against it.
- I disagree.

### 4. Suggest your own ideas

Do you have an idea for Cologne?
Then write your idea down.
This is called: a proposal.

Other people can support your proposal.
Support means:
the people say: We like this idea.

### What do you need to take part?

To write, vote and make proposals you need an account.
An account is like an identity card for this website.

This is how you get an account:

1. Click on: Register. You find it at the top of the page.
2. Write down your email address.
3. Think of a password.
   A password is a secret word.
   Only you know the password.
4. Think of a name for this website.
   It can be a different name from your real name.
   Other people only see this name.
5. You get an email.
   The email has a link in it.
   A link takes you to another web page.
   Click on the link.
   Now you can take part.

You can only take part at certain times.
The home page tells you what you can do now.

## What happens with your ideas?

The City of Cologne reads all proposals and comments.
The city answers your proposal.
You find the answer with your proposal.

The answer can be:

- The idea goes into the plan.
- A part of the idea goes into the plan.
- The idea does not go into the plan.
  Then the city also writes why.

After that the city writes a new plan.
The new plan shows:
this idea comes from the people of Cologne.
So you can see what happened to your idea.

The plan becomes tasks for the city.
A task is also called: a measure.
An example of a measure:
all schools get fast internet.
All measures are on the page: Action concept.
There you can see:
Who does the task?
How far is the task?

## Rules for everyone

This website has rules.
One rule is:
everyone is friendly to each other.
The rules are on the page [Netiquette](/pages/netiquette).

Some people do not keep to the rules.
Then the team of this website hides what these people wrote.

## Help and contact

Do you have a question?
Do you have a problem with this website?
Then write an email to the City of Cologne.
You find the email address on the page [Imprint](/pages/imprint).
The imprint is a page with the city's contact details.

You can also ask another person for help.
For example: a person from your family.

## Data protection

The City of Cologne only keeps a few of your data:

- your email address,
- your name on this website,
- what you write: your comments and your proposals.

Nobody else gets your email address.

You can read more in the [privacy notice](/pages/privacy).
Please note: the privacy notice is not in easy language.
"""

# what earlier seeds wrote, before the text above existed: a page still holding it is replaced
PLACEHOLDER_SENTENCES = (
    "Köln will digitaler werden. Dafür gibt es einen Plan. Sie können bei dem Plan mitmachen.",
    "Cologne wants to become more digital. There is a plan for it. You can help write the plan.",
)
