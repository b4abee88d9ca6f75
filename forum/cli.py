"""The ``forum`` command: a Flask CLI group over the app factory."""

import sys

import click
from flask.cli import FlaskGroup, with_appcontext
from flask_migrate import upgrade

from forum.extensions import db
from forum.models import ROLES


def main() -> None:
    """Entry point of the ``forum`` console script."""
    from forum import create_app

    FlaskGroup(create_app=create_app, help="Run and manage the forum.")(prog_name="forum")


@click.command("init")
@with_appcontext
def init_command():
    """Bring the database schema up to date, add the default boards and, when there are none
    yet, the shipped crisis resources (safe to repeat)."""
    from forum.boards.services import seed_default_boards
    from forum.crisis.resources import seed_crisis_resources

    upgrade()
    added = seed_default_boards()
    try:
        helplines = seed_crisis_resources()
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Database ready; {added} default board(s) added.")
    click.echo(f"{helplines} crisis resource(s) added.")


@click.group("users")
def users_group():
    """Manage member accounts."""


@users_group.command("create")
@click.argument("handle")
@click.option("--role", type=click.Choice(ROLES), default="member", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create_user_command(handle, role, password_stdin):
    """Create an account with HANDLE (the password is prompted for, never an argument)."""
    from forum.auth.services import HandleTaken, register_member

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        member = register_member(handle, password, role=role)
    except HandleTaken:
        raise click.ClickException(f"The handle {handle!r} is taken.") from None
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Created {member.role} {member.handle}.")


@click.command("seed-demo")
@with_appcontext
def seed_demo_command():
    """Fill the forum with believable demo members, threads and reply trees."""
    from forum.boards.services import seed_default_boards
    from forum.demo import seed_demo

    seed_default_boards()
    threads = seed_demo()
    db.session.commit()
    click.echo(f"Demo content ready: {threads} thread(s) added.")


def init_app(app) -> None:
    """Attach the forum's own commands to the app's CLI (``db`` comes from Flask-Migrate)."""
    for command in (init_command, users_group, seed_demo_command):
        app.cli.add_command(command)
