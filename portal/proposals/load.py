"""``seed-load``: large synthetic data in bulk, to measure the portal under realistic sizes.

Rows are generated in Python with their ids (the next free ones) and written without ORM
objects: PostgreSQL gets them through ``COPY … FROM STDIN`` (psycopg 3), SQLite through
``executemany`` on the driver's cursor, all in the command's one transaction. The denormalised
counters (``supports_count``, ``comments_count``) are known before the proposals are written and
are stored with them; when supports or comments go to proposals that already existed, those
counters are recounted with one UPDATE. The SQLite search index is filled in the same pass
(PostgreSQL's GIN index on the search expression fills itself); PostgreSQL's sequences are moved
past the new ids and both databases get ``ANALYZE`` so that the planner knows the new sizes.

Distributions are skewed as in real use: a few proposals collect most supports and comments
(a Pareto law, so that some proposals have hundreds of comments), proposals are spread over all
Unterziele and municipalities and over the last year, most are public and open, some under
review, accepted, rejected or withdrawn. The same ``--seed`` gives the same data. Accounts get
``load-N@example.org`` addresses; without ``--password`` they cannot sign in, with it they all
share one argon2 hash (computed once).
"""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Iterable
from collections.abc import Sequence
from datetime import datetime
from datetime import timedelta
from typing import Any

import click
from flask.cli import with_appcontext
from sqlalchemy import Date
from sqlalchemy import DateTime
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import text
from sqlalchemy import update

from portal.accounts.models import User
from portal.comments.models import Comment
from portal.core import clock
from portal.core.sanitize import render_markdown
from portal.extensions import db
from portal.organisations.models import Department
from portal.organisations.models import Municipality
from portal.proposals import search
from portal.proposals.models import CostClass
from portal.proposals.models import Horizon
from portal.proposals.models import Proposal
from portal.proposals.models import ProposalStatus
from portal.proposals.models import Support
from portal.strategy.models import SubGoal

#: Rows per executemany call on SQLite.
CHUNK = 10_000
#: Measures per proposal when ``--measures`` is not given (300 for the reference 10,000).
MEASURES_PER_PROPOSAL = 0.03
#: No proposal gets more comments than this (a page shows all comments of a proposal).
MAX_COMMENTS = 600
#: How skewed popularity is (Pareto shape: smaller is more skewed).
POPULARITY_SHAPE = 1.1

_THINGS = [
    "Radweg",
    "Bürgerbus",
    "Spielplatz",
    "Dorfladen",
    "Glasfaser",
    "Ärztehaus",
    "Kita",
    "Jugendtreff",
    "Wanderweg",
    "Solaranlage",
    "Bushaltestelle",
    "Sporthalle",
    "Bücherei",
    "Marktplatz",
    "Freibad",
]
_VERBS = ["ausbauen", "erneuern", "erhalten", "bauen", "verbessern", "barrierefrei machen", "beleuchten"]
_PLACES = [
    "in Helmstedt",
    "in Schöningen",
    "am Elm",
    "in Velpke",
    "in Lehre",
    "in Grasleben",
    "im Dorf",
    "an der Schule",
    "am Bahnhof",
    "im Ortskern",
]
_SENTENCES = [
    "Viele Menschen im Ort wünschen sich das schon lange.",
    "Das würde Familien, Älteren und Pendlern gleichermaßen helfen.",
    "Die Kosten ließen sich mit Fördermitteln deutlich senken.",
    "Ehrenamtliche aus dem Verein würden mithelfen.",
    "Andere Landkreise haben damit gute Erfahrungen gemacht.",
    "Bitte auch an Menschen mit Rollstuhl oder Kinderwagen denken.",
]
_ANSWERS = {
    ProposalStatus.ACCEPTED: "Der Vorschlag wird in das Kreisentwicklungskonzept aufgenommen.",
    ProposalStatus.REJECTED: "Der Landkreis ist hierfür nicht zuständig; wir haben die Gemeinde informiert.",
    ProposalStatus.UNDER_REVIEW: None,
    ProposalStatus.PUBLISHED: None,
    ProposalStatus.WITHDRAWN: None,
}
#: (upper bound of a uniform draw, status): most proposals are public and open.
_STATUSES = [
    (0.72, ProposalStatus.SUBMITTED),
    (0.80, ProposalStatus.PUBLISHED),
    (0.89, ProposalStatus.UNDER_REVIEW),
    (0.95, ProposalStatus.ACCEPTED),
    (0.98, ProposalStatus.REJECTED),
    (1.00, ProposalStatus.WITHDRAWN),
]
_INDICATORS = [
    ("Nutzerinnen und Nutzer pro Jahr", "Personen", "higher"),
    ("Anteil barrierefreier Haltestellen", "%", "higher"),
    ("Haushalte mit Glasfaseranschluss", "Haushalte", "higher"),
    ("CO₂-Ausstoß", "t/Jahr", "lower"),
    ("Wartezeit auf einen Kitaplatz", "Monate", "lower"),
    ("Veranstaltungen", "Anzahl", "higher"),
]
_FUNDING = ["Eigenmittel des Landkreises", "Landesförderung", "EU-Förderung (ELER)", "Bundesförderung"]
_MEASURE_STATUSES = [
    "planned",
    "planned",
    "in_progress",
    "in_progress",
    "in_progress",
    "completed",
    "deferred",
]


