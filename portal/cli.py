"""Command-line interface: ``flask --app portal <command>`` or the ``portal`` console script.

Domain commands live next to their domain and are attached here; the top-level names are the
ones README.md documents.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import FlaskGroup
from flask.cli import with_appcontext

from portal.extensions import db
from portal.strategy.importer import StrategyFileError
from portal.strategy.importer import import_strategy_file

DEMO_STRATEGY = Path(__file__).resolve().parent.parent / "data" / "strategies" / "helmstedt.yaml"


@click.command("import-strategy")
@with_appcontext
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def import_strategy_command(file: Path) -> None:
    """Import (or update) the strategy, municipalities, departments, phases and milestones."""
    try:
        summary = import_strategy_file(file)
    except StrategyFileError as error:
        raise click.ClickException(f"{file}: {error}") from None
    click.echo(f"Imported {file}: {summary}")


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Import the Helmstedt strategy and the demo content (idempotent: safe to run again)."""
    try:
        summary = import_strategy_file(DEMO_STRATEGY)
    except StrategyFileError as error:
        raise click.ClickException(f"{DEMO_STRATEGY}: {error}") from None
    click.echo(f"Demo strategy: {summary}")
    from portal.pages.services import seed_demo_pages

    created = seed_demo_pages()
    click.echo(f"Site pages (templates for the operator): {', '.join(created) or 'already there'}")
    from portal.proposals.demo import seed_demo_content

    click.echo(f"Demo participation: {seed_demo_content()}")
    from portal.measures.demo import seed_demo_measures

    click.echo(f"Demo measures: {seed_demo_measures()}")
    db.session.commit()


def init_app(app: Flask) -> None:
    """Attach the commands to the app's CLI."""
    from portal.accounts.cli import create_user_command
    from portal.mail.cli import send_mail_command

    app.cli.add_command(import_strategy_command)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(create_user_command)
    app.cli.add_command(send_mail_command)


def main() -> None:
    """Entry point of the ``portal`` console script."""
    from portal import create_app

    group = FlaskGroup(create_app=lambda: create_app())
    sys.exit(group.main())
