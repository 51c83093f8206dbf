"""The rules of measures as a moderator or department staff meets them in the forms."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.extensions import db
from portal.measures.models import Measure
from portal.measures.queries import get_measure
from tests.app.measures.conftest import OWN_DEPARTMENT
from tests.app.measures.conftest import measure_form
from tests.app.measures.conftest import text_of
from tests.conftest import login
from tests.conftest import post_form

NEW = "/verwaltung/massnahmen/neu"


@pytest.fixture
def signed_in(client, moderator):  # type: ignore[no-untyped-def]
    login(client, moderator)
    return client


def test_a_valid_measure_is_created_with_budget_and_indicators(app, signed_in, ids):
    response = post_form(signed_in, NEW, measure_form(ids))
    assert response.status_code == 302
    with app.app_context():
        measure = db.session.scalar(select(Measure).where(Measure.title == "Sanierung der Kreisstraße K 12"))
        measure = get_measure(measure.id)
        assert [(line.year, line.amount_cents, line.funding_source) for line in measure.budget_lines] == [
            (2026, 250_000_00, "Eigenmittel"),
            (2031, 1_500_50, "GVFG"),
        ]
        assert [department.key for department in measure.departments] == [OWN_DEPARTMENT]
        assert measure.lead_department_id == ids["department"][OWN_DEPARTMENT]
        indicator = measure.indicators[0]
        assert (indicator.name, indicator.unit, indicator.target_value, indicator.target_year) == (
            "Sanierte Straßenkilometer",
            "km",
            12.5,
            2028,
        )
        assert measure.description_html == "<p>Deckschicht und Radweg.</p>\n"
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "measures.created"))
        assert event.object_id == str(measure.id)


BAD_INPUT = [
    ({"title": ""}, "Bitte geben Sie einen Titel ein."),
    ({"subgoals": None}, "Wählen Sie mindestens ein Unterziel."),
    ({"horizon": None}, "Wählen Sie den Zeithorizont."),
    ({"budget_lines-0-amount": "-100"}, "Der Betrag darf nicht negativ sein."),
    ({"budget_lines-0-amount": "viel"}, "Geben Sie einen Betrag in Euro an, z. B. 25.000 oder 1.500,50."),
    ({"budget_lines-0-amount": "10,555"}, "Geben Sie einen Betrag in Euro an, z. B. 25.000 oder 1.500,50."),
    ({"budget_lines-0-amount": ""}, "Geben Sie den Betrag an."),
    ({"budget_lines-0-year": ""}, "Geben Sie das Jahr an."),
    ({"budget_lines-0-year": "1999"}, "Geben Sie ein Jahr zwischen 2000 und 2100 an."),
    ({"budget_lines-0-year": "2101"}, "Geben Sie ein Jahr zwischen 2000 und 2100 an."),
    ({"budget_lines-0-year": "26"}, "Geben Sie ein Jahr zwischen 2000 und 2100 an."),
    ({"budget_lines-0-year": "zwanzig"}, "Geben Sie das Jahr vierstellig an, z. B. 2027."),
    ({"start_year": "1990"}, "Geben Sie ein Jahr zwischen 2000 und 2100 an."),
    ({"end_year": "2025"}, "Das Endjahr darf nicht vor dem Startjahr liegen."),
    ({"indicators-0-target_year": "2025"}, "Das Zieljahr muss nach dem Basisjahr liegen."),
    ({"indicators-0-target_year": "2020"}, "Das Zieljahr muss nach dem Basisjahr liegen."),
    ({"indicators-0-baseline_year": "3000"}, "Geben Sie ein Jahr zwischen 2000 und 2100 an."),
    ({"indicators-0-name": ""}, "Geben Sie den Namen der Kennzahl an."),
    ({"indicators-0-baseline_value": ""}, "Geben Sie den Ausgangswert an."),
    ({"indicators-0-target_value": "hoch"}, "Geben Sie eine Zahl an, z. B. 12 oder 12,5."),
    ({"progress": "101"}, "Geben Sie einen Prozentwert zwischen 0 und 100 an."),
    ({"progress": "-1"}, "Geben Sie einen Prozentwert zwischen 0 und 100 an."),
    ({"progress": "viel"}, "Geben Sie einen Prozentwert zwischen 0 und 100 an."),
    (
        {"status": "in_progress", "departments": None},
        "Wählen Sie mindestens einen verantwortlichen Geschäftsbereich, bevor die Maßnahme den Status "
        "„geplant“ verlässt.",
    ),
    (
        {"lead_department": "OTHER"},
        "Der federführende Geschäftsbereich muss einer der verantwortlichen sein.",
    ),
]


@pytest.mark.parametrize(("changes", "message"), BAD_INPUT, ids=[str(list(c)) for c, _m in BAD_INPUT])
def test_bad_input_is_refused_with_a_message_next_to_the_field(app, signed_in, ids, changes, message):
    if changes.get("lead_department") == "OTHER":
        changes = {"lead_department": str(ids["department"]["demo-ordnung-verkehr"])}
    response = post_form(signed_in, NEW, measure_form(ids, **changes))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    page = text_of(response)
    assert "error-summary" in html
    assert message in page
    assert 'class="kern-error"' in html  # next to the field, not only in the summary
    with app.app_context():
        assert (
            db.session.scalar(select(Measure).where(Measure.title == "Sanierung der Kreisstraße K 12"))
            is None
        )


def test_typed_text_is_kept_after_an_error(signed_in, ids):
    response = post_form(
        signed_in, NEW, measure_form(ids, title="", **{"budget_lines-1-funding_source": "Städtebauförderung"})
    )
    html = response.get_data(as_text=True)
    assert 'value="1.500,50"' in html
    assert 'value="Städtebauförderung"' in html
    assert 'value="12,5"' in html
    assert "Deckschicht und Radweg." in html


def test_planned_measures_may_wait_for_a_department(app, signed_in, ids):
    response = post_form(signed_in, NEW, measure_form(ids, departments=None))
    assert response.status_code == 302


def test_empty_rows_are_ignored_and_partial_rows_must_be_complete(app, signed_in, ids):
    data = measure_form(
        ids, **{"budget_lines-2-year": "", "budget_lines-2-amount": "", "budget_lines-2-funding_source": ""}
    )
    assert post_form(signed_in, NEW, data).status_code == 302
    partial = measure_form(ids, title="Zweite Maßnahme", **{"budget_lines-2-funding_source": "Land"})
    page = text_of(post_form(signed_in, NEW, partial))
    assert "Geben Sie das Jahr an." in page
    assert "Geben Sie den Betrag an." in page


def test_add_row_buttons_add_a_row_and_keep_everything_typed(signed_in, ids):
    data = measure_form(ids, add_budget_line="1", title="Noch nicht fertig")
    response = post_form(signed_in, NEW, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "error-summary" not in html  # adding a row is not a failed submission
    assert 'value="Noch nicht fertig"' in html
    assert 'name="budget_lines-2-year"' in html  # one more row than was sent
    assert 'value="1.500,50"' in html
    response = post_form(signed_in, NEW, measure_form(ids, add_indicator="1"))
    html = response.get_data(as_text=True)
    assert 'name="indicators-1-name"' in html
    assert 'value="Sanierte Straßenkilometer"' in html


def test_rows_are_labelled_with_their_number(signed_in):
    html = signed_in.get(NEW).get_data(as_text=True)
    assert "Jahr, Haushaltsansatz 1" in html
    assert "Jahr, Haushaltsansatz 3" in html
    assert "Name, Kennzahl 1" in html


def test_editing_replaces_budget_and_keeps_indicator_values(app, client, moderator, make_measure, ids):
    measure_id = make_measure(
        indicators=[("Bäume", "", "higher", 0, 2025, 100, 2030)],
        values=[(0, 2026, 10)],
        budget=[(2026, 1000_00, "A"), (2027, 2000_00, "B")],
    )
    login(client, moderator)
    url = f"/verwaltung/massnahmen/{measure_id}"
    form_page = client.get(url).get_data(as_text=True)
    assert 'value="Bäume"' in form_page
    with app.app_context():
        indicator_id = get_measure(measure_id).indicators[0].id
    data = measure_form(
        ids,
        title="Radweg, geändert",
        status="in_progress",
        progress="30",
        **{
            "budget_lines-0-year": "2027",
            "budget_lines-0-amount": "5.000",
            "budget_lines-1-year": "",
            "budget_lines-1-amount": "",
            "budget_lines-1-funding_source": "",
            "indicators-0-indicator_id": str(indicator_id),
            "indicators-0-name": "Gepflanzte Bäume",
        },
    )
    assert post_form(client, url, data).status_code == 302
    with app.app_context():
        measure = get_measure(measure_id)
        assert measure.title == "Radweg, geändert"
        assert [(line.year, line.amount_cents) for line in measure.budget_lines] == [(2027, 5000_00)]
        assert measure.indicators[0].id == indicator_id
        assert measure.indicators[0].name == "Gepflanzte Bäume"
        assert [(value.year, value.value) for value in measure.indicators[0].values] == [(2026, 10.0)]
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "measures.updated"))
        assert event.details["changed"]["status"] == ["planned", "in_progress"]


def test_emptying_an_indicator_row_removes_it_with_its_values(app, client, moderator, make_measure, ids):
    measure_id = make_measure(
        indicators=[("Bäume", "", "higher", 0, 2025, 100, 2030)], values=[(0, 2026, 10)]
    )
    login(client, moderator)
    blank = {
        f"indicators-0-{name}": ""
        for name in ("name", "unit", "baseline_value", "baseline_year", "target_value", "target_year")
    }
    assert (
        post_form(client, f"/verwaltung/massnahmen/{measure_id}", measure_form(ids, **blank)).status_code
        == 302
    )
    with app.app_context():
        assert get_measure(measure_id).indicators == []


# ---- Values and progress (department staff) --------------------------------------------------


@pytest.fixture
def staff_measure(make_measure):  # type: ignore[no-untyped-def]
    return make_measure(
        indicators=[
            ("Bäume", "Stück", "higher", 0, 2025, 100, 2030),
            ("CO₂", "t", "lower", 50, 2024, 20, 2030),
        ],
        values=[(0, 2025, 5)],
    )


def test_staff_record_values_progress_and_an_update(app, client, create_user, staff_measure):
    staff = create_user("department_staff", department=OWN_DEPARTMENT)
    login(client, staff)
    url = f"/verwaltung/massnahmen/{staff_measure}/werte"
    with app.app_context():
        first, second = (indicator.id for indicator in get_measure(staff_measure).indicators)
    response = post_form(
        client,
        url,
        {
            "status": "in_progress",
            "progress": "35",
            "values-0-indicator": str(first),
            "values-0-year": "2025",
            "values-0-value": "7",
            "values-1-indicator": str(first),
            "values-1-year": "2026",
            "values-1-value": "12,5",
            "values-2-indicator": str(second),
            "values-2-year": "2026",
            "values-2-value": "44",
            "update_date": "2026-11-20",
            "update_text": "Die ersten **Bäume** stehen.",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        measure = get_measure(staff_measure)
        assert (measure.status.value, measure.progress) == ("in_progress", 35)
        assert [(v.year, v.value) for v in measure.indicators[0].values] == [(2025, 7.0), (2026, 12.5)]
        assert [(v.year, v.value) for v in measure.indicators[1].values] == [(2026, 44.0)]
        assert measure.updates[0].body_html == "<p>Die ersten <strong>Bäume</strong> stehen.</p>\n"
        event = db.session.scalar(
            select(AuditEvent)
            .where(AuditEvent.action == "measures.progress_recorded")
            .order_by(AuditEvent.id.desc())
            .limit(1)
        )
        assert event.actor_id == staff
        assert event.details["progress"] == [0, 35]
    page = text_of(client.get(f"/massnahmen/{staff_measure}"))
    assert "Die ersten Bäume stehen." in page
    assert "20.11.2026" in page


BAD_VALUES = [
    ({"progress": "120"}, "Geben Sie einen Prozentwert zwischen 0 und 100 an."),
    ({"values-0-year": "1800"}, "Geben Sie ein Jahr zwischen 2000 und 2100 an."),
    ({"values-0-value": "viel"}, "Geben Sie eine Zahl an, z. B. 12 oder 12,5."),
    ({"values-0-value": ""}, "Geben Sie den Wert an."),
    ({"values-0-indicator": ""}, "Wählen Sie die Kennzahl."),
    (
        {"values-1-indicator": "FIRST", "values-1-year": "2025", "values-1-value": "3"},
        "Für diese Kennzahl gibt es in einer anderen Zeile schon einen Wert für dieses Jahr.",
    ),
]


@pytest.mark.parametrize(("changes", "message"), BAD_VALUES, ids=[str(list(c)) for c, _m in BAD_VALUES])
def test_bad_values_are_refused(app, client, moderator, staff_measure, changes, message):
    login(client, moderator)
    with app.app_context():
        first = get_measure(staff_measure).indicators[0].id
    data = {
        "status": "in_progress",
        "progress": "10",
        "values-0-indicator": str(first),
        "values-0-year": "2025",
        "values-0-value": "8",
    }
    data.update({key: str(first) if value == "FIRST" else value for key, value in changes.items()})
    response = post_form(client, f"/verwaltung/massnahmen/{staff_measure}/werte", data)
    assert response.status_code == 200
    assert message in text_of(response)
    with app.app_context():
        assert get_measure(staff_measure).progress == 0


def test_leaving_planned_needs_a_department_on_the_values_form_too(app, client, moderator, make_measure):
    measure_id = make_measure(departments=[])
    login(client, moderator)
    response = post_form(
        client, f"/verwaltung/massnahmen/{measure_id}/werte", {"status": "completed", "progress": "100"}
    )
    assert "bevor die Maßnahme den Status „geplant“ verlässt" in text_of(response)


def test_values_of_another_measures_indicator_are_refused(
    app, client, moderator, make_measure, staff_measure
):
    other = make_measure("Andere", indicators=[("X", "", "higher", 0, 2025, 1, 2030)])
    login(client, moderator)
    with app.app_context():
        foreign = get_measure(other).indicators[0].id
    response = post_form(
        client,
        f"/verwaltung/massnahmen/{staff_measure}/werte",
        {
            "status": "planned",
            "progress": "0",
            "values-0-indicator": str(foreign),
            "values-0-year": "2026",
            "values-0-value": "1",
        },
    )
    assert response.status_code == 200  # not a valid choice for this measure
    with app.app_context():
        assert get_measure(other).indicators[0].values == []


def test_add_value_row_keeps_what_was_typed(app, client, moderator, staff_measure):
    login(client, moderator)
    url = f"/verwaltung/massnahmen/{staff_measure}/werte"
    response = post_form(
        client, url, {"status": "planned", "progress": "15", "update_text": "Entwurf", "add_value": "1"}
    )
    html = response.get_data(as_text=True)
    assert 'name="values-0-year"' in html
    assert 'value="15"' in html
    assert "Entwurf" in html


def test_enter_in_a_field_saves_instead_of_adding_a_row(signed_in):
    """Implicit submission presses the form's first submit button: it must be the saving one."""
    import re

    html = signed_in.get(NEW).get_data(as_text=True)
    form = html[html.index('<form method="post" class="stack measure-form"') :]
    first_button = re.search(r"<button[^>]*>", form).group(0)
    assert 'type="submit"' in first_button
    assert "name=" not in first_button  # the add-row buttons are named, saving is not
