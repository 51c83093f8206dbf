"""Two app processes, one PostgreSQL, one Redis: counts, limits and sessions are exact across them.

Two gunicorn servers (``portal.wsgi:behind_proxy``, production configuration, real rate limits)
share DATABASE_URL, SECRET_KEY and RATELIMIT_STORAGE_URI=redis://... as docs/deployment.md
describes. Through both at once:

- supports: 50 signed-in people (sessions signed with the shared SECRET_KEY) support one
  proposal at the same moment, each through the other process than the one that gave them the
  form, while one more person (signed in through the form) clicks 20 times in parallel through
  both; the proposal then has exactly 51 support rows and supports_count 51,
  and both processes show 51 (the page cache of each process is invalidated by the other's writes);
- rate limits: failed sign-ins alternating between the processes are refused after exactly the
  configured number in total (per client address, taken from X-Forwarded-For as behind nginx,
  and per account), not per process; the counters live in Redis;
- sessions: a session started on one process is valid on the other, and signing out on one
  ends it on the other too;
- Redis outage: the processes keep answering (limits fall back to per-process memory).

One test function on purpose: the stack takes seconds to start, and pytest-xdist would start it
once per worker for several tests.
"""

from __future__ import annotations

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from limits import parse_many
from sqlalchemy import create_engine
from sqlalchemy import text

from config import TestingConfig
from tests import pg
from tests.faults.support import EMAIL
from tests.faults.support import PASSWORD
from tests.faults.support import prepare_database
from tests.scaleout.conftest import AppServer
from tests.scaleout.conftest import RedisServer
from tests.scaleout.conftest import app_servers
from tests.security.htmlforms import Form
from tests.security.htmlforms import forms_of

pytestmark = pytest.mark.slow

PEOPLE = 50
CLICKS = 20
TIMEOUT = 60
#: prepare_database's accounts: burst@ (the author, index 0), then burst1@ .. burstN@.
SUPPORTERS = [f"burst{number}@example.org" for number in range(1, PEOPLE + 1)]
CLICKER = f"burst{PEOPLE + 1}@example.org"
TRAVELLER = f"burst{PEOPLE + 2}@example.org"
SECRET_KEY = "scale-out-test-secret-shared-by-every-process"
SUPPORTS_HEADING = re.compile(r'id="unterstuetzen">\s*(\d+)')


def _proposal(url: str) -> int:
    """A published proposal by the author account, created directly in the database."""
    from sqlalchemy import select

    from portal import create_app
    from portal.accounts.models import User
    from portal.extensions import db
    from portal.proposals import services
    from portal.proposals.models import CostClass
    from portal.proposals.models import Horizon
    from portal.strategy.models import SubGoal

    app = create_app(TestingConfig, overrides={"SQLALCHEMY_DATABASE_URI": url})
    with app.test_request_context():
        author = db.session.scalar(select(User).where(User.email == EMAIL))
        subgoal = db.session.scalar(select(SubGoal).where(SubGoal.number == "1.1"))
        data = services.ProposalData(
            subgoal_id=subgoal.id, focus_area_id=None, title="Ein Vorschlag für zwei App-Prozesse",
            body="Eine Beschreibung, lang genug für das Formular und für den Test der Unterstützungen.",
            municipality_id=None, horizon=Horizon.SHORT, cost_class=CostClass.MEDIUM,
        )  # fmt: skip
        proposal = services.create_proposal(author, data)
        db.session.commit()
        proposal_id = proposal.id
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()
    return proposal_id


def _form(session: requests.Session, url: str, action: str, **headers: str) -> Form:
    """The POST form of a page whose action ends with ``action``."""
    response = session.get(url, headers=headers, timeout=TIMEOUT)
    response.raise_for_status()
    for form in forms_of(response.text):
        if form.method == "post" and form.action.split("?")[0].endswith(action):
            return form
    raise AssertionError(f"no form posting to {action} on {url}")


def _sign_in(form_from: AppServer, post_to: AppServer, email: str) -> requests.Session:
    """Sign in through the real form: fetched from one process, posted to the other."""
    session = requests.Session()
    form = _form(session, form_from.base + "/anmelden", "/anmelden")
    data = {**form.fields, "email": email, "password": PASSWORD}
    response = session.post(post_to.base + "/anmelden", data=data, allow_redirects=False, timeout=TIMEOUT)
    assert response.status_code in (302, 303), f"sign-in of {email} failed: {response.status_code}"
    return session


def _copy(session: requests.Session) -> requests.Session:
    """Another tab of the same browser (the same cookies, its own connection)."""
    copy = requests.Session()
    copy.cookies.update(session.cookies)
    return copy


