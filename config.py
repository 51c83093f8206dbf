"""Configuration classes.

Settings come from environment variables with exactly the names the README lists (no prefix).
Runtime-editable settings (moderation mode, ballot rules, ...) live in the database, not here.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("PORTAL_INSTANCE_PATH", BASE_DIR / "instance"))

#: Every environment variable the portal reads. Documented in README.md.
ENV_VARS = (
    "DATABASE_URL",
    "SECRET_KEY",
    "SMTP_HOST",
    "SMTP_PORT",
    "SMTP_USERNAME",
    "SMTP_PASSWORD",
    "SMTP_STARTTLS",
    "MAIL_FROM",
    "RATELIMIT_STORAGE_URI",
    "PORTAL_BASE_URL",
)


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """SECRET_KEY from the environment, else a random key kept in instance/secret_key.

    Keeping the generated key in the instance folder means sessions survive a restart of
    `make run` without anybody having to invent a key; production sets SECRET_KEY.
    """
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        # Heroku-style URLs name the driver "postgres"; SQLAlchemy wants psycopg 3 explicitly.
        if url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url[len("postgres://") :]
        elif url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        return url
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{INSTANCE_DIR / 'portal.db'}"


class Config:
    """Settings shared by every environment."""

    SECRET_KEY: str = ""
    SQLALCHEMY_DATABASE_URI: str = ""
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SQLALCHEMY_RECORD_QUERIES = False

    # German first (the default), then English, then the languages most spoken by the district's
    # newcomers. Arabic is written right to left (RTL_LANGUAGES).
    LANGUAGES = ("de", "en", "tr", "ar", "uk", "ru", "pl")
    RTL_LANGUAGES = ("ar",)
    BABEL_DEFAULT_LOCALE = "de"
    BABEL_DEFAULT_TIMEZONE = "Europe/Berlin"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Sessions (portal/accounts/sessions.py): staff idle 30 minutes, citizens 14 days; only a
    # citizen's "stay signed in" makes the session permanent and sets the remember-me cookie.
    PERMANENT_SESSION_LIFETIME = timedelta(days=14)
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # HTTP caching and compression (portal/core/http_cache.py, docs/performance.md): static URLs
    # with the file's content hash (asset_url) are cached for a year, other static URLs for
    # STATIC_MAX_AGE seconds.
    SEND_FILE_MAX_AGE_DEFAULT = 60 * 60
    STATIC_MAX_AGE = 60 * 60
    COMPRESS_MIMETYPES = [
        "text/html", "text/css", "text/plain", "text/csv", "text/xml", "text/javascript",
        "application/javascript", "application/json", "application/problem+json", "application/xml",
        "application/manifest+json", "image/svg+xml",
    ]  # fmt: skip
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_BR_LEVEL = 4  # fast enough per request; static files get the best level, once
    COMPRESS_LEVEL = 6
    COMPRESS_MIN_SIZE = 500
    COMPRESS_STREAMS = False  # streamed bodies (exports, static files) are not compressed per chunk
    #: Anonymous pages kept per process (0: no page cache), and their longest age in seconds
    #: (the content version invalidates them on every write; the age bounds what depends on the
    #: clock alone).
    PAGE_CACHE_ENTRIES = 2000
    PAGE_CACHE_SECONDS = 60

    WTF_CSRF_TIME_LIMIT = None  # a form left open for hours must still submit

    SMTP_HOST = ""
    SMTP_PORT = 587
    SMTP_USERNAME = ""
    SMTP_PASSWORD = ""
    SMTP_STARTTLS = True
    MAIL_FROM = "beteiligung@localhost"
    RATELIMIT_STORAGE_URI = "memory://"
    #: Redis unreachable: keep limiting, per process in memory, instead of answering 500 on every
    #: limited route; Flask-Limiter goes back to Redis when it answers again (docs/deployment.md).
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    PORTAL_BASE_URL = "http://127.0.0.1:5000"

    #: Seconds the public statistics are reused per process (see portal/statistics/report.py).
    STATISTICS_CACHE_SECONDS = 300

    #: Fixed "now" (ISO date or datetime) for tests and demos; None means the real clock.
    PORTAL_FIXED_NOW: str | None = None

    @classmethod
    def from_environment(cls) -> dict[str, object]:
        """Read the documented environment variables into config keys."""
        base_url = os.environ.get("PORTAL_BASE_URL", cls.PORTAL_BASE_URL).rstrip("/")
        return {
            "SECRET_KEY": _secret_key(),
            "SQLALCHEMY_DATABASE_URI": _database_url(),
            "SMTP_HOST": os.environ.get("SMTP_HOST", ""),
            "SMTP_PORT": int(os.environ.get("SMTP_PORT") or 587),
            "SMTP_USERNAME": os.environ.get("SMTP_USERNAME", ""),
            "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD", ""),
            "SMTP_STARTTLS": _env_bool("SMTP_STARTTLS", True),
            "MAIL_FROM": os.environ.get("MAIL_FROM", cls.MAIL_FROM),
            "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
            "PORTAL_BASE_URL": base_url,
            "SESSION_COOKIE_SECURE": base_url.startswith("https://"),
            "REMEMBER_COOKIE_SECURE": base_url.startswith("https://"),
            "PREFERRED_URL_SCHEME": "https" if base_url.startswith("https://") else "http",
        }


class DevelopmentConfig(Config):
    """`make run`: SQLite in instance/, outbox as .eml files."""


class ProductionConfig(Config):
    """`make serve` and real deployments."""


class TestingConfig(Config):
    """The test suite: in-memory SQLite unless the test harness says otherwise."""

    TESTING = True
    SQLALCHEMY_RECORD_QUERIES = True
    STATISTICS_CACHE_SECONDS = 0
    RATELIMIT_STORAGE_URI = "memory://"
    PAGE_CACHE_ENTRIES = 0  # tests that need the page cache switch it on (tests/app/test_http_cache.py)

    @classmethod
    def from_environment(cls) -> dict[str, object]:
        """Tests never read the developer's environment: fixed, harmless values."""
        return {
            "SECRET_KEY": "test-secret-key-not-for-production",
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "PORTAL_BASE_URL": "http://localhost",
        }