class _Writer:
    """Bulk writes into the session's transaction: COPY on PostgreSQL, executemany elsewhere."""

    def __init__(self) -> None:
        connection = db.session.connection()
        self.dialect = connection.dialect
        self.postgres = self.dialect.name == "postgresql"
        self.raw: Any = connection.connection.dbapi_connection
        self.touched: set[str] = set()
        #: (table, rows, seconds) of each write, for ``--verbose``.
        self.timings: list[tuple[str, int, float]] = []
        if self.dialect.name == "sqlite":
            cursor = self.raw.cursor()
            # A big page cache (256 MB) so that index pages stay in memory; the load is one
            # transaction, so the disk is synchronised once, at the commit. (Settings such as
            # temp_store or journal_mode cannot change inside a transaction.)
            cursor.execute("PRAGMA cache_size=-262144")
            cursor.close()

    def next_id(self, table: str) -> int:
        """The first id after the table's largest (ids are assigned here, not by the database)."""
        return int(db.session.scalar(text(f"SELECT MAX(id) FROM {table}")) or 0) + 1  # noqa: S608  # nosec B608

    def insert(self, table_name: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> int:
        """Write ``rows`` (tuples in the order of ``columns``); returns how many.

        ``rows`` may be a generator, but it must not use the database: on PostgreSQL it runs while
        the connection is busy with the COPY.
        """
        started = time.perf_counter()
        count = self._insert(table_name, columns, rows)
        self.timings.append((table_name, count, time.perf_counter() - started))
        return count

    def _insert(self, table_name: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> int:
        table = db.metadata.tables[table_name]
        self.touched.add(table_name)
        names = ", ".join(columns)
        count = 0
        if self.postgres:
            with self.raw.cursor() as cursor, cursor.copy(f"COPY {table_name} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        processors = [
            table.c[name].type.dialect_impl(self.dialect).bind_processor(self.dialect)
            if isinstance(table.c[name].type, DateTime | Date)
            else None
            for name in columns
        ]
        converting = [(index, proc) for index, proc in enumerate(processors) if proc is not None]
        sql = f"INSERT INTO {table_name} ({names}) VALUES ({', '.join('?' for _ in columns)})"  # noqa: S608  # nosec B608
        cursor = self.raw.cursor()
        iterator = iter(rows)
        while chunk := list(itertools.islice(iterator, CHUNK)):
            if converting:
                converted = []
                for row in chunk:
                    values = list(row)
                    for index, proc in converting:
                        if values[index] is not None:
                            values[index] = proc(values[index])
                    converted.append(values)
                cursor.executemany(sql, converted)
            else:
                cursor.executemany(sql, chunk)
            count += len(chunk)
        cursor.close()
        return count

    def finish(self) -> None:
        """Sequences past the new ids (PostgreSQL), then fresh planner statistics."""
        started = time.perf_counter()
        for table_name in sorted(self.touched):
            if self.postgres and "id" in db.metadata.tables[table_name].c:
                # Table names come from the models, never from input.
                sequence = f"SELECT setval(pg_get_serial_sequence('{table_name}', 'id'), "
                db.session.execute(text(f"{sequence}(SELECT MAX(id) FROM {table_name}))"))  # noqa: S608  # nosec B608
            db.session.execute(text(f"ANALYZE {table_name}"))
        self.timings.append(("(analyze)", len(self.touched), time.perf_counter() - started))


class _Markdown:
    """render_markdown for the few distinct synthetic texts, each rendered once."""

    def __init__(self) -> None:
        self.cache: dict[str, str] = {}

    def __call__(self, value: str) -> str:
        if value not in self.cache:
            self.cache[value] = render_markdown(value)
        return self.cache[value]


def _allocate(total: int, weights: Sequence[float], cap: int) -> list[int]:
    """``total`` split over the weights, none above ``cap`` (less in all only if all are full)."""
    if not weights or total <= 0 or cap <= 0:
        return [0] * len(weights)
    total = min(total, cap * len(weights))
    counts = [0] * len(weights)
    open_ = list(range(len(weights)))
    remaining = total
    while remaining > 0 and open_:
        weight_sum = sum(weights[i] for i in open_)
        given = 0
        for i in open_:
            share = min(cap - counts[i], int(remaining * weights[i] / weight_sum))
            counts[i] += share
            given += share
        if given == 0:  # the rest, one each, heaviest first
            for i in sorted(open_, key=lambda i: -weights[i]):
                if given == remaining:
                    break
                if counts[i] < cap:
                    counts[i] += 1
                    given += 1
        remaining -= given
        open_ = [i for i in open_ if counts[i] < cap]
    return counts


def _spread(rng: random.Random, values: Sequence[Any], count: int) -> list[Any]:
    """``count`` values cycling through ``values`` in random order: every value is used."""
    pool = [values[i % len(values)] for i in range(count)]
    rng.shuffle(pool)
    return pool


def _between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    seconds = max(0.0, (end - start).total_seconds())
    return start + timedelta(seconds=rng.random() * seconds)


def seed_load(
    users: int,
    proposals: int,
    supports: int,
    comments: int,
    ballots: int,
    seed: int,
    *,
    measures: int | None = None,
    password_hash: str | None = None,
    timings: list[tuple[str, int, float]] | None = None,
) -> dict[str, int]:
    """Insert the requested numbers of rows; returns what was created. Never commits.

    ``measures`` None: 3 per 100 proposals. ``password_hash``: for every new account (else none).
    ``timings`` receives (table, rows, seconds) of each bulk write.
    """
    rng = random.Random(seed)  # noqa: S311  # nosec B311 - synthetic data, not security
    now = clock.now()
    year_ago = now - timedelta(days=365)
    subgoal_ids = list(db.session.scalars(select(SubGoal.id).order_by(SubGoal.id)))
    if not subgoal_ids:
        raise click.ClickException("No strategy yet: run import-strategy (or seed-demo) first.")
    municipality_ids = list(db.session.scalars(select(Municipality.id).order_by(Municipality.id)))
    department_ids = list(db.session.scalars(select(Department.id).order_by(Department.id)))
    if measures is None:
        measures = round(proposals * MEASURES_PER_PROPOSAL)
    markdown = _Markdown()
    out = _Writer()
    if timings is not None:
        out.timings = timings
    created = {"users": 0, "proposals": 0, "supports": 0, "comments": 0, "ballots": 0, "measures": 0}

    # --- users ---------------------------------------------------------------------------------
    first_user = out.next_id("users")
    user_ids = list(range(first_user, first_user + users))
    if users:
        from portal.accounts.services import current_privacy_version

        privacy = current_privacy_version() if password_hash else None
        homes = _spread(rng, [*municipality_ids, None], users) if municipality_ids else [None] * users
        created["users"] = out.insert(
            "users",
            [
                "id",
                "email",
                "display_name",
                "password_hash",
                "email_verified_at",
                "municipality_id",
                "language",
                "session_version",
                "privacy_version",
                "privacy_accepted_at",
                "created_at",
                "updated_at",
            ],
            (
                (
                    uid,
                    f"load-{uid}@example.org",
                    f"Testperson {uid}",
                    password_hash,
                    year_ago,
                    homes[n],
                    "de",
                    1,
                    privacy,
                    year_ago if privacy else None,
                    year_ago,
                    year_ago,
                )
                for n, uid in enumerate(user_ids)
            ),
        )
    if not user_ids and (proposals or supports or comments or ballots):
        user_ids = list(db.session.scalars(select(User.id).order_by(User.id).limit(100_000)))
    if not user_ids:
        out.finish()
        return created

    # --- proposals, with the supports and comments they will get ----------------------------
    first_proposal = out.next_id("proposals")
    new_ids = list(range(first_proposal, first_proposal + proposals))
    if new_ids:
        targets = new_ids
        target_created = sorted(_between(rng, year_ago, now - timedelta(hours=1)) for _ in new_ids)
    else:
        rows = db.session.execute(
            select(Proposal.id, Proposal.created_at).order_by(Proposal.id).limit(100_000)
        ).all()
        targets = [row.id for row in rows]
        # SQLite gives the stored times back without their zone (they are the district's).
        target_created = [
            (row.created_at or year_ago).replace(tzinfo=(row.created_at or year_ago).tzinfo or clock.TIMEZONE)
            for row in rows
        ]
    popularity = [rng.paretovariate(POPULARITY_SHAPE) for _ in targets]
    # The most popular proposal reaches about a fifth of the people, not everyone.
    fair_share = -(-supports // max(1, len(targets)))
    support_cap = min(len(user_ids), max(len(user_ids) // 5, 3 * fair_share))
    support_plan = _allocate(supports, popularity, support_cap)
    talk = [weight**0.8 * rng.uniform(0.5, 1.5) for weight in popularity]
    comment_plan = _allocate(comments, talk, MAX_COMMENTS)
    if new_ids:
        _proposals(
            rng,
            out,
            markdown,
            new_ids,
            target_created,
            user_ids,
            subgoal_ids,
            municipality_ids,
            support_plan,
            comment_plan,
            now,
        )
        created["proposals"] = len(new_ids)

    # --- supports ---------------------------------------------------------------------------------
    existing: set[tuple[int, int]] = set()
    if not new_ids and supports:
        existing = {
            (row[0], row[1]) for row in db.session.execute(select(Support.proposal_id, Support.user_id))
        }

    first_support = out.next_id("supports")  # not inside the generator: it runs during the COPY

    def support_rows() -> Iterable[tuple[Any, ...]]:
        ident = first_support
        for proposal_id, when, count in zip(targets, target_created, support_plan, strict=True):
            if not count:
                continue
            span = max(0.0, (now - when).total_seconds())
            for user_id in sorted(rng.sample(user_ids, count)):
                if (proposal_id, user_id) in existing:
                    continue
                yield ident, proposal_id, user_id, when + timedelta(seconds=rng.random() * span)
                ident += 1

    if supports:
        created["supports"] = out.insert(
            "supports", ["id", "proposal_id", "user_id", "created_at"], support_rows()
        )

    # --- comments: top-level first, then the replies ---------------------------------------------
    if comments:
        created["comments"] = _comments(
            rng, out, markdown, targets, target_created, comment_plan, user_ids, now
        )
    if not new_ids and (created["supports"] or created["comments"]):
        _recount(targets)

    # --- measures and ballots ---------------------------------------------------------------------
    if measures:
        created["measures"] = _measures(
            rng, out, markdown, measures, subgoal_ids, department_ids, municipality_ids, new_ids, now
        )
    created["ballots"] = _ballots(rng, out, ballots, user_ids, subgoal_ids, now)
    out.finish()
    _content_changed()
    return created


def _content_changed() -> None:
    """The driver-level writes bypass SQLAlchemy's hooks: move the page cache's content version."""
    try:
        from portal.core import content_version
    except ImportError:  # no page cache in this installation
        return
    bump = getattr(content_version, "bump", None)
    if bump is not None:
        bump(db.session.connection())


def _proposals(
    rng: random.Random,
    out: _Writer,
    markdown: _Markdown,
    ids: list[int],
    created_at: list[datetime],
    user_ids: list[int],
    subgoal_ids: list[int],
    municipality_ids: list[int],
    support_plan: list[int],
    comment_plan: list[int],
    now: datetime,
) -> None:
    """Proposals with their counters, status history, the authors' follows and the search index."""
    subgoals = _spread(rng, subgoal_ids, len(ids))
    places: list[int | None] = [*municipality_ids, *([None] * max(1, len(municipality_ids) // 6))]
    municipalities = _spread(rng, places, len(ids))
    horizons, costs = list(Horizon), list(CostClass)
    rows, history, follows, index = [], [], [], []
    change_id = out.next_id("proposal_status_changes")
    follow_id = out.next_id("follows")
    for n, ident in enumerate(ids):
        title = f"{rng.choice(_THINGS)} {rng.choice(_PLACES)} {rng.choice(_VERBS)}"
        body = " ".join(rng.sample(_SENTENCES, 3))
        draw = rng.random()
        status = next(value for bound, value in _STATUSES if draw < bound)
        author = rng.choice(user_ids)
        when = created_at[n]
        decided = when + (now - when) / 2
        rows.append(
            (
                ident,
                subgoals[n],
                municipalities[n],
                author,
                title,
                body,
                markdown(body),
                "de",
                rng.choice(horizons).value,
                rng.choice(costs).value,
                status.value,
                when,
                support_plan[n],
                comment_plan[n],
                when,
                decided if status is not ProposalStatus.SUBMITTED else when,
            )
        )
        steps: list[tuple[ProposalStatus | None, ProposalStatus, int | None]] = [
            (None, ProposalStatus.SUBMITTED, author)
        ]
        if status in (ProposalStatus.ACCEPTED, ProposalStatus.REJECTED):
            steps.append((ProposalStatus.SUBMITTED, ProposalStatus.UNDER_REVIEW, None))
            steps.append((ProposalStatus.UNDER_REVIEW, status, None))
        elif status is not ProposalStatus.SUBMITTED:
            steps.append(
                (ProposalStatus.SUBMITTED, status, author if status is ProposalStatus.WITHDRAWN else None)
            )
        for step, (source, target, actor) in enumerate(steps):
            moment = when if step == 0 else when + (now - when) * step / (len(steps) + 1)
            answer = _ANSWERS.get(target) if step == len(steps) - 1 and step else None
            history.append(
                (change_id, ident, source.value if source else None, target.value, actor, answer, moment)
            )
            change_id += 1
        follows.append((follow_id, ident, author, when))
        follow_id += 1
        index.append((ident, title, body))
    out.insert(
        "proposals",
        [
            "id",
            "subgoal_id",
            "municipality_id",
            "author_id",
            "title",
            "body",
            "body_html",
            "language",
            "horizon",
            "cost_class",
            "status",
            "published_at",
            "supports_count",
            "comments_count",
            "created_at",
            "updated_at",
        ],
        rows,
    )
    out.insert(
        "proposal_status_changes",
        ["id", "proposal_id", "from_status", "to_status", "actor_id", "answer", "created_at"],
        history,
    )
    out.insert("follows", ["id", "proposal_id", "user_id", "created_at"], follows)
    search.index_many(index)


def _comments(
    rng: random.Random,
    out: _Writer,
    markdown: _Markdown,
    targets: list[int],
    target_created: list[datetime],
    plan: list[int],
    user_ids: list[int],
    now: datetime,
) -> int:
    """Comments as planned per proposal: two thirds top-level (a few official), a third replies."""
    first_target = min(targets) if targets else 0
    municipality_of = dict(
        db.session.execute(
            select(Proposal.id, Proposal.municipality_id).where(Proposal.id >= first_target)
        ).all()
    )
    ident = out.next_id("comments")
    tops, replies = [], []
    for proposal_id, when, count in zip(targets, target_created, plan, strict=True):
        if not count:
            continue
        top_count = max(1, count - count // 3)
        moments = sorted(_between(rng, when, now) for _ in range(top_count))
        parents = []
        for k, moment in enumerate(moments):
            text_ = rng.choice(_SENTENCES)
            official = municipality_of.get(proposal_id) if k == 0 and rng.random() < 0.05 else None
            tops.append(
                (
                    ident,
                    proposal_id,
                    None,
                    rng.choice(user_ids),
                    text_,
                    markdown(text_),
                    "de",
                    official,
                    moment,
                )
            )
            parents.append((ident, moment))
            ident += 1
        for _ in range(count - top_count):
            parent, moment = rng.choice(parents)
            text_ = rng.choice(_SENTENCES)
            replies.append(
                (
                    ident,
                    proposal_id,
                    parent,
                    rng.choice(user_ids),
                    text_,
                    markdown(text_),
                    "de",
                    None,
                    _between(rng, moment, now),
                )
            )
            ident += 1
    columns = [
        "id",
        "proposal_id",
        "parent_id",
        "author_id",
        "body",
        "body_html",
        "language",
        "official_municipality_id",
        "created_at",
    ]
    return out.insert("comments", columns, tops) + out.insert("comments", columns, replies)


def _recount(proposal_ids: list[int]) -> None:
    """Counters of proposals that existed before the load (one UPDATE)."""
    support_count = select(func.count()).select_from(Support).where(Support.proposal_id == Proposal.id)
    comment_count = (
        select(func.count())
        .select_from(Comment)
        .where(Comment.proposal_id == Proposal.id, Comment.deleted_at.is_(None))
    )
    db.session.execute(
        update(Proposal)
        .where(Proposal.id.in_(proposal_ids))
        .values(
            supports_count=support_count.scalar_subquery(), comments_count=comment_count.scalar_subquery()
        ),
        execution_options={"synchronize_session": False},
    )


def _measures(
    rng: random.Random,
    out: _Writer,
    markdown: _Markdown,
    count: int,
    subgoal_ids: list[int],
    department_ids: list[int],
    municipality_ids: list[int],
    proposal_ids: list[int],
    now: datetime,
) -> int:
    """Measures with Unterziele, departments, municipalities, source proposals, budget, indicators."""
    this_year = now.year
    first = out.next_id("measures")
    ids = list(range(first, first + count))
    main_subgoals = _spread(rng, subgoal_ids, count)
    rows, subgoal_links, department_links, municipality_links = [], [], [], []
    budget, indicators, values, updates = [], [], [], []
    budget_id, indicator_id = out.next_id("budget_lines"), out.next_id("indicators")
    value_id, update_id = out.next_id("indicator_values"), out.next_id("progress_updates")
    by_subgoal: dict[int, list[int]] = {}
    for n, ident in enumerate(ids):
        title = f"{rng.choice(_THINGS)} {rng.choice(_PLACES)} {rng.choice(_VERBS)} (Maßnahme {ident})"
        description = " ".join(rng.sample(_SENTENCES, 2))
        status = rng.choice(_MEASURE_STATUSES)
        progress = {"planned": 0, "completed": 100}.get(status, rng.randrange(5, 95, 5))
        start = rng.randrange(this_year - 1, this_year + 3)
        end = start + rng.randrange(0, 5)
        lead = rng.choice(department_ids) if department_ids else None
        public = rng.random() < 0.9
        rows.append(
            (
                ident,
                title,
                description,
                markdown(description),
                rng.choice(list(Horizon)).value,
                start,
                end,
                status,
                progress,
                lead,
                public,
                now if public else None,
                now,
                now,
            )
        )
        goals = {main_subgoals[n]}
        if rng.random() < 0.3:
            goals.add(rng.choice(subgoal_ids))
        subgoal_links += [(ident, goal) for goal in sorted(goals)]
        for goal in goals:
            by_subgoal.setdefault(goal, []).append(ident)
        if lead is not None:
            chosen = {lead} | ({rng.choice(department_ids)} if rng.random() < 0.4 else set())
            department_links += [(ident, department) for department in sorted(chosen)]
        if municipality_ids:
            places = set(rng.sample(municipality_ids, min(len(municipality_ids), rng.randrange(0, 3))))
            municipality_links += [(ident, place) for place in sorted(places)]
        for year in range(start, end + 1):
            for _ in range(rng.randrange(1, 3)):
                amount = rng.randrange(5_000, 500_000, 500) * 100
                budget.append((budget_id, ident, year, amount, rng.choice(_FUNDING)))
                budget_id += 1
        for position in range(rng.randrange(1, 4)):
            name, unit, direction = rng.choice(_INDICATORS)
            baseline = float(rng.randrange(10, 1000))
            factor = 1.5 if direction == "higher" else 0.6
            indicators.append(
                (
                    indicator_id,
                    ident,
                    position,
                    name,
                    unit,
                    direction,
                    baseline,
                    this_year - 2,
                    round(baseline * factor),
                    this_year + 4,
                )
            )
            for year in range(this_year - 1, this_year + 1):
                step = (year - this_year + 2) / 6
                measured = round(baseline + (baseline * factor - baseline) * step * rng.uniform(0.5, 1.5), 1)
                values.append((value_id, indicator_id, year, measured, now))
                value_id += 1
            indicator_id += 1
        for k in range(rng.randrange(0, 3) if status != "planned" else 0):
            note = rng.choice(_SENTENCES)
            updates.append(
                (update_id, ident, (now - timedelta(days=30 * (k + 1))).date(), note, markdown(note), now)
            )
            update_id += 1
    out.insert(
        "measures",
        [
            "id",
            "title",
            "description",
            "description_html",
            "horizon",
            "start_year",
            "end_year",
            "status",
            "progress",
            "lead_department_id",
            "is_public",
            "published_at",
            "created_at",
            "updated_at",
        ],
        rows,
    )
    out.insert("measure_subgoals", ["measure_id", "subgoal_id"], subgoal_links)
    out.insert("measure_departments", ["measure_id", "department_id"], department_links)
    out.insert("measure_municipalities", ["measure_id", "municipality_id"], municipality_links)
    out.insert("budget_lines", ["id", "measure_id", "year", "amount_cents", "funding_source"], budget)
    out.insert(
        "indicators",
        [
            "id",
            "measure_id",
            "position",
            "name",
            "unit",
            "direction",
            "baseline_value",
            "baseline_year",
            "target_value",
            "target_year",
        ],
        indicators,
    )
    out.insert("indicator_values", ["id", "indicator_id", "year", "value", "recorded_at"], values)
    out.insert(
        "progress_updates", ["id", "measure_id", "published_on", "body", "body_html", "created_at"], updates
    )
    # The accepted proposals among the new ones become the sources of measures of their Unterziel.
    if proposal_ids:
        accepted = db.session.execute(
            select(Proposal.id, Proposal.subgoal_id).where(
                Proposal.id >= proposal_ids[0], Proposal.status == ProposalStatus.ACCEPTED
            )
        ).all()
        links = sorted(
            {
                (rng.choice(by_subgoal[row.subgoal_id]), row.id)
                for row in accepted
                if row.subgoal_id in by_subgoal
            }
        )
        out.insert("measure_proposals", ["measure_id", "proposal_id"], links)
    return count


def _ballots(
    rng: random.Random, out: _Writer, count: int, user_ids: list[int], subgoal_ids: list[int], now: datetime
) -> int:
    """Citizen priority ballots with their points, if the prioritisation domain is installed."""
    if not count:
        return 0
    try:
        from portal.priorities.models import PriorityBallot
        from portal.priorities.queries import ballot_rules
    except ImportError:  # the prioritisation is not part of this installation
        return 0
    rules = ballot_rules()
    voted = set(db.session.scalars(select(PriorityBallot.user_id).where(PriorityBallot.user_id.is_not(None))))
    voters = [user_id for user_id in user_ids if user_id not in voted][:count]
    first, allocation_id = out.next_id("priority_ballots"), out.next_id("priority_allocations")
    ballots, allocations = [], []
    for ballot_id, user_id in enumerate(voters, start=first):
        moment = _between(rng, now - timedelta(days=60), now)
        ballots.append((ballot_id, "citizen", user_id, moment, moment))
        points: dict[int, int] = {}
        for _ in range(rules.points_per_ballot):
            open_ids = [s for s in subgoal_ids if points.get(s, 0) < rules.max_per_subgoal]
            if not open_ids:
                break
            choice = rng.choice(open_ids)
            points[choice] = points.get(choice, 0) + 1
        for subgoal_id, given in sorted(points.items()):
            allocations.append((allocation_id, ballot_id, subgoal_id, given))
            allocation_id += 1
    out.insert("priority_ballots", ["id", "kind", "user_id", "created_at", "updated_at"], ballots)
    out.insert("priority_allocations", ["id", "ballot_id", "subgoal_id", "points"], allocations)
    return len(ballots)


@click.command("seed-load")
@with_appcontext
@click.option("--users", default=0, show_default=True, help="Verified accounts.")
@click.option(
    "--proposals", default=0, show_default=True, help="Proposals by random new users, mostly public."
)
@click.option("--supports", default=0, show_default=True, help="Supports (distinct person and proposal).")
@click.option("--comments", default=0, show_default=True, help="Comments; a third of them are replies.")
@click.option(
    "--ballots",
    default=0,
    show_default=True,
    help="Citizen priority ballots (one per new user; nothing while the prioritisation is not installed).",
)
@click.option(
    "--measures",
    type=int,
    default=None,
    help="Measures with budget lines and indicators [default: 3 per 100 proposals].",
)
@click.option(
    "--password",
    default=None,
    help="Password of every new account (one argon2 hash for all); without it they cannot sign in.",
)
@click.option("--seed", default=1, show_default=True, help="Random seed: the same seed gives the same data.")
@click.option("--verbose", "-v", is_flag=True, help="Print the rows and seconds of each bulk write.")
def seed_load_command(
    users: int,
    proposals: int,
    supports: int,
    comments: int,
    ballots: int,
    measures: int | None,
    password: str | None,
    seed: int,
    verbose: bool,
) -> None:
    """Insert large synthetic data into the configured database, in bulk (one transaction)."""
    from portal.accounts.passwords import hash_password
    from portal.notifications.services import muted

    started = time.perf_counter()
    password_hash = hash_password(password) if password else None
    timings: list[tuple[str, int, float]] = []
    with muted():
        created = seed_load(
            users,
            proposals,
            supports,
            comments,
            ballots,
            seed,
            measures=measures,
            password_hash=password_hash,
            timings=timings,
        )
    committing = time.perf_counter()
    db.session.commit()
    if verbose:
        for table_name, rows, seconds in timings:
            click.echo(f"  {table_name:<26} {rows:>9} rows {seconds:8.2f} s")
        click.echo(f"  {'(commit)':<26} {'':>9}      {time.perf_counter() - committing:8.2f} s")
        click.echo(f"  {'(total)':<26} {'':>9}      {time.perf_counter() - started:8.2f} s")
    click.echo("Created " + ", ".join(f"{count} {name}" for name, count in created.items()))
