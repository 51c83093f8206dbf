"""``flask create-user``: accounts from the command line (the first admin, mostly)."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from portal.accounts.models import Role
from portal.accounts.passwords import password_problem
from portal.accounts.services import AccountError
from portal.accounts.services import create_user
from portal.extensions import db


@click.command("create-user")
@click.argument("email")
@click.option(
    "--role",
    type=click.Choice([role.value for role in Role]),
    default=None,
    help="Staff role to grant (none: a citizen account).",
)
@click.option("--municipality", "municipality_key", default=None, help="Municipality key (municipality_rep).")
@click.option("--department", "department_key", default=None, help="Department key (department_staff).")
@click.option("--name", "display_name", default=None, help="Display name (default: the part before the @).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create_user_command(
    email: str,
    role: str | None,
    municipality_key: str | None,
    department_key: str | None,
    display_name: str | None,
    password_stdin: bool,
) -> None:
    """Create a verified account, optionally with a staff role (e.g. the first admin)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    problem = password_problem(password, email)
    if problem:
        raise click.ClickException(f"password refused: {problem}")
    try:
        user = create_user(
            email=email,
            password=password,
            display_name=(display_name or email.partition("@")[0])[:80],
            role=Role(role) if role else None,
            municipality_key=municipality_key,
            department_key=department_key,
        )
    except AccountError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    roles = ", ".join(assignment.role.value for assignment in user.roles) or "citizen"
    click.echo(f"Created user {user.id} <{user.email}> ({user.display_name}), verified, role: {roles}.")
