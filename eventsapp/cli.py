"""Command-line entry points: flask --app eventsapp users|demo|mail …"""

import click
from flask import Flask, current_app

from .auth.cli import users
from .extensions import db
from .mail.cli import mail


@click.group("demo", invoke_without_command=True)
@click.pass_context
def demo(ctx: click.Context) -> None:
    """Load the fiscal-2025 demo programme (idempotent) and print the admin login.
    `demo scale` generates a large synthetic programme instead."""
    if ctx.invoked_subcommand is not None:
        return
    from .demo import ensure_demo_admin, load_demo

    created = load_demo(db.session)
    click.echo("demo: " + ", ".join(f"{kind} +{count}" for kind, count in created.items()))
    username, password = ensure_demo_admin(db.session, current_app.instance_path)
    click.echo(f"admin login: {username} / {password}")


@demo.command("scale")
@click.option("--persons", type=click.IntRange(min=1), default=100_000, show_default=True)
@click.option("--events", type=click.IntRange(min=1), default=2_000, show_default=True)
@click.option("--registrations", type=click.IntRange(min=0), default=1_000_000, show_default=True)
@click.option("--years", type=click.IntRange(min=1), default=10, show_default=True,
              help="Fiscal years the events spread over, ending with FY2025.")
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--append", is_flag=True, help="Add to a database that already holds registrations.")
def demo_scale(persons: int, events: int, registrations: int, years: int, seed: int, append: bool) -> None:
    """Generate a large synthetic programme (deterministic for a seed) for scale tests."""
    import time

    from .scale_demo import ScaleDemoError, generate

    started = time.perf_counter()
    try:
        created = generate(db.session, persons=persons, events=events, registrations=registrations,
                           years=years, seed=seed, append=append, echo=click.echo)
    except ScaleDemoError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    click.echo("scale: " + ", ".join(f"{kind} +{count}" for kind, count in created.items())
               + f" ({time.perf_counter() - started:.1f} s)")


@click.command("backup")
@click.option("--output", "directory", type=click.Path(file_okay=False), default=None,
              help="Folder for the backup file (default: instance/backups).")
def backup(directory: str | None) -> None:
    """Back up the whole database (SQLite online backup, or pg_dump) and print the file."""
    from pathlib import Path

    from .backup import BackupError, backup_database
    from .dates import now, to_tokyo

    target = Path(directory) if directory else Path(current_app.instance_path) / "backups"
    try:
        path = backup_database(db.engine, target, moment=to_tokyo(now()))
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"backup: {path}")


@click.command("restore")
@click.argument("backup_file", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore(backup_file: str, yes: bool) -> None:
    """Replace the database's contents by BACKUP_FILE (made by `backup`)."""
    from pathlib import Path

    from .backup import BackupError, restore_database

    if not yes:
        click.confirm(f"現在のデータをすべて {backup_file} の内容に置き換えます。よろしいですか", abort=True)
    db.session.remove()
    try:
        restore_database(db.engine, Path(backup_file))
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"restored from {backup_file}")


def register(app: Flask) -> None:
    from .registration import cli as registration_cli  # noqa: F401  (adds `mail remind`)
    from .checkin.import_cli import imports
    from .reports.cli import report
    from .people.cli import privacy
    from .surveys.cli import surveys  # also adds `import responses`

    app.cli.add_command(users)
    app.cli.add_command(imports)
    app.cli.add_command(demo)
    app.cli.add_command(mail)
    app.cli.add_command(surveys)
    app.cli.add_command(privacy)
    app.cli.add_command(backup)
    app.cli.add_command(restore)
    app.cli.add_command(report)
