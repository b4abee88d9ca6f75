"""The ``forum`` command: a Flask CLI group over the app factory."""

import sys
from pathlib import Path

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
    from forum.threads.services import rerender_posts

    upgrade()
    added = seed_default_boards()
    try:
        helplines = seed_crisis_resources()
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Database ready; {added} default board(s) added.")
    click.echo(f"{helplines} crisis resource(s) added.")
    rendered = rerender_posts(only_stale=True)
    if rendered:
        click.echo(f"{rendered} post(s) rendered again for the current sanitizer policy.")


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
    from forum.auth.services import HandleLooksTaken, HandleTaken, register_member

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        member = register_member(handle, password, role=role)
    except HandleLooksTaken as refused:
        raise click.ClickException(refused.message) from None
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


@click.group("digest")
def digest_group():
    """Optional email digests of unread notifications."""


@digest_group.command("send")
@with_appcontext
def send_digests_command():
    """Email every member whose daily or weekly digest is due (run it from cron once a day).

    It first leaves the reminders that are due (as `forum reminders send` does), so that a
    digest can count them. Without FORUM_SMTP_URL it then says that email is not configured,
    and succeeds.
    """
    import smtplib

    from flask import current_app

    from forum.config import DEFAULT_BASE_URL
    from forum.digest.mailer import parse_smtp_url
    from forum.digest.services import send_digests
    from forum.models import utcnow

    # Reminders members asked for go in first, so that today's digest can count them.
    _leave_due_reminders()
    smtp_url = current_app.config.get("FORUM_SMTP_URL")
    if not smtp_url:
        click.echo("Email is not configured (FORUM_SMTP_URL is not set): no digests sent.")
        return
    try:
        parse_smtp_url(smtp_url)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    if current_app.config["FORUM_BASE_URL"] == DEFAULT_BASE_URL:
        click.echo(f"Note: FORUM_BASE_URL is not set; links point to {DEFAULT_BASE_URL}.", err=True)
    try:
        sent = send_digests(utcnow(), smtp_url)
    except (smtplib.SMTPException, OSError) as error:
        # Digests sent before the failure are recorded; the next run sends the rest.
        raise click.ClickException(f"Could not send email: {error}") from None
    click.echo(f"Sent {sent} digest(s).")


@click.group("reminders")
def reminders_group():
    """Gentle reminders members asked for."""


@reminders_group.command("send")
@with_appcontext
def send_reminders_command():
    """Leave the reminders that are due (to look at a safety plan again) as in-app notices.

    Run it from cron once a day; `forum digest send` does it too before sending digests.
    """
    _leave_due_reminders()


def _leave_due_reminders() -> None:
    from forum.models import utcnow
    from forum.safety_plan.services import leave_due_reminders

    left = leave_due_reminders(utcnow())
    db.session.commit()
    click.echo(f"Left {left} reminder(s) in members' notifications.")


@click.group("search")
def search_group():
    """Manage the search index."""


@search_group.command("rebuild")
@with_appcontext
def rebuild_search_command():
    """Rebuild the search index from the posts (only public posts are indexed)."""
    from forum.search.index import rebuild_index

    indexed = rebuild_index()
    db.session.commit()
    click.echo(f"Search index rebuilt: {indexed} post(s) indexed.")


@click.command("serve")
@click.option("--bind", help="host:port to listen on (default FORUM_BIND, 127.0.0.1:8000).")
@click.option("--workers", type=click.IntRange(min=1), help="Processes (default FORUM_WORKERS).")
@click.option("--threads", type=click.IntRange(min=1), help="Threads each (default FORUM_THREADS).")
@click.pass_obj
def serve_command(script_info, bind, workers, threads):
    """Serve the forum with gunicorn (production); stop it with Ctrl-C or SIGTERM."""
    from forum.serve import ConnectionBudgetError, serve

    app = script_info.load_app()
    try:
        serve(
            app,
            bind=bind or app.config["FORUM_BIND"],
            workers=workers or app.config["FORUM_WORKERS"],
            threads=threads or app.config["FORUM_THREADS"],
        )
    except ConnectionBudgetError as error:
        raise click.ClickException(str(error)) from None


@click.group("render")
def render_group():
    """Stored post HTML."""


@render_group.command("rebuild")
@with_appcontext
def render_rebuild_command():
    """Render every post's HTML again from its Markdown (after a sanitizer policy change)."""
    from forum.threads.services import rerender_posts

    click.echo(f"Rendered {rerender_posts()} post(s) again.")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path):
    """Back up the whole database into PATH (safe while the forum is serving).

    SQLite: the online backup API; PostgreSQL: pg_dump's custom format. The file is readable
    by its owner only: it holds everything members wrote.
    """
    from forum.backup import BackupError, backup_database

    try:
        written = backup_database(db.engine, path)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backup written to {written}.")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that already has content.")
@with_appcontext
def restore_command(path, force):
    """Replace the database with the backup in PATH (stop the forum first).

    Refuses a database that already holds members or posts unless --force is given.
    """
    from forum.backup import BackupError, restore_database

    db.session.remove()
    try:
        restore_database(db.engine, path, force=force)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Restored from {path}. Run `forum init` if the backup is from an older version.")


def init_app(app) -> None:
    """Attach the forum's own commands to the app's CLI (``db`` comes from Flask-Migrate)."""
    commands = (init_command, users_group, seed_demo_command, digest_group, search_group)
    commands += (reminders_group, render_group, backup_command, restore_command)
    for command in commands:
        app.cli.add_command(command)
    app.cli.add_command(serve_command)
