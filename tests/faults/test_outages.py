"""Outages: PostgreSQL stopped while the portal runs, and an unreachable SMTP server."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask

from config import TestingConfig
from portal import create_app
from portal.core import clock
from portal.extensions import db
from tests.conftest import missing_postgres
from tests.faults.support import DurableCluster
from tests.faults.support import find_pg
from tests.faults.support import free_port
from tests.faults.support import prepare_database

UNAVAILABLE = {
    "de": "Das Portal ist vorübergehend nicht erreichbar",
    "en": "The portal is briefly unavailable",
}


@pytest.fixture
def cluster() -> Iterator[DurableCluster]:
    bindir = find_pg()
    if bindir is None:
        missing_postgres()
    instance = DurableCluster(bindir)
    instance.start()
    yield instance
    with contextlib.suppress(Exception):
        instance.stop()


@pytest.mark.slow
def test_postgresql_outage_gives_a_friendly_503_and_recovers_without_restart(cluster: DurableCluster) -> None:
    url = cluster.create_database("portal_outage")
    prepare_database(url)
    app = create_app(TestingConfig, overrides={"SQLALCHEMY_DATABASE_URI": url})
    client = app.test_client()
    try:
        assert client.get("/").status_code == 200
        assert client.get("/healthz").status_code == 200

        cluster.stop_server("fast")
        for lang, heading in UNAVAILABLE.items():
            for path in ("/", "/vorschlaege", "/ablauf"):
                response = client.get(f"{path}?lang={lang}")
                assert response.status_code == 503, path
                assert response.headers["Retry-After"]
                assert heading in response.get_data(as_text=True), (lang, path)
        health = client.get("/healthz")
        assert health.status_code == 503
        assert health.get_json()["status"] != "ok"

        cluster.start_server()
        # pool_pre_ping replaces the dead pooled connections: no restart of the portal needed.
        assert client.get("/healthz").status_code == 200
        assert client.get("/").status_code == 200
        assert client.get("/vorschlaege").status_code == 200
    finally:
        with app.app_context():
            for engine in db.engines.values():
                engine.dispose()


# --- SMTP -----------------------------------------------------------------------------------------


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.messages.append(envelope.content)
        return "250 Message accepted for delivery"


def _port_is_closed(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def test_smtp_outage_keeps_mail_pending_and_delivers_each_once(app: Flask) -> None:
    from aiosmtpd.controller import Controller

    from portal.mail.models import OutboxMessage
    from portal.mail.models import OutboxStatus
    from portal.mail.services import deliver_pending
    from portal.mail.services import queue_mail

    port = free_port()
    assert _port_is_closed(port)
    overrides = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": port, "SMTP_STARTTLS": False, "SMTP_USERNAME": ""}
    saved = {key: app.config.get(key) for key in overrides}
    app.config.update(overrides)
    try:
        with app.test_request_context():
            for number in range(5):
                queue_mail(f"person{number}@example.org", "password_changed", language="de",
                           user={"display_name": f"P{number}"}, name=f"P{number}")  # fmt: skip
            db.session.commit()
            ids = [m.id for m in db.session.query(OutboxMessage).filter_by(status=OutboxStatus.PENDING)]
            assert len(ids) >= 5

            sent, failed = deliver_pending()  # the SMTP server is down
            assert (sent, failed) == (0, len(ids))
            for message in db.session.query(OutboxMessage).filter(OutboxMessage.id.in_(ids)):
                assert message.status is OutboxStatus.PENDING
                assert message.attempts == 1 and message.last_error

            inbox = _Inbox()
            controller = Controller(inbox, hostname="127.0.0.1", port=port)
            controller.start()
            try:
                # Not yet due: the backoff holds the retry back.
                assert deliver_pending() == (0, 0)
                clock.freeze(clock.now() + timedelta(hours=1))
                assert deliver_pending() == (len(ids), 0)
                clock.freeze(clock.now() + timedelta(days=1))
                assert deliver_pending() == (0, 0)  # a second run sends nothing twice
            finally:
                controller.stop()
            statuses = {m.status for m in db.session.query(OutboxMessage).filter(OutboxMessage.id.in_(ids))}
            assert statuses == {OutboxStatus.SENT}
            recipients = [
                line
                for content in inbox.messages
                for line in content.decode().splitlines()
                if line.startswith("To:")
            ]
            assert len(recipients) == len(ids) == len(set(recipients)), recipients
    finally:
        app.config.update(saved)
