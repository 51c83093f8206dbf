"""Scale-out fixtures: a throwaway Redis and app servers (gunicorn) sharing one PostgreSQL.

Redis comes from Debian's ``redis-server`` (started here on a free port, no persistence). Without
it the tests skip with a message; ``PORTAL_REQUIRE_REDIS=1`` (set by .ci/run) makes that a
failure, as ``PORTAL_REQUIRE_POSTGRES=1`` does for PostgreSQL (tests/conftest.py).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

import pytest
import requests

from tests.faults.support import free_port

ROOT = Path(__file__).resolve().parents[2]
REQUIRE_REDIS = os.environ.get("PORTAL_REQUIRE_REDIS") == "1"
#: Environment variables of the developer's shell that must not leak into the app servers.
_APP_SETTINGS = ("DATABASE_URL", "SECRET_KEY", "RATELIMIT_STORAGE_URI", "PORTAL_BASE_URL", "SMTP_HOST")


def missing_redis() -> None:
    """Skip a test that needs redis-server, or fail it where CI requires it."""
    message = "redis-server not found"
    if REQUIRE_REDIS:
        pytest.fail(message + " but PORTAL_REQUIRE_REDIS=1")
    pytest.skip(message + ": install redis-server (Debian package) to run the scale-out tests")


@dataclass
class RedisServer:
    """``redis-server`` on a free local TCP port, without persistence, in its own folder."""

    binary: str
    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="portal-redis-", dir="/tmp")))
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        for _attempt in range(3):  # the free port may be taken between choosing and binding it
            self.port = free_port()
            with open(self.folder / "redis.log", "ab") as log:
                self.process = subprocess.Popen(
                    [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                     "--appendonly", "no", "--dir", str(self.folder), "--daemonize", "no"],
                    stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                )  # fmt: skip
            if self._wait_until_up():
                return
        raise RuntimeError("redis-server did not start:\n" + (self.folder / "redis.log").read_text()[-2000:])

    def client(self):  # type: ignore[no-untyped-def]
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=2, socket_connect_timeout=2)

    def _wait_until_up(self) -> bool:
        import redis

        assert self.process is not None
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            with contextlib.suppress(redis.RedisError):
                if self.client().ping():
                    return True
            time.sleep(0.05)
        self.stop()
        return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    """A running Redis; skips (or fails in CI) without redis-server or the redis client."""
    binary = shutil.which("redis-server") or next(
        (path for path in ("/usr/bin/redis-server", "/usr/sbin/redis-server") if Path(path).exists()), None
    )
    if binary is None:
        missing_redis()
    try:
        import redis  # noqa: F401  (limits[redis], a dependency in pyproject.toml)
    except ImportError:
        pytest.fail("the redis client is missing: reinstall the project (pip install -e '.[dev]')")
    server = RedisServer(binary)
    server.start()
    try:
        yield server
    finally:
        server.remove()


@dataclass
class AppServer:
    """One app process: ``gunicorn portal.wsgi:behind_proxy`` with the production configuration.

    One worker with threads, so that each AppServer is exactly one Python process with its own
    memory (its own page cache, its own in-memory limits if Redis were not configured).
    """

    name: str
    env: dict[str, str]
    folder: Path
    threads: int = 8
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        return self.folder / f"gunicorn-{self.name}.log"

    def spawn(self) -> None:
        self.port = free_port()
        env = {key: value for key, value in os.environ.items() if key not in _APP_SETTINGS}
        env.update(self.env)
        env["PORTAL_INSTANCE_PATH"] = str(self.folder)
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--workers", "1", "--worker-class", "gthread",
                 "--threads", str(self.threads), "--bind", f"127.0.0.1:{self.port}",
                 "--graceful-timeout", "2", "portal.wsgi:behind_proxy"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip

    def wait_until_up(self, seconds: float = 90) -> None:
        assert self.process is not None
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"app server {self.name} died:\n" + self.log.read_text()[-3000:])
            with contextlib.suppress(requests.RequestException):
                if requests.get(self.base + "/healthz", timeout=2).status_code == 200:
                    return
            time.sleep(0.1)
        raise RuntimeError(f"app server {self.name} did not answer /healthz within {seconds:.0f} s")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


@contextlib.contextmanager
def app_servers(names: list[str], env: dict[str, str], folder: Path) -> Iterator[list[AppServer]]:
    """Start one AppServer per name (in parallel), stop them all afterwards, whatever happens."""
    servers = [AppServer(name, env, folder) for name in names]
    try:
        for server in servers:
            server.spawn()
        for server in servers:
            server.wait_until_up()
        yield servers
    finally:
        for server in servers:
            server.stop()
