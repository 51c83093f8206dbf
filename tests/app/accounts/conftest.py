"""Fixtures for the account tests: a real SMTP server, the outbox, links from mails."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import select

from portal.extensions import db
from portal.extensions import limiter
from portal.mail.models import OutboxMessage


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch) -> None:
    """argon2 with its smallest parameters: the tests check behaviour, not hashing cost."""
    from argon2 import PasswordHasher

    from portal.accounts import passwords

    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=256, parallelism=1))


@pytest.fixture(autouse=True)
def _fresh_limits(app: Flask) -> Iterator[None]:
    """Rate limits live in memory for the whole session: every test starts with none used."""
    limiter.reset()
    yield
    limiter.reset()


@pytest.fixture(autouse=True)
def _mail_to_tmp(app: Flask, tmp_path, monkeypatch) -> None:
    """Without SMTP_HOST, mail goes to .eml files: here into the test's own folder."""
    monkeypatch.setitem(app.config, "MAIL_OUTBOX_DIR", str(tmp_path / "outbox"))
    monkeypatch.setitem(app.config, "SMTP_HOST", "")


class _Collector:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        message = message_from_bytes(envelope.content, policy=default_policy)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpServer:
    """An aiosmtpd server on 127.0.0.1; ``messages`` is what arrived."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.handler = _Collector()
        self.controller: Controller | None = None

    @property
    def messages(self) -> list[Message]:
        return self.handler.messages

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server(app: Flask, monkeypatch) -> Iterator[SmtpServer]:
    """A real SMTP server for this test; the app delivers to it (no STARTTLS, no login)."""
    server = SmtpServer(free_port())
    server.start()
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", server.port)
    monkeypatch.setitem(app.config, "SMTP_STARTTLS", False)
    monkeypatch.setitem(app.config, "SMTP_USERNAME", "")
    yield server
    server.stop()


@pytest.fixture
def outbox(app: Flask):  # type: ignore[no-untyped-def]
    """``outbox()``: the queued messages (recipient, subject, text), oldest first."""

    def read(recipient: str | None = None) -> list[OutboxMessage]:
        with app.app_context():
            statement = select(OutboxMessage).order_by(OutboxMessage.id)
            if recipient:
                statement = statement.where(OutboxMessage.recipient == recipient)
            messages = list(db.session.scalars(statement))
            db.session.expunge_all()
            return messages

    return read


def link_in(text: str, path: str) -> str:
    """The path (with query) of the first link to ``path`` in a mail text."""
    match = re.search(r"https?://[^/\s]+(" + re.escape(path) + r"[^\s\"<]*)", text)
    assert match, f"no link to {path} in:\n{text}"
    return match.group(1)


def body_text(message: Message) -> str:
    """The plain-text part of an e-mail."""
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return part.get_content()
