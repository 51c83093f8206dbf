"""Accepted proposals become a measure: prefilled form, links both ways, e-mail to authors and followers."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.core import clock
from portal.extensions import db
from portal.mail.models import OutboxMessage
from portal.measures.models import Measure
from portal.measures.queries import get_measure
from tests.app.measures.conftest import measure_form
from tests.app.measures.conftest import text_of
from tests.conftest import login
from tests.conftest import post_form


@pytest.fixture
def make_proposal(app, ids):  # type: ignore[no-untyped-def]
    from portal.proposals.models import CostClass
    from portal.proposals.models import Horizon
    from portal.proposals.models import Proposal
    from portal.proposals.models import ProposalStatus

    def factory(title: str, author: int | None, *, status: str = "accepted", subgoal: str = "1.2", **fields):  # type: ignore[no-untyped-def]
        with app.app_context():
            proposal = Proposal(
                subgoal_id=ids["subgoal"][subgoal],
                author_id=author,
                title=title,
                body=fields.pop("body", f"Text zu {title}."),
                body_html="<p>…</p>",
                horizon=Horizon(fields.pop("horizon", "short")),
                cost_class=CostClass.SMALL,
                status=ProposalStatus(status),
                published_at=clock.now(),
                municipality_id=ids["municipality"][fields.pop("municipality")]
                if "municipality" in fields
                else None,
            )
            db.session.add(proposal)
            db.session.commit()
            return proposal.id

    return factory


@pytest.fixture
def scene(create_user, make_proposal, app):  # type: ignore[no-untyped-def]
    from portal.proposals.models import Follow

    people = {
        "anna": create_user(display_name="Anna", email="anna@example.org"),
        "ben": create_user(display_name="Ben", email="ben@example.org", language="en"),
        "fiona": create_user(display_name="Fiona", email="fiona@example.org"),
        "ghost": create_user(display_name="Gast", email="ghost@example.org", verified=False),
    }
    proposals = {
        "bus": make_proposal("Rufbus am Wochenende", people["anna"], subgoal="1.2", municipality="velpke"),
        "rad": make_proposal(
            "Radweg nach Wolfsburg", people["ben"], subgoal="1.4", horizon="medium", municipality="lehre"
        ),
        "open": make_proposal("Noch offen", people["anna"], status="under_review"),
    }
    with app.app_context():
        db.session.add_all(
            [
                Follow(proposal_id=proposals["bus"], user_id=people["fiona"]),
                Follow(proposal_id=proposals["bus"], user_id=people["ghost"]),
                Follow(proposal_id=proposals["rad"], user_id=people["anna"]),
            ]
        )
        db.session.commit()
    return people, proposals


def test_the_form_is_prefilled_from_accepted_proposals(client, moderator, scene, ids):
    _people, proposals = scene
    login(client, moderator)
    chosen = "&".join(f"vorschlag={proposals[key]}" for key in ("bus", "rad", "open"))
    url = f"/verwaltung/massnahmen/neu?{chosen}"
    response = client.get(url)
    html = response.get_data(as_text=True)
    assert 'value="Rufbus am Wochenende"' in html
    assert "**Rufbus am Wochenende**" in html and "Text zu Radweg nach Wolfsburg." in html
    assert f'value="{proposals["bus"]},{proposals["rad"]}"' in html  # the hidden list, without the open one
    page = text_of(response)
    assert "Aus 2 angenommenen Vorschlägen vorausgefüllt" in page
    assert "Nur angenommene Vorschläge können Maßnahmen werden" in page
    assert "Noch offen" not in page


def test_prefill_checks_subgoals_municipalities_and_horizon(client, moderator, scene, ids):
    import re

    _people, proposals = scene
    login(client, moderator)
    html = client.get(
        f"/verwaltung/massnahmen/neu?vorschlag={proposals['bus']}&vorschlag={proposals['rad']}"
    ).get_data(as_text=True)
    inputs = re.findall(r"<input[^>]*>", html)

    def checked(name: str) -> set[str]:
        return {
            re.search(r'value="([^"]*)"', tag).group(1)
            for tag in inputs
            if f'name="{name}"' in tag and "checked" in tag
        }

    assert checked("subgoals") == {str(ids["subgoal"]["1.2"]), str(ids["subgoal"]["1.4"])}
    assert checked("municipalities") == {
        str(ids["municipality"]["velpke"]),
        str(ids["municipality"]["lehre"]),
    }
    assert checked("horizon") in ({"short"}, {"medium"})


def test_creating_links_proposals_and_tells_authors_and_followers(app, client, moderator, scene, ids):
    _people, proposals = scene
    login(client, moderator)
    form_url = f"/verwaltung/massnahmen/neu?vorschlag={proposals['bus']}&vorschlag={proposals['rad']}"
    data = measure_form(
        ids, title="Besser mobil im Landkreis", proposal_ids=f"{proposals['bus']},{proposals['rad']}"
    )
    response = post_form(client, "/verwaltung/massnahmen/neu", data, form_url=form_url)
    assert response.status_code == 302
    with app.app_context():
        measure_id = db.session.scalar(select(Measure.id).where(Measure.title == "Besser mobil im Landkreis"))
        measure = get_measure(measure_id)
        assert [proposal.id for proposal in measure.proposals] == sorted([proposals["bus"], proposals["rad"]])
        mails = {message.recipient: message for message in db.session.scalars(select(OutboxMessage))}
    # authors and verified followers, once each; never the unverified follower
    assert set(mails) == {"anna@example.org", "ben@example.org", "fiona@example.org"}
    assert (
        mails["anna@example.org"].subject == "Ein Vorschlag wurde zur Maßnahme: „Besser mobil im Landkreis“"
    )
    assert "Ihr Vorschlag „Rufbus am Wochenende“" in mails["anna@example.org"].body_text
    assert "der Vorschlag „Radweg nach Wolfsburg“, dem Sie folgen" in mails["anna@example.org"].body_text
    assert f"http://localhost/massnahmen/{measure_id}" in mails["anna@example.org"].body_text
    assert mails["ben@example.org"].subject == "A proposal became a measure: “Besser mobil im Landkreis”"
    assert "your proposal “Radweg nach Wolfsburg”" in mails["ben@example.org"].body_text
    assert (
        "Rufbus" in mails["fiona@example.org"].body_text
        and "Radweg" not in mails["fiona@example.org"].body_text
    )
    assert mails["anna@example.org"].body_html and "<a href=" in mails["anna@example.org"].body_html

    # both directions are visible to everybody
    visitor = app.test_client()
    measure_page = text_of(visitor.get(f"/massnahmen/{measure_id}"))
    assert "Diese Maßnahme ist aus diesen Vorschlägen der Beteiligung entstanden:" in measure_page
    assert "Rufbus am Wochenende" in measure_page and "Radweg nach Wolfsburg" in measure_page
    proposal_page = visitor.get(f"/vorschlaege/{proposals['bus']}").get_data(as_text=True)
    assert "Was daraus wurde" in proposal_page
    assert f'href="/massnahmen/{measure_id}">Besser mobil im Landkreis</a>' in proposal_page


def test_only_accepted_proposals_can_be_linked(app, client, moderator, scene, ids):
    _people, proposals = scene
    login(client, moderator)
    data = measure_form(ids, title="Trickversuch", proposal_ids=str(proposals["open"]))
    response = post_form(client, "/verwaltung/massnahmen/neu", data)
    assert response.status_code == 302
    with app.app_context():
        measure = get_measure(db.session.scalar(select(Measure.id).where(Measure.title == "Trickversuch")))
        assert measure.proposals == []
        assert db.session.scalar(select(OutboxMessage.id)) is None


def test_mail_goes_out_when_an_unpublished_measure_becomes_public(app, client, moderator, scene, ids):
    _people, proposals = scene
    login(client, moderator)
    data = measure_form(ids, title="Erst intern", is_public=None, proposal_ids=str(proposals["bus"]))
    assert (
        post_form(client, f"/verwaltung/massnahmen/neu?vorschlag={proposals['bus']}", data).status_code == 302
    )
    with app.app_context():
        measure_id = db.session.scalar(select(Measure.id).where(Measure.title == "Erst intern"))
        assert db.session.scalar(select(OutboxMessage.id)) is None
    assert "Was daraus wurde" not in app.test_client().get(f"/vorschlaege/{proposals['bus']}").get_data(
        as_text=True
    )
    edit = f"/verwaltung/massnahmen/{measure_id}"
    assert "Rufbus am Wochenende" in text_of(client.get(edit))
    assert post_form(client, edit, measure_form(ids, title="Erst intern")).status_code == 302
    assert (
        post_form(client, edit, measure_form(ids, title="Erst intern", status="in_progress")).status_code
        == 302
    )
    with app.app_context():
        recipients = sorted(db.session.scalars(select(OutboxMessage.recipient)))
    assert recipients == ["anna@example.org", "fiona@example.org"]  # once, at the first publication


def test_back_office_offers_accepted_proposals_without_a_measure(
    app, client, moderator, scene, ids, make_measure
):
    _people, proposals = scene
    login(client, moderator)
    page = client.get("/verwaltung/massnahmen").get_data(as_text=True)
    assert 'action="/verwaltung/massnahmen/neu"' in page
    assert "Rufbus am Wochenende" in page and "Radweg nach Wolfsburg" in page
    assert "Noch offen" not in page
    proposal_page = client.get(f"/vorschlaege/{proposals['rad']}").get_data(as_text=True)
    assert f'href="/verwaltung/massnahmen/neu?vorschlag={proposals["rad"]}"' in proposal_page


def test_the_concept_names_the_source_proposals(app, client, moderator, scene, ids):
    _people, proposals = scene
    login(client, moderator)
    data = measure_form(ids, title="Besser mobil", proposal_ids=str(proposals["bus"]))
    post_form(
        client,
        "/verwaltung/massnahmen/neu",
        data,
        form_url=f"/verwaltung/massnahmen/neu?vorschlag={proposals['bus']}",
    )
    page = text_of(client.get("/konzept/entwurf"))
    assert "Aus der Beteiligung Rufbus am Wochenende" in page
