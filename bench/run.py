"""The portal's benchmark: gunicorn on PostgreSQL with the reference data, measured with wrk.

    make bench                                   # reference size (see docs/performance.md)
    .venv/bin/python bench/run.py --size small   # a tenth of it, for a quick look
    .venv/bin/python bench/run.py --duration 30 --pages home,support

What it does, in order:

1. starts a throwaway PostgreSQL cluster (tests/pg.py; as root it runs as ``postgres``);
2. restores the loaded database from ``bench/.cache/<key>.dump`` if one exists for the same data
   size, seed, migrations and load code; else migrates, imports the strategy, runs ``seed-demo``
   when ``seed-load`` cannot make measures itself, loads the data with ``flask seed-load`` and
   dumps it there (``--reload`` ignores the cache). Then ``flask db upgrade`` and
   ``import-strategy`` again (phases are anchored to today, so supports are open);
3. gives N load users a password and signs them in (``--login-users``), collecting each one's
   session cookie and a CSRF token;
4. serves the portal exactly like ``make serve`` (``gunicorn --workers WORKERS --bind ...
   --access-logfile - portal.wsgi:app``, WORKERS default 2) and the bare Flask app of
   bench/ceiling.py with the same settings;
5. per page: a warm-up, then ``wrk --latency`` with CONNECTIONS connections (default 16) for
   DURATION seconds; the Lua scripts in bench/wrk/ pick a random URL per request from a list
   spread over at least 1,000 proposals, and half of the GET requests carry a signed-in user's
   session cookie; the support POST uses signed-in users only;
6. prints requests/s, p50/p95/p99 and the ratio to the ceiling (measured before and after the
   pages; the mean is used), checks the issue's targets, and writes everything as JSON to
   ``bench/results/<UTC date and time>.json``.

Everything listens on 127.0.0.1 (and a Unix socket for PostgreSQL); every wait is bounded.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import hashlib
import html
import http.cookiejar
import json
import math
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
BIN = Path(sys.executable).parent
CACHE = BENCH / ".cache"
sys.path.insert(0, str(ROOT))

from tests import pg  # noqa: E402

SIZES = {
    # The reference size; measures: 300 with indicators and budget lines.
    "reference": {"users": 100_000, "proposals": 10_000, "supports": 1_000_000, "comments": 100_000,
                  "ballots": 50_000, "measures": 300},
    "small": {"users": 10_000, "proposals": 1_000, "supports": 100_000, "comments": 10_000,
              "ballots": 5_000, "measures": 30},
}  # fmt: skip
#: Sent by the sign-in and by wrk (bench/wrk/common.lua): the session must come from one "browser".
USER_AGENT = "portal-bench/1"
PASSWORD = "bench-load-user-password"  # noqa: S105 - synthetic accounts in a throwaway database
PAGES = ["home", "subgoal_list", "municipality_list", "proposal", "search", "measure", "api_list", "support"]
TARGET_P95_MS = 50.0
TARGET_SUPPORT_P95_MS = 30.0
TARGET_RATIO = 0.25
SEARCH_WORDS = ["Radweg", "Bürgerbus", "Spielplatz", "Dorfladen", "Glasfaser", "Ärztehaus", "Kita",
                "Jugendtreff", "Wanderweg", "Solaranlage", "Bushaltestelle", "Sporthalle", "Bücherei",
                "Marktplatz", "Freibad", "Helmstedt", "Schöningen", "Königslutter", "Lehre", "ausbauen"]  # fmt: skip


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- database -----------------------------------------------------------------------------------


def seed_load_options() -> str:
    result = subprocess.run(
        [str(BIN / "flask"), "--app", "portal", "seed-load", "--help"],
        capture_output=True, text=True, cwd=ROOT, check=True,
    )  # fmt: skip
    return result.stdout


def cache_key(size: dict[str, int], seed: int) -> str:
    """Changes with the data size, the seed, the migrations and the code that loads the data."""
    digest = hashlib.sha256(json.dumps([size, seed], sort_keys=True).encode())
    files = sorted((ROOT / "migrations" / "versions").glob("*.py"))
    files += [ROOT / "portal" / "proposals" / "load.py", ROOT / "data" / "strategies" / "helmstedt.yaml"]
    files += sorted((ROOT / "portal").glob("*/load*.py"))
    for path in files:
        if path.exists():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class Database:
    """The cluster, the bench database in it, and the flask commands run against it."""

    def __init__(self, workdir: Path) -> None:
        bindir = pg.find_binaries()
        if bindir is None:
            sys.exit("PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install postgresql")
        self.bindir = bindir
        self.cluster = pg.Cluster(bindir)
        self.workdir = workdir
        self.env = dict(os.environ)

    def start(self) -> None:
        self.cluster.start()
        url = self.cluster.create_database("bench")
        self.env.update(
            DATABASE_URL=url,
            SECRET_KEY="bench-secret-key-not-for-production",
            PORTAL_INSTANCE_PATH=str(self.workdir / "instance"),
            RATELIMIT_STORAGE_URI="memory://",
            PORTAL_BASE_URL="http://127.0.0.1",
            FLASK_APP="portal",
        )

    def stop(self) -> None:
        self.cluster.stop()

    def flask(self, *args: str) -> float:
        started = time.perf_counter()
        subprocess.run([str(BIN / "flask"), "--app", "portal", *args], check=True, env=self.env, cwd=ROOT)
        return time.perf_counter() - started

    def _pg_tool(self, tool: str) -> str:
        return str(self.bindir / tool) if (self.bindir / tool).exists() else tool

    def _conninfo(self) -> list[str]:
        return ["-h", str(self.cluster.socket_dir), "-p", str(self.cluster.port), "-U", "postgres"]

    def dump(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        subprocess.run(
            [self._pg_tool("pg_dump"), *self._conninfo(), "-Fc", "-Z", "1", "-f", str(partial), "bench"],
            check=True,
        )  # fmt: skip
        partial.rename(path)

    def restore(self, path: Path) -> None:
        subprocess.run(
            [self._pg_tool("pg_restore"), *self._conninfo(), "-d", "bench", "-j", "2", "--no-owner", str(path)],
            check=True,
        )  # fmt: skip
        self.sql("ANALYZE")

    def sql(self, statement: str, params: Any = None) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(
            host=str(self.cluster.socket_dir), port=self.cluster.port, user="postgres", dbname="bench",
            autocommit=True,
        ) as conn:  # fmt: skip
            cursor = conn.execute(statement, params)
            return cursor.fetchall() if cursor.description else []


def load(db: Database, size: dict[str, int], seed: int, reload: bool) -> dict[str, Any]:
    """The loaded database, from the dump cache or freshly; returns what was done and how long it took."""
    key = cache_key(size, seed)
    dump = CACHE / f"{key}.dump"
    info: dict[str, Any] = {"cache_key": key}
    if dump.exists() and not reload:
        log(f"restoring {dump.relative_to(ROOT)}")
        started = time.perf_counter()
        db.restore(dump)
        info["restored_s"] = round(time.perf_counter() - started, 1)
    else:
        help_text = seed_load_options()
        info["migrate_s"] = round(db.flask("db", "upgrade"), 1)
        info["import_strategy_s"] = round(
            db.flask("import-strategy", str(ROOT / "data/strategies/helmstedt.yaml")), 1
        )
        args = ["seed-load", "--seed", str(seed)]
        for name in ("users", "proposals", "supports", "comments", "ballots"):
            args += [f"--{name}", str(size[name])]
        if "--measures" in help_text:
            args += ["--measures", str(size["measures"])]
        else:
            log("seed-load has no --measures yet: seed-demo provides the measures")
            info["seed_demo_s"] = round(db.flask("seed-demo"), 1)
        if "--password" in help_text:
            args += ["--password", PASSWORD]
        log("flask " + " ".join(args))
        info["seed_load_s"] = round(db.flask(*args), 1)
        info["seed_load_args"] = args
        db.sql("ANALYZE")
        log(f"dumping to {dump.relative_to(ROOT)}")
        db.dump(dump)
    db.flask("db", "upgrade")
    db.flask("import-strategy", str(ROOT / "data/strategies/helmstedt.yaml"))  # phases anchored to today
    info["rows"] = {
        table: db.sql(f"SELECT count(*) FROM {table}")[0][0]
        for table in ("users", "proposals", "supports", "comments", "measures", "priority_ballots")
        if db.sql("SELECT to_regclass(%s)", (table,))[0][0]
    }
    return info


# --- servers ------------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    base: str

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def gunicorn(name: str, app: str, env: dict[str, str], workers: int, logfile: Path) -> Server:
    """``make serve``'s command line: gunicorn --workers W --bind 127.0.0.1:PORT --access-logfile - APP."""
    port = free_port()
    command = [str(BIN / "gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
               "--access-logfile", "-", app]  # fmt: skip
    with logfile.open("ab") as out:
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    server = Server(name, process, f"http://127.0.0.1:{port}")
    probe = "/healthz" if app.startswith("portal") else "/"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"{name} exited; see {logfile}")
        try:
            with urllib.request.urlopen(server.base + probe, timeout=5) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    server.stop()
    sys.exit(f"{name} did not answer within 60 s; see {logfile}")


