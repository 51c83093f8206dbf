"""Beteiligungsportal: a public participation portal for a district's development concept."""

from __future__ import annotations

from flask import Flask

from config import Config
from config import DevelopmentConfig
from config import TestingConfig

__all__ = ["create_app"]


def create_app(config: type[Config] | None = None, overrides: dict[str, object] | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, CLI, error pages."""
    config = config or DevelopmentConfig
    app = Flask(__name__, instance_relative_config=False)
    app.config.from_object(config)
    app.config.update(config.from_environment())
    if overrides:
        app.config.update(overrides)
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY is not set")

    _init_extensions(app)
    _register_blueprints(app)

    from portal.core import errors
    from portal.core import http_cache
    from portal.core import logging as log_security
    from portal.core import security
    from portal.core import templating

    templating.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    log_security.init_app(app)
    http_cache.init_app(app)

    from portal import cli

    cli.init_app(app)
    return app


def _init_extensions(app: Flask) -> None:
    # Import the models so that metadata is complete for migrations and create_all.
    from portal import models  # noqa: F401
    from portal.core.db import configure_sqlite
    from portal.core.i18n import select_locale
    from portal.extensions import babel
    from portal.extensions import compress
    from portal.extensions import csrf
    from portal.extensions import db
    from portal.extensions import limiter
    from portal.extensions import login_manager
    from portal.extensions import migrate

    compress.init_app(app)
    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            if engine.dialect.name == "sqlite":
                configure_sqlite(engine)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    login_manager.init_app(app)

    from portal.accounts.loader import init_login_manager

    init_login_manager(login_manager)


def _register_blueprints(app: Flask) -> None:
    from portal.accounts import bp as accounts_bp
    from portal.admin import bp as admin_bp
    from portal.api import bp as api_bp
    from portal.assessments import bp as assessments_bp
    from portal.comments import bp as comments_bp
    from portal.concept import bp as concept_bp
    from portal.core.health import bp as health_bp
    from portal.core.security_txt import bp as security_txt_bp
    from portal.flags import bp as flags_bp
    from portal.measures import bp as measures_bp
    from portal.moderation import bp as moderation_bp
    from portal.notifications import bp as notifications_bp
    from portal.pages import bp as pages_bp
    from portal.priorities import bp as priorities_bp
    from portal.proposals import bp as proposals_bp
    from portal.statements import bp as statements_bp
    from portal.statistics import bp as statistics_bp
    from portal.strategy import bp as strategy_bp
    from portal.uploads import bp as uploads_bp

    app.register_blueprint(health_bp)
    app.register_blueprint(security_txt_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(pages_bp)
    app.register_blueprint(strategy_bp)
    app.register_blueprint(priorities_bp)
    app.register_blueprint(statistics_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(proposals_bp)
    app.register_blueprint(comments_bp)
    app.register_blueprint(flags_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(uploads_bp)
    app.register_blueprint(measures_bp)
    app.register_blueprint(concept_bp)
    app.register_blueprint(moderation_bp)
    app.register_blueprint(assessments_bp)
    app.register_blueprint(statements_bp)
    app.register_blueprint(admin_bp)


# Re-exported so `flask --app portal` finds a factory with sensible defaults.
__all__ += ["TestingConfig"]
