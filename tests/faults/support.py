"""Helpers of the fault and durability tests: databases prepared like production, a real server
process, a PostgreSQL cluster with default (durable) settings, a participant driving the forms."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import requests
from sqlalchemy import create_engine
from sqlalchemy import inspect
from sqlalchemy import text

from config import TestingConfig
from tests import pg
from tests.security.htmlforms import Form
from tests.security.htmlforms import forms_of

ROOT = Path(__file__).resolve().parents[2]
DEMO_STRATEGY = ROOT / "data" / "strategies" / "helmstedt.yaml"
PASSWORD = "correct horse battery staple"
EMAIL = "burst@example.org"


class DurableCluster(pg.Cluster):
    """A throwaway cluster with PostgreSQL's *default* settings (fsync, synchronous_commit on).

    tests/pg.py switches durability off for speed; a durability test must not.
    """

    def options(self) -> str:
        return f"-k {self.socket_dir} -p {self.port} -c listen_addresses='' -c max_connections=100"

    def start(self) -> None:
        if self.as_root:
            import shutil

            shutil.chown(self.base, "postgres", "postgres")
        self.base.chmod(0o700)
        self._run(
            str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        self.start_server()

    def start_server(self) -> None:
        """(Re)start the server on the existing data folder."""
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", self.options(), "-w", "-t", "60",
                  "-l", str(self.base / "server.log"), "start")  # fmt: skip

    def stop_server(self, mode: str = "fast") -> None:
        """Stop the server; ``immediate`` is a crash (recovery from WAL at the next start)."""
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def tool(self, name: str, *args: str) -> subprocess.CompletedProcess[str]:
        """Run a client program (pg_dump, pg_restore, ...) against this cluster."""
        return self._run(str(self.bindir / name), "-h", str(self.socket_dir), "-p", str(self.port),
                         "-U", "postgres", *args)  # fmt: skip


def find_pg() -> Path | None:
    return pg.find_binaries()


def prepare_database(url: str, *, users: int = 1) -> None:
    """Migrate ``url`` to the heads, import the demo strategy, create the burst user(s)."""
    from flask_migrate import upgrade

    from portal import create_app
    from portal.accounts.models import User
    from portal.accounts.passwords import hash_password
    from portal.core import clock
    from portal.extensions import db
    from portal.strategy.importer import import_strategy_file

    app = create_app(TestingConfig, overrides={"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"), revision="heads")
        import_strategy_file(DEMO_STRATEGY)
        password_hash = hash_password(PASSWORD)
        for number in range(users):
            email = EMAIL if number == 0 else f"burst{number}@example.org"
            db.session.add(
                User(
                    email=email,
                    display_name=f"Burst {number}",
                    password_hash=password_hash,
                    email_verified_at=clock.now(),
                    language="de",
                )
            )
        db.session.commit()
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


def table_counts(url: str) -> dict[str, int]:
    """Rows per table (every table of the schema)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            names = inspect(conn).get_table_names()
            return {name: conn.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one() for name in names}
    finally:
        engine.dispose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """``gunicorn tests.faults.server:app`` in its own process group."""

    database_url: str
    instance: Path
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, workers: int = 2) -> None:
        self.port = self.port or free_port()
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "SECRET_KEY": "fault-test-secret",
            "PORTAL_INSTANCE_PATH": str(self.instance),
            "RATELIMIT_STORAGE_URI": "memory://",
            "PORTAL_BASE_URL": self.base,
        }
        with open(self.instance / "server.log", "ab") as log:
            self.process = self._spawn(workers, env, log)
        self._wait_until_up()

    def _spawn(self, workers: int, env: dict[str, str], log: object) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--threads", "2",
             "--bind", f"127.0.0.1:{self.port}", "--graceful-timeout", "1", "tests.faults.server:app"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,  # type: ignore[arg-type]
        )  # fmt: skip

    def _wait_until_up(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("server died:\n" + (self.instance / "server.log").read_text()[-3000:])
            with contextlib.suppress(requests.RequestException):
                if requests.get(self.base + "/healthz", timeout=2).status_code == 200:
                    return
            time.sleep(0.2)
        raise RuntimeError("server did not answer /healthz within 60 s")

    def kill(self) -> None:
        """SIGKILL to the master and every worker at once: no shutdown code runs."""
        assert self.process is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def form_on(session: requests.Session, url: str, *, containing: str) -> Form:
    """The POST form of a page whose fields include ``containing``."""
    response = session.get(url, timeout=10)
    response.raise_for_status()
    for form in forms_of(response.text):
        if form.method == "post" and containing in form.fields | form.kinds:
            return form
    raise AssertionError(f"no form with {containing!r} on {url}")


def signed_in(base: str, email: str = EMAIL) -> requests.Session:
    """A requests session signed in through the real form."""
    session = requests.Session()
    form = form_on(session, base + "/anmelden", containing="password")
    data = {**form.fields, "email": email, "password": PASSWORD}
    response = session.post(base + "/anmelden", data=data, allow_redirects=False, timeout=10)
    assert response.status_code in (302, 303), f"sign-in failed: {response.status_code}"
    return session


def proposal_form(session: requests.Session, base: str, subgoal: str = "1.1") -> Form:
    """The proposal form (fields and defaults as the page offers them)."""
    return form_on(session, f"{base}/vorschlaege/neu?unterziel={subgoal}", containing="title")


def proposal_data(form: Form, title: str) -> dict[str, str]:
    data = dict(form.fields)
    for name, values in form.options.items():
        if not data.get(name):
            data[name] = next((value for value in values if value), "")
    data.update(
        title=title,
        body="Ein Vorschlag aus dem Schreibtest: er muss nach einem Absturz noch da sein. " * 2,
        confirm="1",
    )
    return data


PROPOSAL_LOCATION = re.compile(r"/vorschlaege/(\d+)")


def iter_burst_titles(prefix: str) -> Iterator[str]:
    number = 0
    while True:
        number += 1
        yield f"{prefix} Schreibtest Nummer {number:05d}"