def _counts(url: str, proposal_id: int) -> tuple[int, int, dict[str, int]]:
    """Support rows, the denormalised supports_count, and rows per supporter's e-mail address."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            per_user = dict(
                conn.execute(
                    text(
                        "SELECT u.email, count(*) FROM supports s JOIN users u ON u.id = s.user_id "
                        "WHERE s.proposal_id = :id GROUP BY u.email"
                    ),
                    {"id": proposal_id},
                ).all()
            )
            counter = conn.execute(
                text("SELECT supports_count FROM proposals WHERE id = :id"), {"id": proposal_id}
            ).scalar_one()
    finally:
        engine.dispose()
    return sum(per_user.values()), counter, per_user


def _shown_supports(server: AppServer, proposal_id: int) -> tuple[int, int]:
    """What an anonymous visitor sees on the page and in the API of ``server``."""
    page = requests.get(f"{server.base}/vorschlaege/{proposal_id}", timeout=TIMEOUT)
    page.raise_for_status()
    match = SUPPORTS_HEADING.search(page.text)
    assert match, "no support count on the proposal page"
    api = requests.get(f"{server.base}/api/v1/proposals/{proposal_id}", timeout=TIMEOUT)
    api.raise_for_status()
    return int(match.group(1)), int(api.json()["supports_count"])


# --- (a) supports ---------------------------------------------------------------------------------


def _minted_sessions(url: str, emails: list[str]) -> list[requests.Session]:
    """Signed-in sessions made with the shared SECRET_KEY, as the sign-in form makes them.

    Fifty sign-ins through the form would spend fifty argon2 hashes (seconds on a busy 2-core
    machine) and prove nothing more: the form itself is used for the clicker and the session
    checks. The content is what tests/conftest.py's ``login`` puts into a session.
    """
    from sqlalchemy import select

    from portal import create_app
    from portal.accounts.models import User
    from portal.accounts.sessions import LAST_SEEN_KEY
    from portal.extensions import db
    from portal.extensions import login_manager

    app = create_app(TestingConfig, overrides={"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET_KEY})
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    agent = requests.utils.default_user_agent()
    with app.test_request_context(environ_base={"REMOTE_ADDR": "127.0.0.1", "HTTP_USER_AGENT": agent}):
        idents = {user.email: user.get_id() for user in db.session.scalars(select(User))}
        identifier = login_manager._session_identifier_generator()
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()
    sessions = []
    for email in emails:
        session = requests.Session()
        data = {"_user_id": idents[email], "_fresh": True, "_id": identifier, LAST_SEEN_KEY: int(time.time())}
        # Host and path as the servers' own Set-Cookie has them, so that their answers replace it.
        name = app.config["SESSION_COOKIE_NAME"]
        session.cookies.set(name, serializer.dumps(data), domain="127.0.0.1", path="/")
        sessions.append(session)
    return sessions


def _check_parallel_supports(servers: list[AppServer], url: str, proposal_id: int) -> None:
    a, b = servers
    before = [_shown_supports(server, proposal_id) for server in servers]  # fills both page caches
    assert before == [(0, 0), (0, 0)], before

    action = f"/vorschlaege/{proposal_id}/unterstuetzen"
    # (session, where its form came from, where it posts to): alternating, always crossing over.
    jobs: list[tuple[requests.Session, AppServer, AppServer]] = []
    sessions = _minted_sessions(url, SUPPORTERS)
    jobs += [(session, servers[n % 2], servers[(n + 1) % 2]) for n, session in enumerate(sessions)]
    clicker = _sign_in(a, b, CLICKER)
    jobs += [(_copy(clicker), servers[n % 2], servers[(n + 1) % 2]) for n in range(CLICKS)]

    def prepare(job: tuple[requests.Session, AppServer, AppServer]) -> tuple[requests.Session, str, dict]:
        session, form_from, post_to = job
        form = _form(session, f"{form_from.base}/vorschlaege/{proposal_id}", action)
        return session, post_to.base + action, form.fields

    with ThreadPoolExecutor(max_workers=8) as pool:
        prepared = list(pool.map(prepare, jobs))

    barrier = threading.Barrier(len(prepared))
    statuses: list[int | str] = []
    lock = threading.Lock()

    def click(session: requests.Session, target: str, data: dict[str, str]) -> None:
        barrier.wait(timeout=TIMEOUT)
        try:
            response = session.post(target, data=data, allow_redirects=False, timeout=TIMEOUT)
            status: int | str = response.status_code
        except requests.RequestException as error:
            status = type(error).__name__
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=click, args=job, daemon=True) for job in prepared]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT * 2)
    assert len(statuses) == PEOPLE + CLICKS
    assert set(statuses) == {303}, sorted(statuses, key=str)

    rows, counter, per_user = _counts(url, proposal_id)
    assert (rows, counter) == (PEOPLE + 1, PEOPLE + 1), (rows, counter)
    assert set(per_user) == {*SUPPORTERS, CLICKER}
    assert set(per_user.values()) == {1}
    # Each process answers the new count, although the other process did half of the writes.
    after = [_shown_supports(server, proposal_id) for server in servers]
    assert after == [(PEOPLE + 1, PEOPLE + 1)] * 2, after


# --- (b) rate limits ------------------------------------------------------------------------------


def _login_limit() -> int:
    """The smallest number of failed sign-ins the configured limits allow (10 per minute)."""
    from portal.accounts.views import LOGIN_LIMIT

    return min(item.amount for item in parse_many(LOGIN_LIMIT))


def _failed_sign_ins(servers: list[AppServer], attempts: list[tuple[str, str]]) -> list[int]:
    """POST wrong passwords, alternating between the processes: (e-mail address, client address)."""
    session = requests.Session()
    form = _form(session, servers[0].base + "/anmelden", "/anmelden")
    statuses = []
    for number, (email, address) in enumerate(attempts):
        data = {**form.fields, "email": email, "password": "not the password at all"}
        response = session.post(
            servers[number % 2].base + "/anmelden", data=data, headers={"X-Forwarded-For": address},
            allow_redirects=False, timeout=TIMEOUT,
        )  # fmt: skip
        statuses.append(response.status_code)
    return statuses


def _check_shared_limits(servers: list[AppServer], redis: RedisServer) -> None:
    limit = _login_limit()
    # Per client address (several accounts from one address): the address comes from the proxy's
    # X-Forwarded-For, so different visitors behind the one proxy do not share a limit.
    address = "203.0.113.10"
    statuses = _failed_sign_ins(servers, [(f"nobody{n}@example.org", address) for n in range(limit + 2)])
    assert statuses == [200] * limit + [429, 429], f"per address, limit {limit}: {statuses}"
    assert _failed_sign_ins(servers, [("nobody@example.org", "203.0.113.11")]) == [200]
    # Per account (one account from many addresses).
    statuses = _failed_sign_ins(servers, [(EMAIL, f"198.51.100.{n + 1}") for n in range(limit + 2)])
    assert statuses == [200] * limit + [429, 429], f"per account, limit {limit}: {statuses}"
    assert redis.client().keys("LIMITS*"), "no rate-limit counters in Redis"


# --- (c) sessions ---------------------------------------------------------------------------------


def _check_sessions(servers: list[AppServer]) -> None:
    a, b = servers
    session = _sign_in(a, a, TRAVELLER)
    account = session.get(b.base + "/konto", allow_redirects=False, timeout=TIMEOUT)
    assert account.status_code == 200 and TRAVELLER in account.text, account.status_code
    stolen = _copy(session)  # the cookie as it was before signing out
    form = _form(session, b.base + "/konto", "/abmelden")
    response = session.post(b.base + "/abmelden", data=form.fields, allow_redirects=False, timeout=TIMEOUT)
    assert response.status_code in (302, 303)
    for client in (session, stolen):
        response = client.get(a.base + "/konto", allow_redirects=False, timeout=TIMEOUT)
        assert response.status_code == 302 and "/anmelden" in response.headers["Location"]


# --- Redis outage ---------------------------------------------------------------------------------


def _check_redis_outage(servers: list[AppServer], redis: RedisServer) -> None:
    redis.stop()
    statuses = _failed_sign_ins(servers, [("nobody@example.org", "192.0.2.1")] * 4)
    assert statuses == [200] * 4, f"with Redis down: {statuses}"
    for server in servers:
        assert requests.get(server.base + "/healthz", timeout=TIMEOUT).status_code == 200


def test_two_app_processes_share_database_sessions_and_limits(
    postgres: pg.Cluster, redis_server: RedisServer, tmp_path: Path
) -> None:
    started = time.monotonic()
    url = postgres.create_database("portal_scaleout")
    prepare_database(url, users=PEOPLE + 3)
    proposal_id = _proposal(url)
    env = {
        "DATABASE_URL": url,
        "SECRET_KEY": SECRET_KEY,
        "RATELIMIT_STORAGE_URI": redis_server.url,
        "PORTAL_BASE_URL": "http://127.0.0.1",
    }
    steps = [f"database {time.monotonic() - started:.1f} s"]
    with app_servers(["a", "b"], env, tmp_path) as servers:
        steps.append(f"servers up {time.monotonic() - started:.1f} s")
        _check_parallel_supports(servers, url, proposal_id)
        steps.append(f"supports {time.monotonic() - started:.1f} s")
        _check_shared_limits(servers, redis_server)
        steps.append(f"limits {time.monotonic() - started:.1f} s")
        _check_sessions(servers)
        steps.append(f"sessions {time.monotonic() - started:.1f} s")
        _check_redis_outage(servers, redis_server)
        steps.append(f"redis outage {time.monotonic() - started:.1f} s")
    print("\nscale-out:", ", ".join(steps))