# --- signed-in users --------------------------------------------------------------------------------

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def _csrf(page: str) -> str | None:
    match = _CSRF.search(page)
    return html.unescape(match.group(1) or match.group(2)) if match else None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def sign_in(base: str, email: str, proposal_id: int) -> tuple[str, str]:
    """(Cookie header of the signed-in session, a CSRF token of that session)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
    opener.addheaders = [("User-Agent", USER_AGENT)]  # the wrk scripts send the same (common.lua)
    with opener.open(base + "/anmelden", timeout=30) as response:
        token = _csrf(response.read().decode())
    data = urllib.parse.urlencode(
        {"csrf_token": token or "", "email": email, "password": PASSWORD, "next": ""}
    )
    try:
        opener.open(base + "/anmelden", data=data.encode(), timeout=60).read()
        raise RuntimeError(f"sign-in of {email} did not redirect (wrong password?)")
    except urllib.error.HTTPError as error:
        if error.code not in (302, 303):
            raise
    with opener.open(f"{base}/vorschlaege/{proposal_id}", timeout=30) as response:
        token = _csrf(response.read().decode())
    if not token:
        raise RuntimeError(f"{email}: no support form on /vorschlaege/{proposal_id} after signing in")
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar if c.name == "session")
    return cookie, token


def prepare_users(
    db: Database, base: str, count: int, proposal_id: int, help_text: str
) -> list[tuple[str, str]]:
    emails = [row[0] for row in db.sql(
        "SELECT email FROM users WHERE email LIKE 'load-%%' ORDER BY id LIMIT %s", (count,)
    )]  # fmt: skip
    if "--password" not in help_text:
        from portal.accounts.passwords import hash_password

        db.sql("UPDATE users SET password_hash = %s WHERE email = ANY(%s)", (hash_password(PASSWORD), emails))
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(lambda email: sign_in(base, email, proposal_id), emails))


# --- what is requested ----------------------------------------------------------------------------


def url_lists(db: Database) -> dict[str, list[str]]:
    """Per page, the URLs wrk picks from (spread over many proposals)."""
    public = "p.published_at IS NOT NULL AND p.hidden_at IS NULL AND p.status <> 'merged'"
    per_subgoal = db.sql(
        f"SELECT s.number, count(p.id) FROM subgoals s LEFT JOIN proposals p ON p.subgoal_id = s.id AND {public} "
        "GROUP BY s.number ORDER BY s.number"
    )
    per_municipality = db.sql(
        f"SELECT m.key, count(p.id) FROM municipalities m LEFT JOIN proposals p "
        f"ON p.municipality_id = m.id AND {public} GROUP BY m.key ORDER BY m.key"
    )
    most_commented = db.sql(
        f"SELECT p.id FROM proposals p WHERE {public} ORDER BY p.comments_count DESC, p.id LIMIT 1000"
    )
    open_ids = db.sql(
        f"SELECT p.id FROM proposals p WHERE {public} "
        "AND p.status IN ('submitted', 'published', 'under_review') ORDER BY p.id"
    )
    measures = db.sql("SELECT id FROM measures WHERE is_public ORDER BY id")
    total_public = db.sql(f"SELECT count(*) FROM proposals p WHERE {public}")[0][0]
    pages = lambda n: range(1, max(1, math.ceil(n / 20)) + 1)  # noqa: E731 - 20 per page (PER_PAGE)
    lists = {
        "home": ["/"],
        "subgoal_list": [
            f"/unterziele/{number}?sortierung=unterstuetzt&seite={page}"
            for number, count in per_subgoal
            for page in pages(count)
        ],
        "municipality_list": [
            f"/vorschlaege?gemeinde={urllib.parse.quote(key)}&seite={page}"
            for key, count in per_municipality
            for page in pages(count)
        ],
        "proposal": [f"/vorschlaege/{row[0]}" for row in most_commented],
        "search": [
            f"/vorschlaege?q={urllib.parse.quote(word)}&seite={page}"
            for word in SEARCH_WORDS
            for page in (1, 2, 3)
        ],
        "measure": [f"/massnahmen/{row[0]}" for row in measures],
        "api_list": [f"/api/v1/proposals?page={page}" for page in pages(total_public)],
        "support": [str(row[0]) for row in open_ids],
    }
    comment_counts = db.sql(
        f"SELECT min(c), max(c), avg(c) FROM (SELECT p.comments_count AS c FROM proposals p WHERE {public} "
        "ORDER BY p.comments_count DESC, p.id LIMIT 1000) top"
    )[0]
    lists["_notes"] = [
        f"proposal pages: the 1000 most commented proposals, {comment_counts[0]}..{comment_counts[1]} comments "
        f"(mean {float(comment_counts[2] or 0):.0f})"
    ]
    return lists


# --- measuring --------------------------------------------------------------------------------------


def wrk(
    base: str, script: str, args: list[str], seconds: float, connections: int, threads: int
) -> dict[str, Any]:
    command = ["wrk", "--latency", "-t", str(threads), "-c", str(connections), "-d", f"{seconds:.0f}s",
               "--timeout", "10s", "-s", str(BENCH / "wrk" / script), base, "--", *args]  # fmt: skip
    result = subprocess.run(
        command, capture_output=True, text=True, cwd=ROOT, check=True, timeout=seconds + 60
    )
    for line in result.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            data = json.loads(line[len("BENCH_JSON ") :])
            data["rps"] = round(data["requests"] / data["duration_s"], 1) if data["duration_s"] else 0.0
            refused = sorted({line for line in result.stderr.splitlines() if "answered" in line})
            if refused:
                data["refusals"] = refused
                log("; ".join(refused))
            return data
    raise RuntimeError(f"wrk printed no result:\n{result.stdout}\n{result.stderr}")


def probe_support(base: str, proposal_id: int, session: tuple[str, str]) -> str:
    """One support POST of a signed-in load user: the status, where it leads, the page title."""
    cookie, token = session
    request = urllib.request.Request(
        f"{base}/vorschlaege/{proposal_id}/unterstuetzen",
        data=urllib.parse.urlencode({"csrf_token": token}).encode(),
        headers={"Cookie": cookie, "User-Agent": USER_AGENT},
        method="POST",
    )
    try:
        with urllib.request.build_opener(_NoRedirect()).open(request, timeout=30) as response:
            return f"{response.status}"
    except urllib.error.HTTPError as error:
        title = re.search(r"<title>(.*?)</title>", error.read().decode(errors="replace"), re.S)
        return f"{error.code} {error.headers.get('Location', '')} {title.group(1).strip() if title else ''}".strip()


def check(base: str, paths: list[str], cookie: str | None = None) -> list[str]:
    """A few URLs of each list answer 200 (so that the figures measure pages, not errors)."""
    problems = []
    for path in paths[:: max(1, len(paths) // 5)][:5]:
        headers = {"User-Agent": USER_AGENT, **({"Cookie": cookie} if cookie else {})}
        request = urllib.request.Request(base + path, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                response.read()
        except urllib.error.HTTPError as error:
            problems.append(f"{path}: {error.code}")
    return problems


def conditions() -> dict[str, Any]:
    return {
        "loadavg": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "kernel": platform.release(),
    }


def git_commit() -> str:
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT, check=True  # noqa: S607
        ).stdout.strip()  # fmt: skip
    return ""


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", choices=sorted(SIZES), default="reference", help="data size preset")
    for name in ("users", "proposals", "supports", "comments", "ballots", "measures"):
        parser.add_argument(f"--{name}", type=int, help=f"override the preset's {name}")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reload", action="store_true", help="load afresh even if a cached dump exists")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds measured per page")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds of warm-up per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WORKERS", "2")))
    parser.add_argument("--login-users", type=int, default=300, help="signed-in load users")
    parser.add_argument("--signed-in-share", type=float, default=0.5, help="share of GETs with a session")
    parser.add_argument(
        "--pages", default=",".join(PAGES), help="comma-separated subset of " + ",".join(PAGES)
    )
    parser.add_argument("--output", type=Path, help="JSON file (default bench/results/<date>.json)")
    options = parser.parse_args()
    size = dict(SIZES[options.size])
    for name in size:
        if getattr(options, name) is not None:
            size[name] = getattr(options, name)
    chosen = [page for page in options.pages.split(",") if page]
    unknown = set(chosen) - set(PAGES)
    if unknown:
        parser.error(f"unknown pages: {', '.join(sorted(unknown))}")
    if shutil.which("wrk") is None:
        sys.exit("wrk not found: apt-get install wrk")

    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    (workdir / "instance").mkdir()
    db = Database(workdir)
    servers: list[Server] = []
    result: dict[str, Any] = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "size": size,
        "settings": {"connections": options.connections, "wrk_threads": options.threads,
                     "workers": options.workers, "duration_s": options.duration, "warmup_s": options.warmup,
                     "login_users": options.login_users, "signed_in_share": options.signed_in_share},
        "conditions_before": conditions(),
    }  # fmt: skip
    try:
        log(f"PostgreSQL cluster in {db.cluster.base}")
        db.start()
        result["load"] = load(db, size, options.seed, options.reload)
        log(f"rows: {result['load']['rows']}")
        help_text = seed_load_options()
        lists = url_lists(db)
        result["notes"] = lists.pop("_notes")
        files = {}
        for name, urls in lists.items():
            files[name] = workdir / f"{name}.txt"
            files[name].write_text("\n".join(urls) + "\n")
        result["urls"] = {name: len(urls) for name, urls in lists.items()}

        logfile = workdir / "gunicorn.log"
        ceiling = gunicorn("ceiling", "bench.ceiling:app", db.env, options.workers, workdir / "ceiling.log")
        servers.append(ceiling)
        portal = gunicorn("portal", "portal.wsgi:app", db.env, options.workers, logfile)
        servers.append(portal)

        log(f"signing in {options.login_users} load users")
        started = time.perf_counter()
        sessions = prepare_users(db, portal.base, options.login_users, int(lists["support"][0]), help_text)
        (workdir / "sessions.txt").write_text("".join(f"{cookie}\t{token}\n" for cookie, token in sessions))
        log(f"signed in {len(sessions)} users in {time.perf_counter() - started:.1f} s")
        problems = {}
        for name in chosen:
            if name != "support":
                found = check(portal.base, lists[name]) + check(portal.base, lists[name], sessions[0][0])
                if found:
                    problems[name] = found
        request = urllib.request.Request(
            portal.base + "/", headers={"Cookie": sessions[0][0], "User-Agent": USER_AGENT}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            if 'action="/abmelden"' not in response.read().decode():
                sys.exit("the load users' sessions are not signed in: the figures would be anonymous ones")
        if "support" in chosen:
            probe = probe_support(portal.base, int(lists["support"][1]), sessions[0])
            log(f"support probe: {probe}")
            if not probe.startswith("303"):
                problems["support"] = [probe]
        if problems:
            log(f"WARNING: pages that do not answer 200: {problems}")
        result["problems"] = problems

        def measure(server: Server, name: str, seconds: float) -> dict[str, Any]:
            if name == "ceiling":
                return wrk(server.base, "get.lua", [str(workdir / "ceiling.txt"), "-", "0"], seconds,
                           options.connections, options.threads)  # fmt: skip
            if name == "support":
                return wrk(server.base, "support.lua", [str(files["support"]), str(workdir / "sessions.txt")],
                           seconds, options.connections, options.threads)  # fmt: skip
            return wrk(server.base, "get.lua",
                       [str(files[name]), str(workdir / "sessions.txt"), str(options.signed_in_share)],
                       seconds, options.connections, options.threads)  # fmt: skip

        (workdir / "ceiling.txt").write_text("/\n")
        figures: dict[str, Any] = {}
        log("ceiling (bare Flask + trivial Jinja template)")
        measure(ceiling, "ceiling", options.warmup)
        ceilings = [measure(ceiling, "ceiling", options.duration)]
        for name in chosen:
            log(f"{name}: warm-up {options.warmup:.0f} s, then {options.duration:.0f} s")
            if options.warmup:
                # Supports: a short warm-up, so the users' rate limits are left for the run.
                measure(portal, name, min(options.warmup, 2.0) if name == "support" else options.warmup)
            figures[name] = measure(portal, name, options.duration)
            figures[name]["urls"] = len(lists[name])
            log(f"{name}: {figures[name]['rps']} req/s, p95 {figures[name]['p95_ms']} ms")
        ceilings.append(measure(ceiling, "ceiling", options.duration))
        ceiling_rps = sum(c["rps"] for c in ceilings) / len(ceilings)
        result["ceiling"] = {"runs": ceilings, "rps": round(ceiling_rps, 1)}
        verdicts = []
        for name, data in figures.items():
            data["ratio_to_ceiling"] = round(data["rps"] / ceiling_rps, 3) if ceiling_rps else None
            limit = TARGET_SUPPORT_P95_MS if name == "support" else TARGET_P95_MS
            data["target_p95_ms"] = limit
            data["meets_p95"] = data["p95_ms"] <= limit
            data["meets_ratio"] = (data["ratio_to_ceiling"] or 0) >= TARGET_RATIO
            if not data["meets_p95"]:
                verdicts.append(f"{name}: p95 {data['p95_ms']:.1f} ms > {limit:.0f} ms")
            if not data["meets_ratio"]:
                verdicts.append(f"{name}: {data['ratio_to_ceiling']:.0%} of the ceiling < {TARGET_RATIO:.0%}")
            if data["errors"]["status"] or data["errors"]["timeout"]:
                verdicts.append(
                    f"{name}: {data['errors']['status']} non-2xx/3xx, {data['errors']['timeout']} timeouts"
                )
        result["pages"] = figures
        result["missed"] = verdicts
        result["conditions_after"] = conditions()
    finally:
        for server in reversed(servers):
            server.stop()
        db.stop()

    print()
    print(
        f"{'page':18} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'ceiling':>8} {'non-2xx':>8} {'urls':>6}"
    )
    print(f"{'ceiling':18} {result['ceiling']['rps']:8.1f}")
    for name, data in result["pages"].items():
        print(f"{name:18} {data['rps']:8.1f} {data['p50_ms']:8.1f} {data['p95_ms']:8.1f} {data['p99_ms']:8.1f} "
              f"{data['ratio_to_ceiling']:8.1%} {data['errors']['status']:8.0f} {data['urls']:6d}")  # fmt: skip
    print("targets missed: " + ("; ".join(result["missed"]) if result["missed"] else "none"))
    output = options.output or BENCH / "results" / f"{datetime.now(UTC).strftime('%Y-%m-%dT%H%M%SZ')}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"written to {output}")
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
