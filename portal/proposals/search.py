"""Full-text search over proposals with German stemming, on PostgreSQL and SQLite.

PostgreSQL: ``to_tsvector('german', title || ' ' || body)``, with a GIN index on exactly that
expression (migration 0003). SQLite: FTS5 has no German stemmer, so the text is stemmed here
with snowballstemmer and stored in the FTS5 table ``fts_proposals`` (rowid = proposal id); the
services call :func:`index_proposal` on every write. Both stem "Häuser" and "Haus" to "haus".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import snowballstemmer
from sqlalchemy import ColumnElement
from sqlalchemy import Integer
from sqlalchemy import func
from sqlalchemy import literal_column
from sqlalchemy import text

from portal.extensions import db
from portal.proposals.models import Proposal

_WORD = re.compile(r"\w+", re.UNICODE)
_stemmer = snowballstemmer.stemmer("german")

#: Common German words that say nothing about a proposal (PostgreSQL's german configuration drops
#: its own list); without them "Is your idea already here?" would match everything.
_STOPWORDS_TEXT = """
    aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes
    auch auf aus bei bin bis bist da damit dann das dass dasselbe dazu dein deine deinem deinen
    deiner dem den denn der derer des dessen dich die dies diese diesem diesen dieser dieses dir
    doch dort du durch ein eine einem einen einer eines einig einige einigem einigen einiger
    einiges einmal er es etwas euch euer eure für gegen gewesen hab habe haben hat hatte hatten
    hier hin hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer im in indem ins ist jede jedem
    jeden jeder jedes jene jenem jenen jener jenes jetzt kann kein keine keinem keinen keiner
    man manche mehr mein meine mich mir mit muss musste nach nicht nichts noch nun nur ob oder
    ohne sehr sein seine sich sie sind so solche soll sollte sondern sonst über um und uns unser
    unsere unter viel vom von vor war waren warst was weg weil weiter welche wenn werde werden
    wie wieder will wir wird wo wollen wollte würde würden zu zum zur zwar zwischen
    bitte gibt neue neuen neuer neues sollen sollten wäre wären
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())


def words(value: str) -> list[str]:
    """The lower-cased words of ``value`` without stopwords."""
    return [word for word in _WORD.findall(value.lower()) if word not in STOPWORDS and not word.isdigit()]


def stems(value: str) -> list[str]:
    """German stems of the meaningful words of ``value`` ("Häuser" → "haus")."""
    return [stem for stem in _stemmer.stemWords(words(value)) if len(stem) > 1]


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _document() -> ColumnElement[str]:
    """The PostgreSQL document; must stay identical to the indexed expression of migration 0003."""
    return func.to_tsvector(
        literal_column("'german'::regconfig"),
        Proposal.title.concat(literal_column("' '")).concat(Proposal.body),
    )


def _fts_query(terms: Iterable[str], operator: str) -> str:
    return f" {operator} ".join(f'"{term}"' for term in terms)


def matches(query: str) -> ColumnElement[bool] | None:
    """A WHERE clause for proposals containing every word of ``query`` (None: nothing searchable)."""
    terms = stems(query)
    if not terms:
        return None
    if _dialect() == "postgresql":
        # PostgreSQL stems the words itself, with the same Snowball algorithm.
        tsquery = " & ".join(sorted(set(words(query))))
        return _document().op("@@")(func.to_tsquery(literal_column("'german'::regconfig"), tsquery))
    ids = text("SELECT rowid FROM fts_proposals WHERE fts_proposals MATCH :match").bindparams(
        match=_fts_query(sorted(set(terms)), "AND")
    )
    return Proposal.id.in_(ids.columns(rowid=Integer))


def similar_ids(value: str, *, limit: int = 5) -> list[int]:
    """Ids of proposals sharing words with ``value``, the most similar first (any visibility)."""
    terms = list(dict.fromkeys(stems(value)))[:30]  # the first words (the title) count most
    if not terms:
        return []
    if _dialect() == "postgresql":
        plain = list(dict.fromkeys(words(value)))[:30]
        tsquery = func.to_tsquery(literal_column("'german'::regconfig"), " | ".join(plain))
        rank = func.ts_rank(_document(), tsquery)
        rows = db.session.execute(
            db.select(Proposal.id).where(_document().op("@@")(tsquery)).order_by(rank.desc()).limit(limit)
        )
        return [row[0] for row in rows]
    rows = db.session.execute(
        text(
            "SELECT rowid FROM fts_proposals WHERE fts_proposals MATCH :match "
            "ORDER BY bm25(fts_proposals) LIMIT :limit"
        ),
        {"match": _fts_query(terms, "OR"), "limit": limit},
    )
    return [row[0] for row in rows]


def index_proposal(proposal: Proposal) -> None:
    """Keep the SQLite index current for one proposal (PostgreSQL indexes by itself)."""
    if _dialect() != "sqlite":
        return
    db.session.execute(text("DELETE FROM fts_proposals WHERE rowid = :id"), {"id": proposal.id})
    db.session.execute(
        text("INSERT INTO fts_proposals (rowid, terms) VALUES (:id, :terms)"),
        {"id": proposal.id, "terms": " ".join(stems(f"{proposal.title} {proposal.body}"))},
    )


def index_many(rows: Iterable[tuple[int, str, str]]) -> None:
    """Bulk variant of :func:`index_proposal` for (id, title, body) rows (seed-load)."""
    if _dialect() != "sqlite":
        return
    batch = [{"id": ident, "terms": " ".join(stems(f"{title} {body}"))} for ident, title, body in rows]
    if batch:
        db.session.execute(text("INSERT INTO fts_proposals (rowid, terms) VALUES (:id, :terms)"), batch)


def rebuild_index() -> int:
    """Rebuild the SQLite index from the proposals table; returns the number indexed."""
    if _dialect() != "sqlite":
        return 0
    db.session.execute(text("DELETE FROM fts_proposals"))
    rows = db.session.execute(db.select(Proposal.id, Proposal.title, Proposal.body)).all()
    index_many((row.id, row.title, row.body) for row in rows)
    return len(rows)
