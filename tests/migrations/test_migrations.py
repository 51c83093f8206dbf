"""Migrations: upgrade from empty, downgrade back to empty, and no drift from the models."""

from __future__ import annotations

import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade
from flask_migrate import upgrade
from sqlalchemy import inspect

from config import TestingConfig
from portal import create_app
from portal.core.db import include_name
from portal.extensions import db
from tests.conftest import DATABASE
from tests.conftest import ROOT


@pytest.fixture
def empty_database_url(request, tmp_path) -> str:
    if DATABASE == "postgresql":
        cluster = request.getfixturevalue("postgres")
        return cluster.create_database(f"migrations_{uuid.uuid4().hex[:8]}")
    return f"sqlite:///{tmp_path / 'migrations.db'}"


def test_upgrade_downgrade_and_no_drift(empty_database_url):
    app = create_app(TestingConfig, overrides={"SQLALCHEMY_DATABASE_URI": empty_database_url})
    directory = str(ROOT / "migrations")
    with app.app_context():
        upgrade(directory=directory)
        tables = set(inspect(db.engine).get_table_names())
        assert {"strategies", "goals", "subgoals", "focus_areas", "phases", "milestones"} <= tables

        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_name": include_name}
            )
            diff = compare_metadata(context, db.metadata)
        assert diff == [], f"models and migrations disagree: {diff}"

        downgrade(directory=directory, revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade(directory=directory)  # and up again: downgrade left nothing behind
        db.engine.dispose()


def test_migrations_have_a_single_head():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config(os.path.join(ROOT, "migrations", "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, f"several migration heads: {heads}"


def test_create_engine_for_sqlite_file_uses_wal(tmp_path):
    app = create_app(TestingConfig, overrides={"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'wal.db'}"})
    with app.app_context():
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        db.engine.dispose()
