"""Demo measures for Landkreis Helmstedt and a published draft of the concept (idempotent).

Believable examples for the demo departments of data/strategies/helmstedt.yaml: what a district
in the Helmstedt lignite area could plan, with budget lines beyond the medium-term financial plan
and indicators with measured values. Clearly demo content: the operator deletes or replaces it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlalchemy import select

from portal.extensions import db
from portal.measures.models import Direction
from portal.measures.models import Measure
from portal.measures.models import MeasureHorizon
from portal.measures.models import MeasureStatus
from portal.measures.services import BudgetLineData
from portal.measures.services import IndicatorData
from portal.measures.services import MeasureData
from portal.measures.services import create_measure
from portal.measures.services import record_progress
from portal.organisations.models import Department
from portal.organisations.models import Municipality
from portal.strategy.models import SubGoal

EIGEN = "Eigenmittel Landkreis"
STRUKTUR = "Strukturstärkungsgesetz Kohleregionen (Bund)"

DEMO_MEASURES: list[dict[str, Any]] = [
    {
        "title": "Mobilitätsstationen an Bahnhöfen und Busknoten",
        "description": (
            "An den Bahnhöfen Helmstedt, Schöningen und Königslutter sowie an zwei Busknoten entstehen "
            "Mobilitätsstationen: überdachte Fahrradabstellanlagen, Ladepunkte, Carsharing und "
            "barrierefreie Haltestellen mit Echtzeitanzeige.\n\nDie Stationen verbinden Bus, Bahn und Rad "
            "und verbessern die Anbindung an Braunschweig, Wolfsburg und Magdeburg."
        ),
        "subgoals": ["1.4", "1.2"],
        "departments": ["demo-ordnung-verkehr", "demo-wirtschaft-kreisentwicklung-tourismus"],
        "municipalities": ["helmstedt", "schoeningen", "koenigslutter-am-elm"],
        "horizon": "medium",
        "years": (2026, 2029),
        "status": "in_progress",
        "progress": 25,
        "budget": [
            (2026, 180_000_00, EIGEN),
            (2027, 420_000_00, "Förderung ÖPNV-Infrastruktur (Land Niedersachsen)"),
            (2027, 60_000_00, EIGEN),
            (2028, 350_000_00, "Förderung ÖPNV-Infrastruktur (Land Niedersachsen)"),
            (2029, 150_000_00, EIGEN),
        ],
        "indicators": [
            (
                "Ein- und Aussteigende an den Stationen je Werktag",
                "Personen",
                "higher",
                3100,
                2024,
                4000,
                2030,
                [(2025, 3180), (2026, 3260)],
            ),
        ],
        "updates": [
            (
                "2026-09-15",
                "Die Planung für Helmstedt und Schöningen ist abgeschlossen; die Ausschreibung läuft.",
            )
        ],
    },
    {
        "title": "Rufbus für die Samtgemeinden",
        "description": (
            "Ein Rufbus (On-Demand-Verkehr) ergänzt in den Samtgemeinden Grasleben, Heeseberg, Nord-Elm und "
            "Velpke den Linienverkehr: buchbar per Telefon und App, auch abends und am Wochenende."
        ),
        "subgoals": ["1.2"],
        "departments": ["demo-ordnung-verkehr"],
        "municipalities": ["grasleben", "heeseberg", "nord-elm", "velpke"],
        "horizon": "short",
        "years": (2027, 2028),
        "status": "planned",
        "progress": 0,
        "budget": [
            (2027, 240_000_00, EIGEN),
            (2028, 260_000_00, EIGEN),
            (2029, 270_000_00, EIGEN),
            (2030, 280_000_00, EIGEN),
        ],
        "indicators": [
            ("Fahrten im Rufbus je Monat", "Fahrten", "higher", 0, 2026, 2500, 2029, []),
        ],
        "updates": [],
    },
    {
        "title": "Gigabit für die letzten unterversorgten Adressen",
        "description": (
            "Der Landkreis schließt mit dem geförderten Ausbau die „grauen Flecken“: Adressen, die heute "
            "weniger als 100 Mbit/s erhalten, bekommen einen Glasfaseranschluss. Schulen und "
            "Gewerbegebiete werden zuerst angeschlossen."
        ),
        "subgoals": ["1.2", "2.2"],
        "departments": ["demo-finanzen-digitalisierung"],
        "municipalities": [],
        "horizon": "medium",
        "years": (2026, 2030),
        "status": "in_progress",
        "progress": 40,
        "budget": [
            (2026, 1_200_000_00, "Gigabitförderung des Bundes"),
            (2026, 300_000_00, EIGEN),
            (2027, 1_500_000_00, "Gigabitförderung des Bundes"),
            (2028, 900_000_00, "Kofinanzierung Land Niedersachsen"),
            (2029, 400_000_00, EIGEN),
            (2030, 250_000_00, EIGEN),
        ],
        "indicators": [
            (
                "Haushalte mit Gigabit-Anschluss",
                "%",
                "higher",
                62,
                2023,
                95,
                2030,
                [(2024, 68), (2025, 74), (2026, 79)],
            ),
        ],
        "updates": [
            ("2026-03-02", "Der Förderbescheid des Bundes liegt vor."),
            ("2026-10-20", "Die ersten 1.200 Adressen in Velpke und Grasleben sind angeschlossen."),
        ],
    },
    {
        "title": "Leerstand nutzen: Beratung für Wohnen im Bestand",
        "description": (
            "Ein Leerstandskataster zeigt Gemeinden und Interessierten leerstehende Häuser und Hofstellen. "
            "Eine Beratungsstelle hilft jungen Familien beim Kauf und Umbau; ein Zuschuss fördert die "
            "energetische Sanierung."
        ),
        "subgoals": ["1.1"],
        "departments": ["demo-bauen-umwelt"],
        "municipalities": ["lehre", "heeseberg", "nord-elm"],
        "horizon": "medium",
        "years": (2027, 2031),
        "status": "planned",
        "progress": 0,
        "budget": [
            (2027, 60_000_00, EIGEN),
            (2028, 80_000_00, EIGEN),
            (2029, 80_000_00, EIGEN),
            (2030, 80_000_00, EIGEN),
            (2031, 80_000_00, EIGEN),
        ],
        "indicators": [
            ("Wieder genutzte leerstehende Gebäude je Jahr", "Gebäude", "higher", 4, 2025, 20, 2030, []),
        ],
        "updates": [],
    },
    {
        "title": "Neue Gewerbeflächen im Helmstedter Revier",
        "description": (
            "Frühere Flächen des Braunkohlebergbaus werden zu Gewerbe- und Industrieflächen entwickelt: "
            "Erschließung, Altlastensanierung und Anbindung an die A 2. Die Finanzierung reicht über den "
            "Zeitraum der mittelfristigen Finanzplanung hinaus."
        ),
        "subgoals": ["2.1", "2.2"],
        "departments": ["demo-wirtschaft-kreisentwicklung-tourismus", "demo-bauen-umwelt"],
        "municipalities": ["helmstedt", "schoeningen"],
        "horizon": "long",
        "years": (2026, 2034),
        "status": "in_progress",
        "progress": 10,
        "budget": [
            (2026, 500_000_00, STRUKTUR),
            (2027, 2_000_000_00, STRUKTUR),
            (2028, 3_500_000_00, STRUKTUR),
            (2029, 3_000_000_00, STRUKTUR),
            (2030, 2_500_000_00, STRUKTUR),
            (2031, 1_000_000_00, EIGEN),
        ],
        "indicators": [
            ("Erschlossene Gewerbefläche", "ha", "higher", 0, 2025, 45, 2032, [(2026, 3)]),
            ("Neue Arbeitsplätze auf den Flächen", "Arbeitsplätze", "higher", 0, 2025, 600, 2034, []),
        ],
        "updates": [
            (
                "2026-06-30",
                "Die Machbarkeitsstudie ist abgeschlossen; der Kreistag hat die Flächen priorisiert.",
            )
        ],
    },
    {
        "title": "Digitale Anträge im Kreishaus",
        "description": (
            "Die häufigsten Leistungen des Landkreises – vom Bauantrag bis zum Bewohnerparkausweis – werden "
            "vollständig online beantragbar. Wer lieber persönlich kommt, bekommt einen Termin im "
            "Bürgerservice."
        ),
        "subgoals": ["3.2", "3.3"],
        "departments": ["demo-finanzen-digitalisierung"],
        "municipalities": [],
        "horizon": "short",
        "years": (2026, 2027),
        "status": "in_progress",
        "progress": 55,
        "budget": [
            (2026, 150_000_00, EIGEN),
            (2027, 90_000_00, EIGEN),
        ],
        "indicators": [
            ("Online beantragbare Leistungen", "%", "higher", 35, 2024, 80, 2027, [(2025, 48), (2026, 57)]),
            (
                "Durchschnittliche Bearbeitungszeit",
                "Tage",
                "lower",
                21,
                2024,
                12,
                2027,
                [(2025, 19), (2026, 16)],
            ),
        ],
        "updates": [("2026-11-02", "Bauanträge können seit November vollständig digital gestellt werden.")],
    },
    {
        "title": "Streuobstwiesen und Biotopverbund an Elm und Lappwald",
        "description": (
            "Gemeinsam mit Landwirtschaft und Naturschutzverbänden werden Streuobstwiesen neu angelegt und "
            "Hecken als Verbindung zwischen den Waldgebieten gepflanzt."
        ),
        "subgoals": ["1.3", "2.5"],
        "departments": ["demo-bauen-umwelt"],
        "municipalities": ["koenigslutter-am-elm", "nord-elm", "grasleben"],
        "horizon": "long",
        "years": (2026, 2033),
        "status": "planned",
        "progress": 0,
        "budget": [
            (2026, 40_000_00, EIGEN),
            (2027, 45_000_00, "Landesförderung Naturschutz"),
            (2028, 45_000_00, "Landesförderung Naturschutz"),
            (2029, 45_000_00, "Landesförderung Naturschutz"),
            (2030, 45_000_00, EIGEN),
            (2031, 45_000_00, EIGEN),
        ],
        "indicators": [
            ("Neu gepflanzte Obstbäume", "Bäume", "higher", 0, 2025, 1500, 2031, []),
        ],
        "updates": [],
    },
    {
        "title": "Stipendien für angehende Landärztinnen und Landärzte",
        "description": (
            "Medizinstudierende erhalten ein Stipendium, wenn sie sich verpflichten, nach der "
            "Facharztausbildung im Landkreis hausärztlich tätig zu werden."
        ),
        "subgoals": ["1.2"],
        "departments": ["demo-jugend-soziales-gesundheit"],
        "municipalities": [],
        "horizon": "long",
        "years": (2026, 2032),
        "status": "in_progress",
        "progress": 20,
        "budget": [
            (2026, 60_000_00, EIGEN),
            (2027, 90_000_00, EIGEN),
            (2028, 90_000_00, EIGEN),
            (2029, 90_000_00, EIGEN),
            (2030, 90_000_00, EIGEN),
            (2031, 90_000_00, EIGEN),
        ],
        "indicators": [
            (
                "Hausärztinnen und Hausärzte je 100.000 Einwohner",
                "",
                "higher",
                58,
                2024,
                65,
                2032,
                [(2025, 57), (2026, 58)],
            ),
        ],
        "updates": [],
    },
    {
        "title": "Ausbildungsmesse und Fachkräfteportal",
        "description": (
            "Eine jährliche Ausbildungsmesse in Helmstedt und ein gemeinsames Online-Portal zeigen "
            "Schülerinnen und Schülern die Ausbildungsplätze der Betriebe im Landkreis."
        ),
        "subgoals": ["2.3"],
        "departments": ["demo-schule-kultur-sport", "demo-wirtschaft-kreisentwicklung-tourismus"],
        "municipalities": ["helmstedt"],
        "horizon": "short",
        "years": (2026, 2026),
        "status": "completed",
        "progress": 100,
        "budget": [(2026, 35_000_00, EIGEN)],
        "indicators": [
            (
                "Besucherinnen und Besucher der Ausbildungsmesse",
                "Personen",
                "higher",
                0,
                2025,
                1200,
                2026,
                [(2026, 1450)],
            ),
        ],
        "updates": [
            (
                "2026-05-08",
                "Die erste Ausbildungsmesse hatte 1.450 Besucherinnen und Besucher und 62 Betriebe.",
            )
        ],
    },
]


def seed_demo_measures() -> str:
    """Create the demo measures that are missing and publish a first draft of the concept."""
    from datetime import date

    from portal.concept.models import ConceptStatus
    from portal.concept.models import ConceptVersion
    from portal.concept.services import publish_version

    subgoals = {subgoal.number: subgoal.id for subgoal in db.session.scalars(select(SubGoal))}
    departments = {department.key: department.id for department in db.session.scalars(select(Department))}
    municipalities = {item.key: item.id for item in db.session.scalars(select(Municipality))}
    existing = set(db.session.scalars(select(Measure.title)))
    created = 0
    for spec in DEMO_MEASURES:
        if spec["title"] in existing:
            continue
        wanted_departments = [departments[key] for key in spec["departments"] if key in departments]
        status = MeasureStatus(spec["status"])
        if not wanted_departments:
            status = MeasureStatus.PLANNED
        measure = create_measure(
            MeasureData(
                title=spec["title"],
                description=spec["description"],
                horizon=MeasureHorizon(spec["horizon"]),
                subgoal_ids=[subgoals[number] for number in spec["subgoals"] if number in subgoals],
                department_ids=wanted_departments,
                lead_department_id=wanted_departments[0] if wanted_departments else None,
                municipality_ids=[
                    municipalities[key] for key in spec["municipalities"] if key in municipalities
                ],
                start_year=spec["years"][0],
                end_year=spec["years"][1],
                status=status,
                progress=spec["progress"],
                is_public=True,
                budget_lines=[BudgetLineData(year, cents, source) for year, cents, source in spec["budget"]],
                indicators=[
                    IndicatorData(
                        name, unit, Direction(direction), baseline, baseline_year, target, target_year
                    )
                    for name, unit, direction, baseline, baseline_year, target, target_year, _values in spec[
                        "indicators"
                    ]
                ],
            ),
            actor=None,
        )
        values = []
        for indicator, row in zip(measure.indicators, spec["indicators"], strict=True):
            values.extend((indicator.id, year, float(value)) for year, value in row[7])
        for day, text in spec["updates"] or [(None, "")]:
            record_progress(
                measure,
                actor=None,
                status=measure.status,
                progress=measure.progress,
                values=values,
                update_text=text,
                update_date=date.fromisoformat(day) if day else None,
            )
        created += 1
    db.session.flush()
    versions = db.session.scalar(select(func.count()).select_from(ConceptVersion)) or 0
    published = ""
    if versions == 0:
        version = publish_version(
            ConceptStatus.DRAFT_FOR_COUNCIL,
            actor=None,
            note="Demo: Entwurf zur Vorberatung im Ausschuss für Wirtschaft und Strategie",
        )
        published = f", concept version {version.number} published"
    return f"{created} created, {len(DEMO_MEASURES) - created} already there{published}"
