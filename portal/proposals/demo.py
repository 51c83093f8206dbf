# ruff: noqa: E501  (demo texts are long German sentences, kept one per line)
"""Demo participation content for ``seed-demo``: citizens, proposals, supports, comments, statements.

Believable proposals for a rural district like Helmstedt, spread over the Unterziele, written
through the services (so search, counters and history are right) with notifications muted.
Idempotent: nothing happens when the demo accounts exist already. Demo accounts use
``@example.org`` addresses and have no password (nobody can sign in with them).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from portal.accounts.models import Role
from portal.accounts.models import RoleAssignment
from portal.accounts.models import User
from portal.comments import services as comment_services
from portal.comments.services import Voice
from portal.core import clock
from portal.extensions import db
from portal.notifications.services import muted
from portal.organisations.models import Department
from portal.organisations.models import Municipality
from portal.proposals import services
from portal.proposals import workflow
from portal.proposals.models import CostClass
from portal.proposals.models import Horizon
from portal.proposals.models import Proposal
from portal.proposals.models import ProposalStatus
from portal.strategy.models import SubGoal

MARKER_EMAIL = "anja.k@example.org"

#: (display name, e-mail local part, municipality of residence)
CITIZENS = [
    ("Anja K.", "anja.k", "schoeningen"),
    ("Bernd M.", "bernd.m", "helmstedt"),
    ("Claudia S.", "claudia.s", "koenigslutter-am-elm"),
    ("Dieter H.", "dieter.h", "nord-elm"),
    ("Elif Y.", "elif.y", "helmstedt"),
    ("Frank W.", "frank.w", "velpke"),
    ("Gisela T.", "gisela.t", "lehre"),
    ("Hannes B.", "hannes.b", "grasleben"),
    ("Ines P.", "ines.p", "heeseberg"),
    ("Jürgen L.", "juergen.l", "schoeningen"),
    ("Katrin N.", "katrin.n", "koenigslutter-am-elm"),
    ("Lukas R.", "lukas.r", "helmstedt"),
    ("Marta Z.", "marta.z", "lehre"),
    ("Nils O.", "nils.o", "velpke"),
    ("Olga F.", "olga.f", "nord-elm"),
    ("Peter J.", "peter.j", "helmstedt"),
    ("Renate D.", "renate.d", "schoeningen"),
    ("Sven A.", "sven.a", None),
]
#: (display name, e-mail local part, role, municipality or department key)
STAFF = [
    ("Petra S.", "rathaus.schoeningen", Role.MUNICIPALITY_REP, "schoeningen"),
    ("Martin K.", "rathaus.koenigslutter", Role.MUNICIPALITY_REP, "koenigslutter-am-elm"),
    ("Sabine W.", "rathaus.helmstedt", Role.MUNICIPALITY_REP, "helmstedt"),
    ("Thomas G.", "verkehr.landkreis", Role.DEPARTMENT_STAFF, "demo-ordnung-verkehr"),
    ("Moderation Landkreis", "moderation", Role.MODERATOR, None),
]


@dataclass(frozen=True)
class DemoProposal:
    key: str
    author: str
    subgoal: str
    focus: int | None
    municipality: str | None
    horizon: Horizon
    cost: CostClass
    title: str
    body: str
    supporters: int


S, M, L = Horizon.SHORT, Horizon.MEDIUM, Horizon.LONG
C = CostClass

PROPOSALS = [
    DemoProposal(
        "buergerbus",
        "dieter.h",
        "1.2",
        3,
        "nord-elm",
        S,
        C.MEDIUM,
        "Bürgerbus für die Dörfer im Nord-Elm",
        "Wer in Räbke, Warberg oder Frellstedt kein Auto hat, kommt kaum zum Arzt oder Einkaufen. "
        "Ein Bürgerbus, gefahren von Ehrenamtlichen, könnte das ändern:\n\n"
        "- zweimal täglich ein fester Rundkurs durch die Mitgliedsgemeinden\n"
        "- Halt am Ärztehaus und am Supermarkt in Süpplingen\n"
        "- Anschluss an den Bus nach Helmstedt\n\n"
        "Der Landkreis könnte das Fahrzeug beschaffen, die Samtgemeinde organisiert die Fahrer.",
        14,
    ),
    DemoProposal(
        "glasfaser",
        "frank.w",
        "1.2",
        7,
        "velpke",
        M,
        C.VERY_LARGE,
        "Glasfaser bis ins Haus – auch in Grafhorst und Danndorf",
        "In den kleinen Ortsteilen der Samtgemeinde Velpke liegt die Bandbreite oft unter 16 MBit/s. "
        "Homeoffice und Schule zu Hause sind so kaum möglich. Der Landkreis sollte den geförderten "
        "Glasfaserausbau gezielt dort vorantreiben, wo kein Anbieter von allein baut.",
        12,
    ),
    DemoProposal(
        "aerztehaus",
        "anja.k",
        "1.2",
        2,
        "schoeningen",
        M,
        C.LARGE,
        "Ärztehaus in Schöningen mit Kinderarztpraxis",
        "Seit dem Ruhestand von zwei Hausärzten müssen viele Familien bis nach Helmstedt fahren, "
        "eine Kinderarztpraxis gibt es in Schöningen gar nicht mehr. Ein kommunales Ärztehaus mit "
        "günstigen Praxisräumen, gemeinsamer Anmeldung und Angestellten-Stellen würde junge Ärztinnen "
        "und Ärzte in die Stadt holen.",
        17,
    ),
    DemoProposal(
        "radweg",
        "claudia.s",
        "1.2",
        3,
        "koenigslutter-am-elm",
        M,
        C.LARGE,
        "Radweg zwischen Helmstedt und Königslutter lückenlos ausbauen",
        "Zwischen Königslutter und Helmstedt fehlen auf mehreren Kilometern sichere Radwege, man "
        "muss auf der Landstraße fahren. Ein durchgehender, beleuchteter Radweg entlang der B1 würde "
        "Pendlerinnen, Schülern und Ausflüglern gleichermaßen helfen – mit E-Bikes ist die Strecke "
        "gut zu schaffen.",
        15,
    ),
    DemoProposal(
        "leerstand",
        "juergen.l",
        "1.1",
        2,
        "schoeningen",
        M,
        C.MEDIUM,
        "Leerstehende Häuser in der Schöninger Innenstadt für junge Familien",
        "In der Altstadt stehen viele Häuser leer, während junge Familien Bauland am Stadtrand "
        "suchen. Ein Leerstandsmanagement mit Beratung, einem Zuschuss für die Sanierung alter "
        "Fachwerkhäuser und einer Börse für Käufer und Verkäufer würde die Innenstadt beleben.",
        11,
    ),
    DemoProposal(
        "hofstelle",
        "olga.f",
        "1.1",
        3,
        "nord-elm",
        L,
        C.LARGE,
        "Mehrgenerationenwohnen auf einem alten Hof in Süpplingenburg",
        "Viele Hofstellen werden nicht mehr bewirtschaftet. Eine Genossenschaft könnte einen Hof zu "
        "Wohnungen für Jung und Alt umbauen, mit Gemeinschaftsraum und Garten. Der Landkreis könnte "
        "bei Planung und Fördermitteln helfen und ein Beispiel für andere Dörfer schaffen.",
        6,
    ),
    DemoProposal(
        "senioren",
        "gisela.t",
        "1.1",
        0,
        "lehre",
        M,
        C.LARGE,
        "Seniorengerechte Wohnungen im Ortskern von Lehre",
        "Ältere Menschen möchten im Ort bleiben, wenn das eigene Haus zu groß wird. Kleine, "
        "barrierefreie Wohnungen nahe Apotheke und Bushaltestelle fehlen in Lehre fast völlig.",
        9,
    ),
    DemoProposal(
        "dorfladen",
        "olga.f",
        "1.2",
        1,
        "nord-elm",
        S,
        C.SMALL,
        "Dorfladen mit Café in Räbke erhalten",
        "Der Dorfladen ist der letzte Treffpunkt im Ort. Mit einem kleinen Café-Bereich und "
        "ehrenamtlicher Unterstützung könnte er sich tragen. Eine Anschubfinanzierung für Kühltheke "
        "und Umbau würde reichen.",
        10,
    ),
    DemoProposal(
        "schnellbus",
        "lukas.r",
        "1.4",
        2,
        "helmstedt",
        M,
        C.LARGE,
        "Schnellbus Helmstedt–Wolfsburg im Halbstundentakt",
        "Tausende pendeln täglich nach Wolfsburg. Ein Schnellbus über die A2 und die A39 mit "
        "WLAN und wenigen Halten wäre eine echte Alternative zum Auto, gerade zu den Schichtzeiten.",
        13,
    ),
    DemoProposal(
        "bahnhof",
        "katrin.n",
        "1.4",
        2,
        "koenigslutter-am-elm",
        M,
        C.LARGE,
        "Bahnhof Königslutter barrierefrei umbauen",
        "Wer mit Rollstuhl, Rollator oder Kinderwagen nach Braunschweig fahren will, kommt in "
        "Königslutter nicht auf den Bahnsteig. Aufzüge oder Rampen sind überfällig.",
        8,
    ),
    DemoProposal(
        "wanderparkplaetze",
        "claudia.s",
        "1.3",
        2,
        "koenigslutter-am-elm",
        S,
        C.SMALL,
        "Wanderparkplätze und Beschilderung im Elm erneuern",
        "Die Wegweiser im Elm sind teils verwittert oder fehlen. Neue Schilder, eine Karte an jedem "
        "Wanderparkplatz und ein paar Bänke mit Aussicht würden den Elm für Gäste und Einheimische "
        "attraktiver machen.",
        7,
    ),
    DemoProposal(
        "bluehstreifen",
        "ines.p",
        "1.3",
        1,
        None,
        S,
        C.SMALL,
        "Blühstreifen an Feld- und Wirtschaftswegen",
        "Gemeinsam mit den Landwirten könnten an vielen Wegrändern Blühstreifen angelegt werden. "
        "Das hilft Insekten und Vögeln und macht Spaziergänge schöner.",
        9,
    ),
    DemoProposal(
        "lappwaldsee",
        "peter.j",
        "1.3",
        2,
        "helmstedt",
        L,
        C.VERY_LARGE,
        "Lappwaldsee als Naherholungsgebiet entwickeln",
        "Aus dem ehemaligen Tagebau wird ein großer See. Rad- und Wanderwege rundherum, eine "
        "Badestelle und ein Aussichtspunkt könnten ihn zum Ausflugsziel für die ganze Region machen.",
        12,
    ),
    DemoProposal(
        "buschhaus",
        "bernd.m",
        "2.1",
        None,
        "helmstedt",
        L,
        C.VERY_LARGE,
        "Gewerbeflächen auf dem ehemaligen Kraftwerksgelände Buschhaus",
        "Das Gelände ist erschlossen, hat Gleis- und Stromanschluss. Statt neuer Flächen auf dem "
        "Acker sollte der Landkreis hier Betriebe ansiedeln, die nach dem Ende der Braunkohle "
        "Arbeitsplätze schaffen.",
        10,
    ),
    DemoProposal(
        "gruenderzentrum",
        "elif.y",
        "2.3",
        None,
        "helmstedt",
        S,
        C.MEDIUM,
        "Gründerzentrum mit Coworking in der Helmstedter Innenstadt",
        "Ein leerstehendes Ladenlokal könnte zum Gründerzentrum werden: Arbeitsplätze zum Mieten, "
        "Beratung durch die Wirtschaftsförderung und Veranstaltungen für junge Unternehmen.",
        7,
    ),
    DemoProposal(
        "ansprechpartner",
        "sven.a",
        "2.4",
        None,
        None,
        S,
        C.SMALL,
        "Ein fester Ansprechpartner für Betriebe, die sich ansiedeln wollen",
        "Unternehmen erzählen, dass sie bei Bauantrag, Gewerbeanmeldung und Förderung von Stelle zu "
        "Stelle geschickt werden. Eine Lotsin oder ein Lotse in der Kreisverwaltung, der alles "
        "koordiniert, würde viel Zeit sparen.",
        8,
    ),
    DemoProposal(
        "ausbildungsmesse",
        "hannes.b",
        "2.3",
        None,
        None,
        S,
        C.SMALL,
        "Ausbildungsmesse für das Handwerk im ganzen Landkreis",
        "Viele Handwerksbetriebe finden keine Azubis. Eine jährliche Messe, abwechselnd in einer "
        "anderen Gemeinde, mit Schulen und Innungen zusammen, zeigt, was das Handwerk vor Ort bietet.",
        6,
    ),
    DemoProposal(
        "photovoltaik",
        "marta.z",
        "2.5",
        None,
        None,
        M,
        C.LARGE,
        "Photovoltaik auf alle Dächer der Kreisschulen",
        "Die Dächer der Schulen in Trägerschaft des Landkreises sind groß und meist ungenutzt. Solar"
        "anlagen senken die Stromkosten und können im Unterricht gezeigt werden.",
        11,
    ),
    DemoProposal(
        "nahwaerme",
        "ines.p",
        "2.5",
        None,
        "heeseberg",
        L,
        C.LARGE,
        "Nahwärmenetz für Jerxheim prüfen",
        "Eine Machbarkeitsstudie sollte klären, ob ein Nahwärmenetz mit Biogas oder Großwärmepumpe "
        "für Jerxheim in Frage kommt. Viele Heizungen im Ort müssen in den nächsten Jahren ersetzt "
        "werden.",
        4,
    ),
    DemoProposal(
        "haushalt",
        "peter.j",
        "3.1",
        None,
        None,
        S,
        C.SMALL,
        "Den Kreishaushalt verständlich im Netz erklären",
        "Wofür gibt der Landkreis sein Geld aus? Eine einfache Seite mit Grafiken zu den großen "
        "Posten – Soziales, Schulen, Straßen – würde Entscheidungen nachvollziehbar machen.",
        5,
    ),
    DemoProposal(
        "zulassung",
        "lukas.r",
        "3.3",
        None,
        None,
        S,
        C.SMALL,
        "Online-Termine für die Kfz-Zulassungsstelle",
        "Wer ein Auto zulassen will, wartet oft lange. Online buchbare Termine und eine Liste der "
        "nötigen Unterlagen vorab würden Wartezeiten und zweite Wege vermeiden.",
        12,
    ),
    DemoProposal(
        "buergerbuero",
        "hannes.b",
        "3.2",
        None,
        "grasleben",
        S,
        C.SMALL,
        "Sprechstunde der Kreisverwaltung im Rathaus Grasleben",
        "Für Ältere ist der Weg nach Helmstedt weit. Einmal pro Woche eine Sprechstunde im Rathaus "
        "Grasleben für Anträge und Auskünfte würde vielen helfen.",
        6,
    ),
    DemoProposal(
        "bauhoefe",
        "bernd.m",
        "3.4",
        None,
        None,
        M,
        C.MEDIUM,
        "Gemeinsame Bauhöfe von Landkreis und Samtgemeinden",
        "Landkreis und Gemeinden unterhalten jeweils eigene Fahrzeuge und Maschinen. Gemeinsam "
        "genutzte Bauhöfe könnten Kosten sparen.",
        3,
    ),
    DemoProposal(
        "wlan",
        "nils.o",
        "1.2",
        7,
        None,
        S,
        C.MEDIUM,
        "WLAN in allen Bussen und an den großen Haltestellen",
        "Gerade Schülerinnen und Schüler verbringen viel Zeit im Bus. Kostenloses WLAN macht den "
        "Bus attraktiver und hilft beim Lernen unterwegs.",
        9,
    ),
    DemoProposal(
        "jugendtreff",
        "nils.o",
        "1.2",
        5,
        "velpke",
        S,
        C.SMALL,
        "Jugendtreff mit festen Öffnungszeiten in Velpke",
        "Jugendliche treffen sich an der Bushaltestelle, weil es keinen Raum für sie gibt. Ein "
        "Jugendtreff mit festen Öffnungszeiten und einer Fachkraft würde das ändern.",
        7,
    ),
    DemoProposal(
        "ausflug",
        "renate.d",
        "1.2",
        4,
        "schoeningen",
        S,
        C.SMALL,
        "Paläon, Kaiserdom und Zonengrenz-Museum gemeinsam vermarkten",
        "Die Schöninger Speere, der Kaiserdom in Königslutter und das Zonengrenz-Museum in Helmstedt "
        "sind besondere Ziele. Ein gemeinsames Ticket und eine Radroute zwischen ihnen würden Gäste "
        "länger im Landkreis halten.",
        10,
    ),
    DemoProposal(
        "kita",
        "marta.z",
        "1.2",
        0,
        "lehre",
        M,
        C.LARGE,
        "Mehr Krippen- und Kitaplätze in Lehre",
        "Lehre wächst durch die Nähe zu Braunschweig und Wolfsburg, die Kitas haben lange Warte"
        "listen. Eine weitere Kita im Neubaugebiet ist dringend nötig.",
        8,
    ),
    DemoProposal(
        "radweg-doppelt",
        "katrin.n",
        "1.4",
        None,
        "koenigslutter-am-elm",
        M,
        C.LARGE,
        "Fahrradweg Königslutter – Helmstedt",
        "Bitte einen sicheren Fahrradweg zwischen Königslutter und Helmstedt bauen, damit man nicht "
        "auf der Bundesstraße fahren muss.",
        4,
    ),
]

#: (proposal key, status, answer)
DECISIONS = [
    (
        "buschhaus",
        ProposalStatus.UNDER_REVIEW,
        "Der Geschäftsbereich Wirtschaft prüft gemeinsam mit der Stadt Helmstedt, welche Flächen verfügbar sind.",
    ),
    ("zulassung", ProposalStatus.UNDER_REVIEW, None),
    ("ansprechpartner", ProposalStatus.UNDER_REVIEW, None),
    (
        "ansprechpartner",
        ProposalStatus.ACCEPTED,
        "Eine Lotsenstelle für ansiedlungswillige Betriebe wird als Maßnahme in das Kreisentwicklungskonzept "
        "aufgenommen. Sie soll 2027 bei der Wirtschaftsförderung eingerichtet werden.",
    ),
    (
        "bauhoefe",
        ProposalStatus.REJECTED,
        "Die Bauhöfe der Samtgemeinden sind Sache der Gemeinden; der Landkreis kann sie nicht übernehmen. "
        "Wir geben die Anregung an die Bürgermeisterinnen und Bürgermeister weiter.",
    ),
    (
        "radweg-doppelt",
        ProposalStatus.MERGED,
        "Dieser Vorschlag beschreibt denselben Radweg wie „Radweg zwischen Helmstedt und Königslutter "
        "lückenlos ausbauen“. Wir haben beide zusammengeführt; alle Unterstützungen zählen dort.",
    ),
]

#: (proposal key, author local part or staff voice, text, replies [(author, text)])
COMMENTS = [
    (
        "buergerbus",
        "olga.f",
        "Ich würde sofort einmal in der Woche fahren. In Räbke wären sicher noch mehr dabei.",
        [
            ("dieter.h", "Das freut mich! Vielleicht können wir uns mit dem Seniorenbeirat zusammentun."),
            ("ines.p", "In Heeseberg gibt es so etwas schon, man könnte sich dort beraten lassen."),
        ],
    ),
    ("buergerbus", "frank.w", "Wichtig wäre, dass der Bus auch rollstuhlgerecht ist.", []),
    (
        "aerztehaus",
        "renate.d",
        "Für uns Ältere ist das das wichtigste Thema überhaupt. Bitte schnell umsetzen!",
        [("anja.k", "Danke! Genau deshalb habe ich den Vorschlag gemacht.")],
    ),
    (
        "aerztehaus",
        "bernd.m",
        "Ein Ärztehaus allein reicht nicht, man muss den Ärzten auch Wohnungen und Kita-Plätze "
        "anbieten können.",
        [],
    ),
    (
        "radweg",
        "peter.j",
        "Die Strecke fahre ich täglich – der Abschnitt hinter Rottorf ist wirklich gefährlich.",
        [("claudia.s", "Genau da fehlt der Radweg. Danke für die Unterstützung!")],
    ),
    ("glasfaser", "nils.o", "In Danndorf haben wir nicht einmal stabiles Handynetz.", []),
    (
        "leerstand",
        "elif.y",
        "Gute Idee. In Helmstedt gibt es das gleiche Problem in der Neumärker Straße.",
        [],
    ),
    (
        "schnellbus",
        "gisela.t",
        "Bitte auch an die Schichtarbeiter denken: Der erste Bus muss vor fünf fahren.",
        [("lukas.r", "Stimmt, das sollte in den Fahrplan.")],
    ),
    (
        "lappwaldsee",
        "juergen.l",
        "Bis der See voll ist, dauert es noch Jahre. Man sollte trotzdem jetzt schon die Wege planen.",
        [],
    ),
    ("photovoltaik", "sven.a", "Auch die Sporthallen haben große Dächer.", []),
    ("zulassung", "katrin.n", "In anderen Landkreisen klappt das schon sehr gut.", []),
    ("jugendtreff", "frank.w", "Als Vater von zwei Teenagern: unbedingt!", []),
]

#: (proposal key, staff local part, text)
STATEMENTS = [
    (
        "aerztehaus",
        "rathaus.schoeningen",
        "Die Stadt Schöningen unterstützt den Vorschlag ausdrücklich. Wir können ein städtisches Grundstück "
        "in der Nähe des Marktplatzes zur Verfügung stellen und beteiligen uns an der Planung.",
    ),
    (
        "leerstand",
        "rathaus.schoeningen",
        "Ein Leerstandskataster für die Altstadt ist in Vorbereitung. Wir würden uns über eine gemeinsame "
        "Förderung mit dem Landkreis freuen.",
    ),
    (
        "radweg",
        "rathaus.koenigslutter",
        "Die Stadt Königslutter am Elm hält den Lückenschluss für dringend. Der Abschnitt auf unserem Gebiet "
        "ist bereits in der Radverkehrsplanung enthalten.",
    ),
    (
        "bahnhof",
        "rathaus.koenigslutter",
        "Wir sind mit der Bahn im Gespräch. Ein Umbau ist frühestens 2028 möglich; wir unterstützen den Vorschlag.",
    ),
    (
        "buschhaus",
        "rathaus.helmstedt",
        "Die Stadt Helmstedt begrüßt die Nachnutzung des Kraftwerksgeländes und stimmt die Bauleitplanung mit "
        "dem Landkreis ab.",
    ),
    (
        "buergerbus",
        "verkehr.landkreis",
        "Bürgerbusse können nach dem Niedersächsischen Nahverkehrsgesetz gefördert werden. Wir beraten die "
        "Samtgemeinde gern zu Fahrzeug, Fahrplan und Versicherung.",
    ),
]


def _user(name: str, local: str, municipality_id: int | None) -> User:
    return User(
        email=f"{local}@example.org",
        display_name=name,
        password_hash=None,
        email_verified_at=clock.now(),
        municipality_id=municipality_id,
        language="de",
    )


def seed_demo_content() -> str:
    """Create the demo participation content once; returns a summary for the command's output."""
    if db.session.scalar(select(User.id).where(User.email == MARKER_EMAIL)) is not None:
        return "already there"
    municipalities = {m.key: m.id for m in db.session.scalars(select(Municipality))}
    departments = {d.key: d.id for d in db.session.scalars(select(Department))}
    subgoals = {s.number: s for s in db.session.scalars(select(SubGoal))}
    if not subgoals:
        return "skipped: import a strategy first"
    from sqlalchemy.orm import selectinload

    for subgoal in db.session.scalars(select(SubGoal).options(selectinload(SubGoal.focus_areas))):
        subgoals[subgoal.number] = subgoal

    people: dict[str, User] = {}
    for name, local, home in CITIZENS:
        people[local] = _user(name, local, municipalities.get(home) if home else None)
    for name, local, role, key in STAFF:
        person = _user(name, local, None)
        assignment = RoleAssignment(role=role)
        if role is Role.MUNICIPALITY_REP:
            assignment.municipality_id = municipalities[key]
        elif role is Role.DEPARTMENT_STAFF:
            assignment.department_id = departments.get(key)
        person.roles.append(assignment)
        people[local] = person
    db.session.add_all(people.values())
    db.session.flush()

    rng = random.Random(4)  # noqa: S311  # nosec B311 - demo data, not security
    citizens = [people[local] for _name, local, _home in CITIZENS]
    created: dict[str, Proposal] = {}
    start = clock.now() - timedelta(minutes=len(PROPOSALS) * 15)
    with muted():
        for number, demo in enumerate(PROPOSALS):
            subgoal = subgoals[demo.subgoal]
            focus = (
                subgoal.focus_areas[demo.focus].id if demo.focus is not None and subgoal.focus_areas else None
            )
            proposal = services.create_proposal(
                people[demo.author],
                services.ProposalData(
                    subgoal_id=subgoal.id,
                    focus_area_id=focus,
                    title=demo.title,
                    body=demo.body,
                    municipality_id=municipalities.get(demo.municipality) if demo.municipality else None,
                    horizon=demo.horizon,
                    cost_class=demo.cost,
                ),
            )
            moment = start + timedelta(minutes=number * 15 + rng.randint(0, 10))
            proposal.created_at = proposal.published_at = moment
            for supporter in rng.sample(citizens, min(demo.supporters, len(citizens))):
                if supporter is not people[demo.author]:
                    services.support(proposal, supporter)
            created[demo.key] = proposal

        moderator = people["moderation"]
        for key, status, answer in DECISIONS:
            merge_into = created["radweg"] if status is ProposalStatus.MERGED else None
            workflow.transition(created[key], status, moderator, answer, merge_into=merge_into)

        for key, author, text, replies in COMMENTS:
            top = comment_services.post_comment(created[key], people[author], text)
            for reply_author, reply_text in replies:
                comment_services.post_comment(created[key], people[reply_author], reply_text, parent=top)
            services.follow(created[key], people[author])
        for key, local, text in STATEMENTS:
            person = people[local]
            assignment = person.roles[0]
            voice = Voice(municipality_id=assignment.municipality_id, department_id=assignment.department_id)
            comment_services.post_comment(created[key], person, text, voice=voice)
    db.session.flush()
    return (
        f"{len(CITIZENS)} citizens, {len(STAFF)} staff accounts, {len(created)} proposals, "
        f"{len(COMMENTS)} comment threads, {len(STATEMENTS)} official statements"
    )
