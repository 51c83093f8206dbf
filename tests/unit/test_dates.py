"""Milestone date specs: parsing and display in both languages."""

from __future__ import annotations

from datetime import date

import pytest
from flask_babel import force_locale

from portal.process.dates import DateSpecError
from portal.process.dates import format_date_spec
from portal.process.dates import parse_date_spec


@pytest.mark.parametrize(
    ("spec", "kind", "first"),
    [
        ("2017-04-27", "day", date(2017, 4, 27)),
        ("2017-11", "month", date(2017, 11, 1)),
        ("2017-05..2017-08", "months", date(2017, 5, 1)),
        ("2018-04-24,2018-05-18", "days", date(2018, 4, 24)),
    ],
)
def test_parse(spec, kind, first):
    parsed = parse_date_spec(spec)
    assert parsed.kind == kind
    assert parsed.first == first


@pytest.mark.parametrize(
    "spec",
    [
        "",
        "2017",
        "27.04.2017",
        "2017-13",
        "2017-02-30",
        "2017-08..2017-05",
        "2018-05-18,2018-04-24",
        "Mai 2017",
    ],
)
def test_rejects(spec):
    with pytest.raises(DateSpecError):
        parse_date_spec(spec)


@pytest.mark.parametrize(
    ("spec", "german", "english"),
    [
        ("2017-04-27", "27.04.2017", "Apr 27, 2017"),
        ("2017-11", "November 2017", "November 2017"),
        ("2017-05..2017-08", "Mai bis August 2017", "May to August 2017"),
        ("2017-11..2018-02", "November 2017 bis Februar 2018", "November 2017 to February 2018"),
        ("2018-04-24,2018-05-18", "24.04.2018 und 18.05.2018", "Apr 24, 2018 and May 18, 2018"),
    ],
)
def test_format(app, spec, german, english):
    with app.test_request_context():
        with force_locale("de"):
            assert format_date_spec(spec) == german
        with force_locale("en"):
            assert format_date_spec(spec) == english
