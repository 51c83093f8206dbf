"""Load benchmark: the production server (gunicorn) on a large synthetic data set.

    .venv/bin/python scripts/benchmark.py                      # SQLite in a temporary folder
    DATABASE_URL=postgresql://... .venv/bin/python scripts/benchmark.py --no-seed   # an existing db

It migrates a fresh database, imports the demo, adds bulk data with ``seed-load``, starts
``gunicorn portal.wsgi:app`` on 127.0.0.1 (WORKERS, default 2), then requests each page with
CONCURRENCY parallel clients for a fixed time and prints requests per second and latency
percentiles. Traffic goes to the loopback address only, and every loop is bounded in time.
Figures and the command line are recorded in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

PAGES = [
    "/",
    "/vorschlaege",
    "/vorschlaege?sort=supports",
    "/vorschlaege?q=Radweg",
    "/vorschlaege/1",
    "/unterziele/1.2",
    "/massnahmen",
    "/statistik",
    "/api/v1/proposals?per_page=50",
    "/healthz",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def flask(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(BIN / "flask"), "--app", "portal", *args], check=True, env=env, cwd=ROOT)  # noqa: S603


def hammer(url: str, seconds: float, concurrency: int) -> tuple[int, list[float], int]:
    """Request ``url`` from ``concurrency`` threads for ``seconds``; (count, latencies, errors)."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker() -> None:
        nonlocal errors
        while time.monotonic() < deadline:
            start = time.perf_counter()
            try:
                with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback only
                    response.read()
                    ok = response.status == 200
            except OSError:
                ok = False
            elapsed = time.perf_counter() - start
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    errors += 1

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies), latencies, errors


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=5000)
    parser.add_argument("--proposals", type=int, default=10000)
    parser.add_argument("--supports", type=int, default=100000)
    parser.add_argument("--comments", type=int, default=30000)
    parser.add_argument("--ballots", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=10.0, help="per page")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--no-seed", action="store_true", help="use DATABASE_URL as it is")
    options = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.db'}")
    env.setdefault("SECRET_KEY", "benchmark-only")
    env["PORTAL_INSTANCE_PATH"] = str(workdir)
    try:
        if not options.no_seed:
            started = time.perf_counter()
            flask(env, "db", "upgrade")
            flask(env, "seed-demo")
            flask(env, "seed-load", "--users", str(options.users), "--proposals", str(options.proposals),
                  "--supports", str(options.supports), "--comments", str(options.comments),
                  "--ballots", str(options.ballots))  # fmt: skip
            print(f"seeded in {time.perf_counter() - started:.1f} s")
        port = free_port()
        workers = env.get("WORKERS", "2")
        server = subprocess.Popen(  # noqa: S603
            [str(BIN / "gunicorn"), "--workers", workers, "--bind", f"127.0.0.1:{port}", "portal.wsgi:app"],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=2).read()  # noqa: S310
                    break
                except OSError:
                    time.sleep(0.2)
            setup = f"{workers} workers, {options.concurrency} clients, {options.seconds:.0f} s per page"
            print(f"gunicorn, {setup}")
            print(f"{'page':40} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
            for page in PAGES:
                hammer(base + page, 1.0, 2)  # warm-up
                count, latencies, errors = hammer(base + page, options.seconds, options.concurrency)
                if latencies:
                    p50 = statistics.median(latencies) * 1000
                    p95 = statistics.quantiles(latencies, n=20)[18] * 1000 if len(latencies) > 20 else p50
                else:
                    p50 = p95 = float("nan")
                print(f"{page:40} {count / options.seconds:8.1f} {p50:8.1f} {p95:8.1f} {errors:7d}")
        finally:
            server.terminate()
            server.wait(timeout=20)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
