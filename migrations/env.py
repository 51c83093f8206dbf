"""Alembic environment for Flask-Migrate (online and offline), with batch mode for SQLite."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

config = context.config
if config.config_file_name and not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")


def get_engine():
    return current_app.extensions["migrate"].db.engine


def get_metadata():
    return current_app.extensions["migrate"].db.metadata


config.set_main_option("sqlalchemy.url", get_engine().url.render_as_string(hide_password=False).replace("%", "%%"))


def run_migrations_offline():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=get_metadata(), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    def process_revision_directives(context, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", process_revision_directives)
    # Hand-made full-text search objects (fts_*) are not in the models: autogenerate ignores them.
    from portal.core.db import include_name

    conf_args.setdefault("include_name", include_name)

    with get_engine().connect() as connection:
        # No page-cache content version during migrations (portal/core/content_version.py). The
        # mark lives on the pooled connection, so it is removed again afterwards.
        connection.info["portal_skip_content_version"] = True
        try:
            context.configure(connection=connection, target_metadata=get_metadata(), **conf_args)
            with context.begin_transaction():
                context.run_migrations()
        finally:
            connection.info.pop("portal_skip_content_version", None)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
