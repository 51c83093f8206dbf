"""Mail delivery: real SMTP, .eml files without SMTP_HOST, an outage loses nothing and sends once."""

from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select

from portal.core import clock
from portal.extensions import db
from portal.mail.cli import send_mail_command
from portal.mail.models import OutboxMessage
from portal.mail.models import OutboxStatus
from portal.mail.services import deliver_pending
from tests.app.accounts.conftest import SmtpServer
from tests.app.accounts.conftest import body_text
from tests.app.accounts.conftest import free_port
from tests.conftest import post_form

FORGOT = "/passwort-vergessen"


def _statuses(app):  # type: ignore[no-untyped-def]
    with app.app_context():
        return [
            (m.status, m.attempts)
            for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        ]


def test_mail_arrives_by_smtp_as_text_and_html_in_the_recipients_language(
    app, client, create_user, smtp_server
):
    create_user(email="en@example.org", language="en", display_name="Ellen")
    client.get("/?lang=de")  # the visitor's language does not matter, the recipient's does
    post_form(client, FORGOT, {"email": "en@example.org"})
    with app.app_context():
        assert deliver_pending() == (1, 0)
    [message] = smtp_server.messages
    assert message["Subject"] == "Choose a new password"
    assert message["X-Envelope-To"] == "en@example.org"
    assert message["From"] == app.config["MAIL_FROM"]
    text = body_text(message)
    assert text.startswith("Hello Ellen,")
    assert "http://localhost/passwort-neu/" in text
    html = message.get_body(preferencelist=("html",)).get_content()
    assert '<html lang="en" dir="ltr">' in html
    assert 'href="http://localhost/passwort-neu/' in html


def test_without_smtp_host_mail_becomes_eml_files(app, client, create_user, tmp_path):
    create_user(email="file@example.org")
    post_form(client, FORGOT, {"email": "file@example.org"})
    with app.app_context():
        assert deliver_pending() == (1, 0)
    [path] = list(Path(app.config["MAIL_OUTBOX_DIR"]).glob("*.eml"))
    message = message_from_bytes(path.read_bytes(), policy=default_policy)
    assert message["To"] == "file@example.org"
    assert message["Subject"] == "Neues Passwort wählen"


def test_an_smtp_outage_keeps_mail_pending_and_it_is_sent_once_afterwards(
    app, client, create_user, monkeypatch
):
    port = free_port()
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", port)
    monkeypatch.setitem(app.config, "SMTP_STARTTLS", False)
    create_user(email="patient@example.org")
    post_form(client, FORGOT, {"email": "patient@example.org"})

    with app.app_context():
        assert deliver_pending() == (0, 1)  # nobody listens on the port
        assert deliver_pending() == (0, 0)  # not due again yet (backoff)
    assert _statuses(app) == [(OutboxStatus.PENDING, 1)]

    server = SmtpServer(port)
    server.start()
    try:
        clock.freeze(clock.now() + timedelta(minutes=2))
        with app.app_context():
            assert deliver_pending() == (1, 0)
            assert deliver_pending() == (0, 0)
        assert len(server.messages) == 1
        assert _statuses(app) == [(OutboxStatus.SENT, 2)]
    finally:
        server.stop()


def test_send_mail_command(app, client, create_user):
    create_user(email="cli@example.org")
    post_form(client, FORGOT, {"email": "cli@example.org"})
    runner = CliRunner()
    with app.app_context():
        result = runner.invoke(send_mail_command, [], obj=None, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "1 sent" in result.output
    assert len(list(Path(app.config["MAIL_OUTBOX_DIR"]).glob("*.eml"))) == 1
