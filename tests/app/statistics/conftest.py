"""Fixtures for the statistics tests."""

from __future__ import annotations

import pytest

from tests.app.priorities.conftest import seed_ballot  # noqa: F401  (a fixture, used here too)
from tests.app.statistics.seeding import Seeder


@pytest.fixture
def seed(app, demo) -> Seeder:
    return Seeder(app)
