"""Durability settings of the production configuration, and backup/restore with the commands
docs/operations.md documents (SQLite: ``.backup``/``VACUUM INTO``; PostgreSQL: pg_dump -Fc /
pg_restore): a backup restored into an empty database holds every row of every table."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from config import ProductionConfig
from config import TestingConfig
from portal import create_app
from portal.extensions import db
from tests.conftest import missing_postgres
from tests.faults.support import DurableCluster
from tests.faults.support import find_pg
from tests.faults.support import prepare_database
from tests.faults.support import table_counts

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cluster() -> Iterator[DurableCluster]:
    bindir = find_pg()
    if bindir is None:
        missing_postgres()
    instance = DurableCluster(bindir)
    instance.start()
    yield instance
    with contextlib.suppress(Exception):
        instance.stop()


def _production_app(monkeypatch: pytest.MonkeyPatch, url: str):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("SECRET_KEY", "durability-test")
    return create_app(ProductionConfig)


def _dispose(app) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


def _fill(url: str) -> None:
    """The demo strategy, pages, measures and a user: rows in most tables."""
    prepare_database(url)
    app = create_app(TestingConfig, overrides={"SQLALCHEMY_DATABASE_URI": url})
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    _dispose(app)


def test_sqlite_production_settings_are_durable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = _production_app(monkeypatch, f"sqlite:///{tmp_path / 'portal.db'}")
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
    _dispose(app)


def test_postgresql_production_settings_are_durable(
    cluster: DurableCluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = _production_app(monkeypatch, cluster.create_database("portal_settings"))
    with app.app_context():
        settings = {
            name: db.session.execute(text(f"SHOW {name}")).scalar()
            for name in ("fsync", "synchronous_commit", "full_page_writes", "default_transaction_isolation")
        }
    _dispose(app)
    assert settings["fsync"] == "on"
    assert settings["synchronous_commit"] == "on"
    assert settings["full_page_writes"] == "on"
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"].get("pool_pre_ping") is True


@pytest.mark.skipif(shutil.which("sqlite3") is None, reason="the sqlite3 shell is not installed")
def test_sqlite_backup_restores_everything(tmp_path: Path) -> None:
    source = tmp_path / "portal.db"
    _fill(f"sqlite:///{source}")
    before = table_counts(f"sqlite:///{source}")
    assert sum(before.values()) > 50

    online = tmp_path / "backup-online.db"
    vacuumed = tmp_path / "backup-vacuum.db"
    subprocess.run(["sqlite3", str(source), f".backup '{online}'"], check=True)
    subprocess.run(["sqlite3", str(source), f"VACUUM INTO '{vacuumed}'"], check=True)
    for backup in (online, vacuumed):
        restored = tmp_path / f"restored-{backup.stem}.db"
        subprocess.run(["sqlite3", str(restored), f".restore '{backup}'"], check=True)
        check = subprocess.run(["sqlite3", str(restored), "PRAGMA integrity_check"], check=True,
                               capture_output=True, text=True)  # fmt: skip
        assert check.stdout.strip() == "ok"
        assert table_counts(f"sqlite:///{restored}") == before
        _serves(f"sqlite:///{restored}")


def test_postgresql_backup_restores_everything(cluster: DurableCluster) -> None:
    url = cluster.create_database("portal_live")
    _fill(url)
    before = table_counts(url)
    assert sum(before.values()) > 50

    dump = cluster.base / "portal.dump"
    cluster.tool("pg_dump", "-Fc", "--no-owner", "-f", str(dump), "portal_live")
    restored_url = cluster.create_database("portal_restored")
    assert table_counts(restored_url) == {}
    cluster.tool("pg_restore", "--no-owner", "--exit-on-error", "-d", "portal_restored", str(dump))
    assert table_counts(restored_url) == before
    _serves(restored_url)


def _serves(url: str) -> None:
    """The portal runs on the restored database (its migrations are at the same revision)."""
    app = create_app(TestingConfig, overrides={"SQLALCHEMY_DATABASE_URI": url})
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 200
    assert client.get("/massnahmen").status_code == 200
    _dispose(app)
