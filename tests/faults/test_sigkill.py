"""SIGKILL during a burst of writes: every acknowledged write is there after the restart.

A real server process (gunicorn, two workers) writes proposals through the real form; clients
record each answer that acknowledges a write (303 to the new proposal). The whole process group
is killed with SIGKILL mid-burst, the server is started again, and every acknowledged proposal
must be in the database and on its page. On PostgreSQL the database server is crashed too
(``pg_ctl stop -m immediate``: recovery from the WAL at the next start). What this proves and
what it cannot (a power cut is not a SIGKILL) is written in docs/operations.md.
"""

from __future__ import annotations

import contextlib
import threading
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine
from sqlalchemy import text

from tests.conftest import missing_postgres
from tests.faults.support import PROPOSAL_LOCATION
from tests.faults.support import DurableCluster
from tests.faults.support import Server
from tests.faults.support import find_pg
from tests.faults.support import prepare_database
from tests.faults.support import proposal_data
from tests.faults.support import proposal_form
from tests.faults.support import signed_in

pytestmark = pytest.mark.slow

CLIENTS = 4
#: Kill once this many writes were acknowledged (or after BURST_SECONDS).
KILL_AFTER = 100
BURST_SECONDS = 8.0
#: The figures of the last runs, for docs/security-testing.md (printed with -s / -rA).
RESULTS: dict[str, tuple[int, int]] = {}


def _burst(server: Server) -> tuple[dict[str, int], int]:
    """Write proposals from CLIENTS threads, SIGKILL the server mid-burst.

    Returns the acknowledged writes (title -> id) and how many requests were cut off.
    """
    acknowledged: dict[str, int] = {}
    cut_off = [0]
    lock = threading.Lock()
    stop = threading.Event()
    sessions = [signed_in(server.base) for _ in range(CLIENTS)]
    forms = [proposal_form(session, server.base) for session in sessions]

    def client(number: int) -> None:
        session, form = sessions[number], forms[number]
        sequence = 0
        while not stop.is_set():
            sequence += 1
            title = f"Schreibtest {number}-{sequence:05d} nach Absturz vorhanden"
            try:
                response = session.post(
                    server.base + "/vorschlaege/neu", data=proposal_data(form, title),
                    allow_redirects=False, timeout=10,
                )  # fmt: skip
            except requests.RequestException:
                with lock:
                    cut_off[0] += 1
                return
            match = PROPOSAL_LOCATION.search(response.headers.get("Location", ""))
            if response.status_code == 303 and match:
                with lock:
                    acknowledged[title] = int(match.group(1))
            else:
                raise AssertionError(f"write refused: {response.status_code} {response.text[:500]}")

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + BURST_SECONDS
    while time.monotonic() < deadline and len(acknowledged) < KILL_AFTER:
        time.sleep(0.02)
    server.kill()
    stop.set()
    for thread in threads:
        thread.join(timeout=15)
    return acknowledged, cut_off[0]


def _assert_all_there(server: Server, url: str, acknowledged: dict[str, int]) -> None:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = dict(conn.execute(text("SELECT title, id FROM proposals")).all())
    finally:
        engine.dispose()
    missing = {title: pid for title, pid in acknowledged.items() if rows.get(title) != pid}
    assert not missing, f"{len(missing)} acknowledged writes lost: {sorted(missing)[:5]}"
    for title, proposal_id in list(acknowledged.items())[:: max(1, len(acknowledged) // 10)]:
        page = requests.get(f"{server.base}/vorschlaege/{proposal_id}", timeout=10)
        assert page.status_code == 200 and title in page.text


def test_sqlite_wal_keeps_every_acknowledged_write(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'portal.db'}"
    prepare_database(url)
    server = Server(database_url=url, instance=tmp_path)
    server.start()
    try:
        acknowledged, cut_off = _burst(server)
        assert len(acknowledged) >= 10, "the burst wrote too little to prove anything"
        server.start()
        _assert_all_there(server, url, acknowledged)
    finally:
        server.stop()
    RESULTS["sqlite"] = (len(acknowledged), cut_off)
    print(f"\nSIGKILL sqlite: {len(acknowledged)} acknowledged writes survived, {cut_off} requests cut off")


def test_postgresql_keeps_every_acknowledged_write(tmp_path: Path) -> None:
    bindir = find_pg()
    if bindir is None:
        missing_postgres()
    cluster = DurableCluster(bindir)
    cluster.start()
    try:
        url = cluster.create_database("portal_sigkill")
        prepare_database(url)
        server = Server(database_url=url, instance=tmp_path)
        server.start()
        try:
            acknowledged, cut_off = _burst(server)
            assert len(acknowledged) >= 10, "the burst wrote too little to prove anything"
            # The database server crashes too: acknowledged commits come back from the WAL.
            cluster.stop_server("immediate")
            cluster.start_server()
            server.start()
            _assert_all_there(server, url, acknowledged)
        finally:
            server.stop()
    finally:
        with contextlib.suppress(Exception):
            cluster.stop()
    RESULTS["postgresql"] = (len(acknowledged), cut_off)
    print(
        f"\nSIGKILL postgresql: {len(acknowledged)} acknowledged writes survived, {cut_off} requests cut off"
    )
